import { REDACTED } from './redacted';
import { patternSpans, redactTextKeepingLines, redactTextPatterns } from './text-patterns';

const BEGIN = '-----BEGIN RSA PRIVATE KEY-----';
const END = '-----END RSA PRIVATE KEY-----';

describe('redactTextKeepingLines', () => {
  it('hides a key\'s body between its armour lines, each line kept', () => {
    expect(redactTextKeepingLines(`start\n${BEGIN}\nMIIbodyA41\nMIIbodyB41\n${END}\ndone`))
      .toBe(`start\n${BEGIN}\n${REDACTED}\n${REDACTED}\n${END}\ndone`);
  });

  it('of an excerpt, hides a key cut at its start (an END before any BEGIN) and one cut at its end (a BEGIN with no END)', () => {
    expect(redactTextKeepingLines(`MIIbodyA41\nMIIbodyB41\n${END}\ndone`, true)).toBe(`${REDACTED}\n${REDACTED}\n${END}\ndone`);
    expect(redactTextKeepingLines(`start\n${BEGIN}\nMIIbodyA41\nMIIbodyB41`, true)).toBe(`start\n${BEGIN}\n${REDACTED}\n${REDACTED}`);
    // A whole key and a cut one at each edge, in one excerpt.
    const text = `tailBody41\n${END}\nmiddle\n${BEGIN}\nwholeBody41\n${END}\nbetween\n${BEGIN}\nheadBody41`;
    expect(redactTextKeepingLines(text, true)).toBe(`${REDACTED}\n${END}\nmiddle\n${BEGIN}\n${REDACTED}\n${END}\nbetween\n${BEGIN}\n${REDACTED}`);
  });

  it('of a whole text, reads unpaired armour as no key: what it does not enclose is not a key\'s', () => {
    const text = `notAKey41\n${END}\ndone\n${BEGIN}\nnotAKeyEither41`;
    expect(redactTextKeepingLines(text)).toBe(text);
  });
});

