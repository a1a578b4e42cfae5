import { Client } from 'pg';

/** Counters of the work behind the commands: Postgres transactions and NATS messages. */
export interface Traffic { pgTransactions: number; natsIn: number; natsOut: number }

async function pgTransactions(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // The statistics collector flushes per backend about once a second; ask for fresh counts.
    await client.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await client.query<{ n: string }>('SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()');
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

async function natsMessages(monitorUrl: string): Promise<{ in: number; out: number }> {
  const varz = (await (await fetch(`${monitorUrl}/varz`)).json()) as { in_msgs: number; out_msgs: number };
  return { in: varz.in_msgs, out: varz.out_msgs };
}

export async function trafficSnapshot(databaseUrl: string, monitorUrl: string): Promise<Traffic> {
  const [pg, nats] = await Promise.all([pgTransactions(databaseUrl), natsMessages(monitorUrl)]);
  return { pgTransactions: pg, natsIn: nats.in, natsOut: nats.out };
}

/** Per unit of work, between two snapshots. */
export function trafficPerUnit(before: Traffic, after: Traffic, units: number): Traffic {
  return {
    pgTransactions: (after.pgTransactions - before.pgTransactions) / units,
    natsIn: (after.natsIn - before.natsIn) / units,
    natsOut: (after.natsOut - before.natsOut) / units,
  };
}
