import { SettingsUpdated, type EventDataOf } from '@slipway/contracts';
import { handlesTypes, type Projection, type Sql } from '@slipway/event-log';

/**
 * The secret settings' values live in `setting_secrets`, beside the log rather than in
 * it (as Kubernetes keeps Secret values out of events): the table is the store itself,
 * not a read model, so no projection lists it and a replay never empties or rebuilds it.
 */
export async function readStoredSecrets(sql: Sql): Promise<Record<string, string>> {
  const { rows } = await sql.query<{ key: string; value: string }>('SELECT key, value FROM setting_secrets');
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

/**
 * Writes the values of the secrets a settings event withholds, taken from the submitted
 * document. It rides with the command as an inline projection, so it runs only when the
 * decider appends the event, in the same transaction: the value and the record of its
 * change commit together or not at all.
 */
export function storeSecretsOf(document: Readonly<Record<string, string>>): Projection {
  return {
    name: 'settings_secret_store',
    tables: [],
    handles: handlesTypes([SettingsUpdated.type]),
    async apply(tx, events) {
      const last = events[events.length - 1];
      if (!last) return;
      const data = last.data as EventDataOf<typeof SettingsUpdated>;
      const values = (data.withheld ?? []).map(({ name }) => ({ key: name, value: document[name] ?? '' }));
      await tx.query('DELETE FROM setting_secrets');
      await tx.query(
        'INSERT INTO setting_secrets (key, value, updated_at) SELECT key, value, $2 FROM jsonb_to_recordset($1::jsonb) AS s(key text, value text)',
        [JSON.stringify(values), data.updatedAt],
      );
    },
  };
}