describe('patterns for XML and TOML files (outside what the YAML/JSON rules read)', () => {
  const hidden = (text: string) => redactTextPatterns(text);
  it.each([
    ['an element named like a secret', '<server>\n  <id>repo</id>\n  <password>hunter2xyz</password>\n</server>', '<server>\n  <id>repo</id>\n  <password>[redacted]</password>\n</server>'],
    ['its text on lines of its own (the lines around it stay)', '<password>\n    hunter2xyz\n  </password>', '<password>\n    [redacted]\n  </password>'],
    ['a CDATA section, a namespace and attributes', '<db:apiKey id="1"><![CDATA[hunter2xyz]]></db:apiKey>', '<db:apiKey id="1"><![CDATA[[redacted]]]></db:apiKey>'],
    ['a name element and its value (Hadoop)', '<property>\n  <name>fs.s3a.secret.key</name>\n  <value>hunter2xyz</value>\n</property>', '<property>\n  <name>fs.s3a.secret.key</name>\n  <value>[redacted]</value>\n</property>'],
    ['a key element and its string (a plist)', '<key>Password</key>\n<string>hunter2xyz</string>', '<key>Password</key>\n<string>[redacted]</string>'],
    ['a plist key of two words (review)', '<key>API Key</key>\n<string>hunter2xyz</string>', '<key>API Key</key>\n<string>[redacted]</string>'],
    ['a key attribute and a value attribute (.NET appSettings)', '<add key="ApiKey" value="hunter2xyz" />', '<add key="ApiKey" value="[redacted]" />'],
    ['a name attribute, another, then the value', "<property name='db.password' type=\"s\" value='hunter2xyz'/>", "<property name='db.password' type=\"s\" value='[redacted]'/>"],
    ['a key attribute and the element\'s text (Java properties)', '<entry key="api_token">hunter2xyz</entry>', '<entry key="api_token">[redacted]</entry>'],
    ['a CDATA section holding "]" and "<" (review)', '<password><![CDATA[ab]c<d]]></password>', '<password><![CDATA[[redacted]]]></password>'],
    ['a value element inside a tag whose name attribute is a secret\'s (Spring, .NET settings; review)', '<property name="password">\n  <value>hunter2xyz</value>\n</property>\n<setting name="Password" serializeAs="String"><value>hunter2xyz</value></setting>', '<property name="password">\n  <value>[redacted]</value>\n</property>\n<setting name="Password" serializeAs="String"><value>[redacted]</value></setting>'],
    ['namespaced name and value attributes (an Android manifest; review)', '<meta-data android:name="com.google.android.geo.API_KEY" android:value="AIzaSyXYZ"/>', '<meta-data android:name="com.google.android.geo.API_KEY" android:value="[redacted]"/>'],
    ['a Hadoop property with a description between its name and value (probe)', '<property><name>fs.s3a.secret.key</name><description>d</description><value>hunter2xyz</value></property>', '<property><name>fs.s3a.secret.key</name><description>d</description><value>[redacted]</value></property>'],
    ['a comment between a name and its value (probe)', '<property><name>fs.s3a.secret.key</name>\n<!-- c -->\n<value>hunter2xyz</value></property>', '<property><name>fs.s3a.secret.key</name>\n<!-- c -->\n<value>[redacted]</value></property>'],
    ['a value before its name, as Hadoop takes it (probe)', '<property><value>hunter2xyz</value><name>fs.s3a.secret.key</name></property>', '<property><value>[redacted]</value><name>fs.s3a.secret.key</name></property>'],
    ['an element nested in a secret one, and a comment in one (probe)', '<password><enc>hunter2xyz</enc></password>\n<password><!-- c -->hunter2xyz</password>', '<password><enc>[redacted]</enc></password>\n<password><!-- c -->[redacted]</password>'],
    ['an attribute named like a secret (Tomcat; probe)', '<Connector port="8443" keystorePass="hunter2xyz" truststorePass="hunter2xyz"/>', '<Connector port="8443" keystorePass="[redacted]" truststorePass="[redacted]"/>'],
    ['an attribute the pairs read too, its quotes kept (the element still reads as XML)', '<Resource password="hunter2xyz" url=\'x\' token=\'hunter2xyz\'/>', '<Resource password="[redacted]" url=\'x\' token=\'[redacted]\'/>'],
    ['an attribute value holding ">" (review)', '<add key="ApiKey" value="a>b-hunter2xyz"/>', '<add key="ApiKey" value="[redacted]"/>'],
    ['a plist array under a secret key, a NuGet apikeys entry, an HTML meta content (review)', '<key>apiTokens</key><array><string>hunter2xyz</string></array>\n<apikeys><add key="https://www.nuget.org" value="hunter2xyz"/></apikeys>\n<meta name="api-key" content="hunter2xyz">', '<key>apiTokens</key><array><string>[redacted]</string></array>\n<apikeys><add key="https://www.nuget.org" value="[redacted]"/></apikeys>\n<meta name="api-key" content="[redacted]">'],
    ['a TOML multi-line string', '[db]\npassword = """\nhunter2xyz\nsecond-line\n"""\nhost = "x"', '[db]\npassword = [redacted]\nhost = "x"'],
    ['a TOML literal multi-line string under a quoted key', "\"api.key\" = '''\nhunter2xyz'''\nhost = 'x'", "\"api.key\" = [redacted]\nhost = 'x'"],
    ['a TOML multi-line string never closed: all that follows (probe)', 'password = """\nhunter2xyz\nhost = "x"\n', 'password = [redacted]'],
    ['every value of a TOML table named like a secret, over lines (probe)', '[credentials]\nvalue = "hunter2xyz" # c\nextra = [\n  "hunter2xyz",\n  """hun]\nter2""",\n]\n  # kept\n[server]\nport = 80', '[credentials]\nvalue = [redacted]\nextra = [redacted]\n  # kept\n[server]\nport = 80'],
    ['an INI section and a TOML array of tables named like secrets, dotted and quoted keys', '[api_tokens]\ndefault: hunter2xyz\n[[auth.secrets]]\na."b c" = { k = "hunter2xyz" }\n[[auth.users]]\nname = "ann"', '[api_tokens]\ndefault: [redacted]\n[[auth.secrets]]\na."b c" = [redacted]\n[[auth.users]]\nname = "ann"'],
    ['the values of XML entities a secret refers to, and of those they refer to (probe)', '<!DOCTYPE c [<!ENTITY p "hunter2xyz"><!ENTITY q \'a&p;b\'><!ENTITY host "db.local">]>\n<c><password>&q;</password><host>&host;</host><add key="ApiKey" value="&p;"/></c>', '<!DOCTYPE c [<!ENTITY p "[redacted]"><!ENTITY q \'[redacted]\'><!ENTITY host "db.local">]>\n<c><password>[redacted]</password><host>&host;</host><add key="ApiKey" value="[redacted]"/></c>'],
    // Review of the tables: a table ends at a header outside any value; comments and escapes read.
    ['a header-looking line inside a secret table\'s string or array (review)', '[credentials]\nnote = """\n[public]\n"""\nvalue = "hunter2xyz"\na = [\n[public]\n]\nb = "hunter2xyz"\n', '[credentials]\nnote = [redacted]\nvalue = [redacted]\na = [redacted]\nb = [redacted]\n'],
    ['comments inside an array, one holding "]", one an apostrophe (review)', '[credentials]\ntokens = [\n  "tok-1", # ] old\n  "hunter2xyz",\n]\nmore = [ # don\'t log\n  "abc",\n]\n[public]\nname = "bob"\n', '[credentials]\ntokens = [redacted]\nmore = [redacted]\n[public]\nname = "bob"\n'],
    ['an INI value that starts with "[" and is no array (review)', '[tokens]\npattern = [^"]+\nmsg = [user\'s]\n[server]\nport = 80\n', '[tokens]\npattern = [redacted]\nmsg = [redacted]\n[server]\nport = 80\n'],
    ['escaped quotes in a multi-line string, and quotes before its closing ones (review)', '[credentials]\nvalue = """abc\\"""\nhunter2xyz\n"""\nlast = """a""""\npassword = """abc\\"""\nhunter2xyz\n"""\n', '[credentials]\nvalue = [redacted]\nlast = [redacted]\npassword = [redacted]\n'],
    ['a secret\'s multi-line string after one of no secret\'s never closed (review)', "keyring = '''\npassword = \"\"\"\nhunter2xyz\n\"\"\"\n", "keyring = '''\npassword = [redacted]\n"],
    ['every line under a secret table that is no comment, whatever its key (review)', '[credentials]\nprimary value = hunter2xyz\nalice@example.com = hunter2xyz\nvalue = abc\n  continued-hunter2xyz\nsk_live_hunter2xyz\n"a\\"b" = hunter2xyz\n; a comment\n["token[1]"]\nvalue = "hunter2xyz"', '[credentials]\nprimary value = [redacted]\nalice@example.com = [redacted]\nvalue = [redacted]\n  [redacted]\n[redacted]\n"a\\"b" = [redacted]\n; a comment\n["token[1]"]\nvalue = [redacted]'],
    // Second review: values over lines wherever a secret's key is, headers with a lone quote,
    // lines of a secret section read as key and value only beside a blank, keys with spaces,
    // a BOM, lone CRs, INI continuation lines.
    ['an array and an inline table over lines under a secret\'s name, in any file (review)', '[x]\ntokens = [\n  "hunter2xyz",\n  "def",\n]\nname = ok\ncredentials = {\n  user = "a",\n  value = "hunter2xyz",\n}\n', '[x]\ntokens = [redacted]\nname = ok\ncredentials = [redacted]\n'],
    ['a section named with an apostrophe, and with escaped quotes (review)', '[public]\n[bob\'s credentials]\nvalue = hunter2xyz\n["token \\"x\\""]\nvalue = hunter2xyz\n', '[public]\n[bob\'s credentials]\nvalue = [redacted]\n["token \\"x\\""]\nvalue = [redacted]\n'],
    ['base64 and token lines in a secret section, and its continuation lines (review)', '[credentials]\nc2VjcmV0LXRva2VuLWhlcmU=\nabcDEF123==\nghp_hunter2xyz:x-oauth\nkey =\n    c2VjcmV0LXRva2VuLWhlcmU=\n', '[credentials]\n[redacted]\n[redacted]\n[redacted]\nkey =\n    [redacted]\n'],
    ['quoted keys named like secrets, with spaces (review)', '[server]\n"api key" = "hunter2xyz"\n"Signing Key" = "hunter2xyz"\ndb."pass word" = "hunter2xyz"\nport = 80\n', '[server]\n"api key" = [redacted]\n"Signing Key" = [redacted]\ndb."pass word" = [redacted]\nport = 80\n'],
    ['a byte order mark before the first header, and lines ended by lone CRs (review)', '\uFEFF[credentials]\nvalue = hunter2xyz\n[public]\rname = bob\r[tokens]\rvalue = hunter2xyz\r', '\uFEFF[credentials]\nvalue = [redacted]\n[public]\rname = bob\r[tokens]\rvalue = [redacted]\r'],
    ['INI continuation lines of a secret\'s value, as configparser reads them (review)', '[main]\npassword =\n    hunter2xyz\n    second-line\nuser = bob\n', '[main]\npassword =\n    [redacted]\n    [redacted]\nuser = bob\n'],
    ['a header-looking line inside a multi-line string of a key with a space (review)', '[credentials]\nmy key = """\n[public]\nhunter2xyz\n"""\n', '[credentials]\nmy key = [redacted]\n'],
    ['entity names with a combining mark and a middle dot (review)', '<!DOCTYPE c [<!ENTITY cafe\u0301 "hunter2xyz"><!ENTITY p\u00b7q "hunter2xyz">]>\n<c><password>&cafe\u0301;</password><token>&p\u00b7q;</token></c>', '<!DOCTYPE c [<!ENTITY cafe\u0301 "[redacted]"><!ENTITY p\u00b7q "[redacted]">]>\n<c><password>[redacted]</password><token>[redacted]</token></c>'],
    ['entities of any letters, and those a pair or a line refers to (review)', '<!DOCTYPE c [<!ENTITY clé "hunter2xyz"><!ENTITY p "hunter2xyz"><!ENTITY q "hunter2xyz">]>\n<c><password>&clé;</password>password=&p;\napi_token: &q;\n</c>', '<!DOCTYPE c [<!ENTITY clé "[redacted]"><!ENTITY p "[redacted]"><!ENTITY q "[redacted]">]>\n<c><password>[redacted]</password>password=[redacted]\napi_token: [redacted]\n</c>'],
  ])('hides %s', (_what, text, shown) => {
    expect(hidden(text)).toBe(shown);
  });

  it.each([
    ['elements named like no secret', '<user>app</user>\n<keyboard>us</keyboard>\n<name>fs.s3a.endpoint</name><value>s3.local</value>'],
    ['a self-closed secret element, and the text after it', '<password/>visible\n<password />visible'],
    ['a secret\'s name in an attribute other than name or key', '<label for="password">Password</label>'],
    ['an empty value', '<add key="ApiKey" value="" />'],
    ['a log line led by a bracket, and tables named like no secret', '[2026-12-06 10:00:01] token=[redacted] refreshed\n[INFO]\n[server]\nkeyboard = "us"\n[tokens-ui]x = 1'],
    ['a generic type in a stack trace, and a placeholder in a usage line: no closing tag follows (review)', 'WARN failed to resolve Mono<AccessToken> for client web\nINFO retrying in 5s\nusage: login <password>\n  then run deploy'],
  ])('leaves %s', (_what, text) => {
    expect(hidden(text)).toBe(text);
  });

  it.each([
    ['a tag of a million attribute names, none followed by a value', `<a ${'key="password" '.repeat(60_000)}`, 0],
    ['a run of name characters with no "=" in a tag', `<a ${'x'.repeat(1_000_000)}`, 0],
    ['many secret elements left open', '<password>'.repeat(100_000), 0],
    ['a name, 100,000 comments, then its value', `<name>secret.key</name>${'<!-- -->'.repeat(100_000)}<value>x</value>`, 1],
    // Past 256 open elements the rest is read as text (no config file nests so deep): the secret element there is not followed.
    ['elements nested a million deep, then a secret', `${'<a>'.repeat(1_000_000)}<password>x</password>`, 0],
    ['elements nested 200 deep, then a secret', `${'<a>'.repeat(200)}<password>x</password>`, 1],
    // Review: texts copied up at each close, a name's text joined at each, took seconds to minutes on these.
    ['values nested deep, their texts many', `<root>${'<value>'.repeat(1000)}${'a<x/>'.repeat(150_000)}${'</value>'.repeat(1000)}</root>`, 0],
    ['names nested deep, their texts many', `${'<name>'.repeat(1000)}${'key '.repeat(200_000)}${'</name>'.repeat(1000)}`, 0],
    ['many names open, each with a text', `<r>${'<name>x'.repeat(150_000)}</r>`, 0],
    ['end tags of elements never opened', '</a></b>'.repeat(200_000), 0],
    ['comments and CDATA sections never closed', '<!--<![CDATA['.repeat(100_000), 0],
    ['many CDATA sections left open in secret elements', '<password><![CDATA[x'.repeat(60_000), 0],
    ['secret elements whose text no closing tag follows', '<password>x <b>'.repeat(60_000), 0],
    // The first one never closed runs to the text's end (invalid TOML: what follows may be its string).
    ['TOML multi-line strings never closed', `password = """\n${'x'.repeat(500_000)}\ntoken = '''\n${'y'.repeat(500_000)}`, 1],
    ['many secret tables, none holding a key', '[secrets]\n'.repeat(200_000), 0],
    // Review: the header's blanks beside its name took cubic time (24 s for the first at 5,000 blanks).
    ['a bracket then a long run of blanks', `[${' '.repeat(200_000)}a`, 0],
    ['many such lines', `[${' '.repeat(200)}a\n`.repeat(5000), 0],
    ['a header naming a long upper-case run (wordsOf was quadratic)', `[api key ${'A'.repeat(250_000)}]\nvalue = x`, 1],
    ['many unclosed basic strings on one line of a secret array', `[secrets]\nk = [${'"\\'.repeat(300_000)}\n]`, 1],
    ['many arrays of no secret\'s never closed', 'k = [\n'.repeat(100_000), 0],
    ['many multi-line strings of no secret\'s never closed', "k = '''\n".repeat(100_000), 0],
    ['a header line of many quotes, escapes and lone ones', `[${'"\\'.repeat(200_000)}'${"'".repeat(3)}]\nvalue = x`, 0],
    ['a secret section\'s line of many separators without blanks', `[secrets]\n${'a='.repeat(500_000)}`, 1],
    ['a secret\'s value with many continuation lines', `password =\n${'  x\n'.repeat(300_000)}`, 300_000],
    // Re-read: each key's indent was found by searching back for a CR, to the text's start where it has none.
    ['many secret keys, one a line, and no CR', 'password = x\n'.repeat(200_000), 200_000],
    ['lines ended by lone CRs, many', 'password = x\r[secrets]\rk\r'.repeat(100_000), 200_000],
    ['secret tables each opening an array never closed', '[secrets]\nk = [\n'.repeat(100_000), 1],
    ['secret tables each opening a quote never closed', '[secrets]\nk = ["a\n'.repeat(100_000), 1],
    // Each quote closes the value the one before it opened: 50,000 declarations of `a`, each hidden, and the password.
    ['entity declarations of one name whose quotes pair across them, and many references', `<password>${'&a;'.repeat(100_000)}</password>${'<!ENTITY a "'.repeat(100_000)}`, 50_001],
  ])('reads hostile text (%s) for what it holds', (_what, text, secrets) => {
    expect(patternSpans(text)).toHaveLength(secrets);
  });
});

