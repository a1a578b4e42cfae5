import { poolOnNewLog } from '@slipway/testing/new-log';
import type { Pool } from 'pg';
import { appendToStream } from './append';
import { storeCheckpoint } from './checkpoints';
import { inTransaction } from './database';
import { checkpointOf, readLog } from './log-reader';
import { readerLag } from './reader-lag';
import { START, type EventMetadata } from './types';

const MINUTE = 60_000;

describe('readerLag', () => {
  const log = poolOnNewLog();
  let pool: Pool;
  beforeAll(() => { pool = log.pool; });

  const append = (streamId: string, occurredAt: Date) => inTransaction(pool, (tx) => appendToStream(
    tx, streamId, 0, [{ type: 'lag.happened.v1', data: {} }],
    { commandId: streamId, correlationId: streamId, actor: 'test', schemaVersion: 1, occurredAt: occurredAt.toISOString() } satisfies EventMetadata,
  ));
  /** Moves a checkpoint past every event written so far, as a reader that took them does. */
  const takeAll = async (name: string) => {
    const events = await readLog(pool, START, { limit: 10_000 });
    await storeCheckpoint(pool, name, checkpointOf(events[events.length - 1]!));
  };
  const lag = (name: string, at: number) => readerLag(pool, [name], MINUTE, at).then(([state]) => state!);

  it('tells a reader that left an event behind past the bound from one that has taken all, or has just fallen behind', async () => {
    const now = Date.now();
    // given an event written two minutes ago that no reader took
    await append('lag-old', new Date(now - 2 * MINUTE));
    // then a reader that never stored a checkpoint is stuck on it
    expect(await lag('never-ran', now)).toEqual({ name: 'never-ran', stuck: true, oldestLeftAt: new Date(now - 2 * MINUTE).toISOString() });
    // and one that took it is not, and says when it moved
    await takeAll('keeps-up');
    expect(await lag('keeps-up', now)).toMatchObject({ name: 'keeps-up', stuck: false, movedAt: expect.any(String) });
    expect((await lag('keeps-up', now)).oldestLeftAt).toBeUndefined();
    // when a new event is written now, a reader that moved just now is behind but not stuck
    await append('lag-new', new Date(now));
    expect(await lag('keeps-up', now)).toMatchObject({ stuck: false, oldestLeftAt: new Date(now).toISOString() });
    // and two minutes on, its checkpoint unmoved, it is
    expect(await lag('keeps-up', now + 2 * MINUTE)).toMatchObject({ stuck: true, oldestLeftAt: new Date(now).toISOString() });
  });

  it('does not call a reader stuck for a late-issued event that is only now written, while its checkpoint moves', async () => {
    const now = Date.now();
    await takeAll('moving');
    // an event of a command issued two minutes ago (it waited out an outage), written now
    await append('lag-late', new Date(now - 2 * MINUTE));
    expect(await lag('moving', now)).toMatchObject({ stuck: false, oldestLeftAt: new Date(now - 2 * MINUTE).toISOString() });
  });

  it('answers for several readers in the order named', async () => {
    const states = await readerLag(pool, ['b-reader', 'a-reader'], MINUTE);
    expect(states.map((s) => s.name)).toEqual(['b-reader', 'a-reader']);
  });
});
