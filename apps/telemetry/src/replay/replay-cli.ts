import { replayAll } from './replay';

/** `npm run replay`: exit status 0 when every rebuilt projection equals the live one. */
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set (npm start prints it, and writes it to .slipway/env)');
  const reports = await replayAll(url);
  for (const r of reports) {
    const rate = r.millis > 0 ? Math.round((r.events / r.millis) * 1000) : r.events;
    const diff = Object.entries(r.differences).map(([table, n]) => `${table}: ${n} differing rows`).join(', ');
    console.log(`${r.equal ? 'equal  ' : 'DIFFERS'} ${r.projection}  ${r.events} events in ${r.millis.toFixed(0)} ms (${rate}/s)  ${diff}`);
  }
  process.exitCode = reports.every((r) => r.equal) ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
});
