import { rebaseTransactionIds } from '@slipway/event-log';
import { checkAllSnapshots, replayAll, stuckProjections } from './replay';

/**
 * `npm run replay [-- --repair [--downgrade]]`: exit status 0 when every rebuilt projection equals the
 * live one (or was repaired), none that follows the log is stuck behind it, and every snapshot
 * equals its stream folded from the start; 1 otherwise (a projection that could not be rebuilt named).
 * A repair refuses a projection a newer version built unless `--downgrade` says to go back.
 * `npm run replay -- --rebase-transaction-ids`, with the services stopped: renumbers the
 * transaction ids of a log restored from a logical dump of another server (README, Backups).
 */
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set (npm start writes it to env in its state directory, SLIPWAY_STATE_DIR or .slipway/, which npm run replay reads)');
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => !['--repair', '--downgrade', '--rebase-transaction-ids'].includes(a));
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown[0]} (the options are --repair [--downgrade] and --rebase-transaction-ids)`);
  if (args.includes('--downgrade') && !args.includes('--repair')) throw new Error('--downgrade goes with --repair: it lets a repair rebuild a projection a newer version built');
  if (args.includes('--rebase-transaction-ids')) {
    if (args.length > 1) throw new Error('--rebase-transaction-ids goes alone: start the services, then replay');
    await rebase(url);
    return;
  }
  const repair = args.includes('--repair');
  // Asked first: a replay's comparisons hold transactions open that the readers' gate waits
  // behind, so asked after a long one, a projection that only waited would read as stuck.
  const stuck = await stuckProjections(url);
  const reports = await replayAll(url, { repair, downgrade: args.includes('--downgrade') });
  for (const r of reports) {
    if (r.failed !== undefined) {
      console.log(`FAILED  ${r.projection}  ${r.failed}`);
      continue;
    }
    const rate = r.millis > 0 ? Math.round((r.events / r.millis) * 1000) : r.events;
    // Counted in both directions: a changed row is one row only live and one only rebuilt.
    const diff = Object.entries(r.differences).map(([table, n]) => `${table}: ${n} rows in only one of live and rebuilt`).join(', ');
    const verdict = r.repaired ? 'REPAIRED' : r.equal ? 'equal  ' : 'DIFFERS';
    const held = r.repaired ? `, writers held off ${(r.lockedMs ?? 0).toFixed(0)} ms` : '';
    console.log(`${verdict} ${r.projection}  ${r.events} events in ${r.millis.toFixed(0)} ms (${rate}/s)${held}  ${diff}`);
  }
  // Compared only as far as it has applied the log: equal says nothing of what it left behind.
  for (const s of stuck) {
    const since = s.movedAt ? `its checkpoint unmoved since ${s.movedAt}` : 'it has stored no checkpoint';
    console.log(`STUCK   ${s.name}  has not applied events written since ${s.oldestLeftAt} (${since}): it equals its rebuild only that far; its service's log says why`);
  }
  if (!repair && reports.some((r) => !r.equal && r.failed === undefined)) console.log('        npm run replay -- --repair replaces the differing live rows with the rebuilt ones');
  const snapshots = await checkAllSnapshots(url);
  const unused = snapshots.unused > 0 ? ` (${snapshots.unused} of an older state version, unused)` : '';
  console.log(`${snapshots.differing.length === 0 ? 'equal  ' : 'DIFFERS'} snapshots  ${snapshots.checked} checked against their streams${unused}`);
  // A snapshot is a cache: deleting one makes the next command fold its whole stream again.
  for (const s of snapshots.differing) console.log(`        ${s}: differs from its stream; DELETE it from stream_snapshots`);
  process.exitCode = reports.every((r) => r.equal || r.repaired) && stuck.length === 0 && snapshots.differing.length === 0 ? 0 : 1;
}

/** After a restore from a logical dump of another server: see rebaseTransactionIds. */
async function rebase(url: string): Promise<void> {
  const report = await rebaseTransactionIds(url, (advanced) => console.log(`        advanced this server's transaction ids by ${advanced}`));
  console.log(report.rebased
    ? `REBASED the log's ${report.transactions} transaction ids, in order (this server's own advanced by ${report.advancedBy} first)`
    : `nothing to do: the log's ${report.transactions} transaction ids are all behind this server's`);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  // npm start's is started for the replay when npm start is stopped (scripts/replay.sh): this is another.
  const hint = (error as { code?: unknown }).code === 'ECONNREFUSED' ? ' — is the database running?' : '';
  console.error(`${message}${hint}`);
  process.exitCode = 2;
});
