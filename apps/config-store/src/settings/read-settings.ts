import { DEFAULT_SETTINGS } from '@slipway/contracts';
import type { Sql } from '@slipway/event-log';

/**
 * The settings document as GET /settings answers it: the projected rows, with each
 * withheld secret's value taken from the secret table (a row the projection marks
 * withheld has no value of its own). Before any update, the document's defaults.
 */
export async function readSettings(sql: Sql): Promise<Record<string, string>> {
  const { rows } = await sql.query<{ key: string; value: string }>(
    `SELECT s.key, CASE WHEN s.withheld THEN coalesce(x.value, '') ELSE s.value END AS value
     FROM settings s LEFT JOIN setting_secrets x ON x.key = s.key ORDER BY s.key`,
  );
  return rows.length ? Object.fromEntries(rows.map((r) => [r.key, r.value])) : { ...DEFAULT_SETTINGS };
}
