import { createHash } from 'node:crypto';
import { z } from 'zod';
import { command, event, query } from '../define';
import { principalName } from '../envelope';
import { resourceName } from '../names';

/** Nomad-style capabilities, granted per namespace ('*' = every namespace). */
export const capability = z.enum(['read', 'submit', 'admin']);
export type Capability = z.infer<typeof capability>;

export const grant = z.object({
  namespace: z.union([z.literal('*'), resourceName]),
  capabilities: z.array(capability).min(1).refine((given) => new Set(given).size === given.length, 'names a capability more than once'),
}).strict();
export type Grant = z.infer<typeof grant>;

export interface Principal {
  principal: string;
  grants: Grant[];
}

/**
 * Tokens are stored (and travel) only as SHA-256 hashes; the secret is never written down.
 * One definition: the deployer stores what the gateway looks up.
 */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex SHA-256 digest');

/**
 * Names the audit log gives Slipway's own actors: the bootstrap admin token and the
 * services. A token issued under one would read, in the log, as if they had acted.
 */
export const RESERVED_PRINCIPALS: readonly string[] = ['admin', 'slipway', 'gateway', 'deployer', 'config-store', 'telemetry'];
/** The principal of the bootstrap admin token (SLIPWAY_ADMIN_TOKEN). */
export const BOOTSTRAP_PRINCIPAL = 'admin';
/** The actor of what a service does on its own (an export finished or expired, the bootstrap token issued). */
export const SERVICE_PRINCIPAL = 'slipway';

/** Characters a reader does not see: formatting ones and those Unicode says to ignore (U+034F, variation selectors, U+3164). */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
/** The C1 control characters (NEL, CSI, ...) and U+2028/U+2029, which break a line where they are read as controls, or show nothing. */
const C1_OR_LINE_BREAK = /[\u0080-\u009f\u2028\u2029]/;


// The same names as a command's actor (no secret in them either): a token's commands must not be refused for its name.
const issuedPrincipal = principalName
  .refine((name) => !RESERVED_PRINCIPALS.includes(asShown(name)), 'is a name Slipway gives its own actors (the bootstrap admin token, the services); choose another')
  .refine((name) => name === name.trim(), 'must not start or end with white space')
  // Invisible in the log: "bob\u200b" would read there as "bob", another principal's name.
  .refine((name) => !INVISIBLE.test(name), 'must hold no invisible characters (zero-width spaces, direction marks, fillers)')
  // Past the C0 ones every actor's name is held to: "admin\u0085" read in the log as "admin".
  .refine((name) => !C1_OR_LINE_BREAK.test(name), 'must hold no control characters (C1, U+0080 to U+009F) nor line or paragraph separators')
  // Drawn alike, "josé" composed and decomposed are two names: two principals the log showed as one.
  .refine((name) => name === name.normalize('NFC'), 'must be in Unicode\'s composed form (NFC: "é" one character, as keyboards write it), the one spelling the log shows for it');

/**
 * Letters drawn as Latin ones (a subset of Unicode's confusables, lower case: Cyrillic,
 * Greek, Armenian, Latin small capitals): Cyrillic `а` in `аdmin` reads, in the log, as
 * `admin`. Not every confusable: names outside this table may still look alike.
 */
const LATIN_LOOKALIKES: Record<string, string> = {
  'а': 'a', 'е': 'e', 'ё': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'у': 'y', 'х': 'x', 'і': 'i', 'ї': 'i', 'ј': 'j', 'ѕ': 's',
  'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w', 'һ': 'h', 'ӏ': 'l', 'ɡ': 'g', 'ɑ': 'a', 'ı': 'i', 'ȷ': 'j',
  'α': 'a', 'ο': 'o', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ρ': 'p', 'υ': 'u', 'χ': 'x', 'ε': 'e',
  'ү': 'y', 'ո': 'n', 'ɨ': 'i', 'ɩ': 'i', 'ɪ': 'i', 'ʏ': 'y', 'ʀ': 'r', 'ʟ': 'l', 'ɴ': 'n', 'ɢ': 'g', 'ʜ': 'h', 'ʙ': 'b',
  'ᴀ': 'a', 'ᴄ': 'c', 'ᴅ': 'd', 'ᴇ': 'e', 'ᴊ': 'j', 'ᴋ': 'k', 'ᴍ': 'm', 'ᴏ': 'o', 'ᴘ': 'p', 'ᴛ': 't', 'ᴜ': 'u', 'ᴠ': 'v', 'ᴡ': 'w', 'ᴢ': 'z', 'ꜱ': 's',
};
const LOOKALIKE = new RegExp(`[${Object.keys(LATIN_LOOKALIKES).join('')}]`, 'gu');

/**
 * A name as a reader of the log would take it: compatibility forms folded, invisible
 * characters and case dropped, letters drawn as Latin ones read as those.
 */
const asShown = (name: string): string =>
  name.normalize('NFKC').replace(/[\p{Cf}\p{Default_Ignorable_Code_Point}\s]/gu, '').toLowerCase().replace(LOOKALIKE, (letter) => LATIN_LOOKALIKES[letter]!);
const issueToken = z.object({
  principal: issuedPrincipal, tokenHash: sha256Hex,
  // One grant per namespace, as one capability per grant: two would read as either alone.
  grants: z.array(grant).min(1).refine((given) => new Set(given.map((g) => g.namespace)).size === given.length, 'names a namespace more than once: give it one grant with all its capabilities'),
}).strict();
export const IssueToken = command<typeof issueToken, Principal>('cmd.deployer.issue-token.v1', issueToken);

const authenticate = z.object({ tokenHash: sha256Hex }).strict();
export const Authenticate = query<typeof authenticate, Principal>('qry.deployer.authenticate.v1', authenticate, { hedged: true });

const revokeToken = z.object({ tokenHash: sha256Hex }).strict();
/** Revokes a token for good: its hash can never be issued again. */
export const RevokeToken = command<typeof revokeToken, TokenView>('cmd.deployer.revoke-token.v1', revokeToken);
/**
 * Withdraws a token request whose secret could not be handed to its requester (the gateway
 * answered before the deployer did): revoked for good whether it was issued already or
 * not yet, so a token nobody holds never becomes valid. Answers whether it had been issued.
 */
export const WithdrawToken = command<typeof revokeToken, { wasIssued: boolean }>('cmd.deployer.withdraw-token.v1', revokeToken);

/** A token as an admin lists it: its id is its SHA-256 hash (the token itself is never kept). */
export interface TokenView {
  id: string;
  principal: string;
  grants: Grant[];
  issuedAt: string;
}
const listTokens = z.object({}).strict();
export const ListTokens = query<typeof listTokens, TokenView[]>('qry.deployer.list-tokens.v1', listTokens, { hedged: true });

export const TokenIssued = event('token.issued.v1', issueToken.extend({ issuedAt: z.string() }));
export const TokenRevoked = event('token.revoked.v1', revokeToken.extend({ revokedAt: z.string() }));
export const tokenStreamId = (tokenHash: string): string => `token-${tokenHash}`;

/** Does this principal hold `needed` in `namespace`? `admin` implies the others. */
export function allows(principal: Principal, namespace: string | undefined, needed: Capability): boolean {
  return principal.grants.some((g) =>
    (g.namespace === '*' || g.namespace === namespace)
    && (g.capabilities.includes(needed) || g.capabilities.includes('admin')
      || (needed === 'read' && g.capabilities.includes('submit'))));
}
