import { randomBytes } from 'node:crypto';
import { commandEnvelope } from '../envelope';
import { IssueToken } from './access';

const issue = (principal: string) => IssueToken.schema.safeParse({ principal, tokenHash: 'a'.repeat(64), grants: [{ namespace: 'default', capabilities: ['read'] }] });

describe('the principal a token is issued to (kept in the audit log as it is)', () => {
  it('may be any plain name: an e-mail address, a service account, a team', () => {
    for (const name of ['ci', 'bob@example.com', 'system:serviceaccount:ci:deployer', 'team-payments', 'https://idp.example.com/users/bob']) {
      expect(issue(name).success).toBe(true);
    }
  });

  it('is refused holding what reads as a secret: a URL\'s password, a value after a secret\'s name (probe)', () => {
    for (const name of ['https://bob:s3cretpw@host', 'password=hunter22', 'bob --token abc123']) {
      const parsed = issue(name);
      expect(parsed.success).toBe(false);
      expect(JSON.stringify(parsed.error?.issues)).toContain('must not hold what reads as a secret');
    }
  });
});

describe('the principal a token is issued to, as the log shows it', () => {
  it('is refused holding a C1 control or a line separator, which reads as nothing there ("admin\\u0085" as admin; probe)', () => {
    for (const name of ['admin\u0085', 'ad\u0080min', 'deployer\u009c', '\u0085', 'x\u009b31m', 'bob\u2028', 'bob\u2029x']) {
      const parsed = issue(name);
      expect(parsed.success).toBe(false);
      expect(JSON.stringify(parsed.error?.issues)).toContain('no control characters');
    }
    expect(issue('Zoë Ünal').success).toBe(true);
  });

  it('is refused decomposed (NFD): "jose" and U+0301 is drawn as "jos" and U+00E9, and the log would show two principals as one (probe)', () => {
    const parsed = issue('jose\u0301');
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain('composed form (NFC');
    expect(issue('jos\u00e9').success).toBe(true);
    expect(issue('\uac00').success).toBe(true);
    expect(issue('\u1100\u1161').success).toBe(false);
  });
});

describe('the principal a command names as its actor (a command published on NATS names its own)', () => {
  const envelope = (principal: string) => commandEnvelope.safeParse({
    commandId: 'c-1', correlationId: 'c-1', actor: { principal, kind: 'token' }, issuedAt: '2026-12-06T00:00:00Z', payload: {},
  });

  it('is refused holding what reads as a secret, as an issued token\'s is: the log keeps it as it is (probe)', () => {
    for (const name of [`slw_${randomBytes(32).toString('base64url')}`, 'ci password=hunter22', 'https://u:pw123@host/']) {
      expect(envelope(name).success).toBe(false);
    }
    expect(envelope('release-bot').success).toBe(true);
    expect(envelope('deployer').success).toBe(true);
  });
});