describe('patterns for configuration directives (a name, blanks, its value: no `:` or `=`)', () => {
  it.each([
    ['a secret-named directive', 'port 6379\nauth_token hunter2xyz\nbind 0.0.0.0', 'port 6379\nauth_token [redacted]\nbind 0.0.0.0'],
    ['Redis\'s password directives', 'requirepass "hunter2xyz"\nmasterauth hunter3xyz\n', 'requirepass [redacted]\nmasterauth [redacted]\n'],
    ['one ended by `;` and a comment (nginx)', '  api_key  hunter2xyz;  # rotated monthly\n', '  api_key  [redacted];  # rotated monthly\n'],
    ['a personal access token', 'GITHUB_PAT ghp_hunter2xyz\n', 'GITHUB_PAT [redacted]\n'],
  ])('hides the value of %s', (_, text, expected) => {
    expect(redactTextPatterns(text)).toBe(expected);
  });

  it.each([
    ['a line of words that starts with a secret\'s name', 'token expired at noon, retry\n'],
    ['a directive of a name that is no secret\'s', 'path /var/lib/redis\npatch-level 3\nkeepalive 60\n'],
    ['a secret\'s name alone on its line', 'password\n'],
  ])('leaves %s as it is', (_, text) => {
    expect(redactTextPatterns(text)).toBe(text);
  });

  // How long these take is the bench's to say (phase (h)); a `;` between two optional runs of
  // blanks made the second case run for minutes without an end.
  it.each([
    ['blanks, a `;`, blanks, then more', `token${' '.repeat(500_000)};${' '.repeat(500_000)}-`, 0],
    ['a value followed by a million blanks and more', `token x${' '.repeat(1_000_000)}-`, 0],
    ['a quoted flag, blanks, a comma, blanks, a flag', `"--token"${' '.repeat(500_000)},${' '.repeat(500_000)}-`, 0],
    ['a line of names and blanks', 'token '.repeat(300_000), 0],
    ['many directives', 'auth_token x\n'.repeat(100_000), 100_000],
  ])('reads hostile text (%s) for what it holds', (_what, text, secrets) => {
    expect(patternSpans(text)).toHaveLength(secrets);
  });
});

describe('a personal access token by its name', () => {
  it('is hidden in an env file and in an env entry, and PATH or a patch name is not', () => {
    expect(redactTextPatterns('GITHUB_PAT=ghp_hunter2xyz\nPATH=/usr/bin\nPATCH_LEVEL=3\n')).toBe('GITHUB_PAT=[redacted]\nPATH=/usr/bin\nPATCH_LEVEL=3\n');
    expect(redactTextPatterns('env:\n- name: GITLAB_PAT\n  value: glpat-hunter2xyz\n- name: PATH\n  value: /usr/bin\n')).toBe('env:\n- name: GITLAB_PAT\n  value: [redacted]\n- name: PATH\n  value: /usr/bin\n');
  });
});
