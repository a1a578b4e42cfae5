import { JetStreamApiError } from '@nats-io/jetstream';
import type { Bus } from './bus';
import { decode, encode } from './codec';

interface Claim { installation: string; claimedAt: string }

/**
 * Claims the bus (a NATS server, under a prefix) for an installation, or checks that it is
 * claimed for it: each service does as it starts. Two Slipways on one NATS without prefixes
 * of their own shared every subject, and each handled the other's commands against its own
 * database; the second to start is refused, naming the setting that keeps them apart. The
 * first claim wins: it is published only where none is.
 */
export async function claimBus(bus: Bus, installation: string): Promise<void> {
  const subject = bus.subject('installation');
  let claim = await claimOf(bus);
  if (!claim) {
    const mine: Claim = { installation, claimedAt: new Date().toISOString() };
    try {
      await bus.js.publish(subject, encode(mine), { expect: { lastSubjectSequence: 0 } });
      return;
    } catch (error) {
      // Another process claimed it meanwhile (the expectation failed): read whose it is.
      if (!(error instanceof JetStreamApiError)) throw error;
    }
    claim = await claimOf(bus);
  }
  if (claim?.installation === installation) return;
  const stream = bus.stream('INSTALLATION');
  throw new Error(`this NATS${bus.prefix ? ` under the prefix "${bus.prefix.slice(0, -1)}"` : ''} is the bus of another Slipway (installation ${claim?.installation ?? 'unknown'}, `
    + `claimed ${claim?.claimedAt ?? 'at an unknown time'}; this database's is ${installation}): give each Slipway a SLIPWAY_BUS_PREFIX of its own. `
    + `If this database replaces that Slipway's for good (its database is gone), delete the stream ${stream} (whatever that bus still holds is the old one's) and start again`);
}

async function claimOf(bus: Bus): Promise<Claim | undefined> {
  const found = await bus.jsm.streams.getMessage(bus.stream('INSTALLATION'), { last_by_subj: bus.subject('installation') });
  return found ? decode<Claim>(found.data) : undefined;
}
