import { TokenIssued, TokenRevoked, type EventDataOf } from '@slipway/contracts';
import { handlesTypes, type Projection } from '@slipway/event-log';

export const tokensProjection: Projection = {
  name: 'deployer_tokens',
  tables: ['tokens'],
  handles: handlesTypes([TokenIssued.type, TokenRevoked.type]),
  writesOnly: true,
  async apply(tx, events) {
    for (const event of events) {
      if (event.type === TokenRevoked.type) {
        await tx.query('DELETE FROM tokens WHERE token_hash = $1', [(event.data as EventDataOf<typeof TokenRevoked>).tokenHash]);
        continue;
      }
      const data = event.data as EventDataOf<typeof TokenIssued>;
      await tx.query(
        `INSERT INTO tokens (token_hash, principal, grants, issued_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (token_hash) DO UPDATE SET principal = EXCLUDED.principal, grants = EXCLUDED.grants, issued_at = EXCLUDED.issued_at`,
        [data.tokenHash, data.principal, JSON.stringify(data.grants), data.issuedAt],
      );
    }
  },
};
