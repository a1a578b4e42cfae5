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
