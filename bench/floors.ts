import { fork } from 'node:child_process';
import { join } from 'node:path';
import { Pool } from 'pg';
import { closedLoop } from './http-load';

/** Single-row inserts from 32 connections into the same Postgres: the write floor. */
export async function insertFloor(databaseUrl: string, seconds: number): Promise<number> {
  const pool = new Pool({ connectionString: databaseUrl, max: 32 });
  await pool.query('CREATE TABLE IF NOT EXISTS bench_floor (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, data jsonb NOT NULL)');
  let inserted = 0;
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (performance.now() < deadline) {
      await pool.query('INSERT INTO bench_floor (data) VALUES ($1)', [JSON.stringify({ n: inserted })]);
      inserted++;
    }
  }));
  await pool.end();
  return inserted / seconds;
}

/** A bare Fastify hello-world in its own process, loaded like the gateway: the HTTP floor. */
export async function fastifyFloor(seconds: number, connections: number): Promise<number> {
  const child = fork(join(__dirname, 'fastify-hello.js'), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve(Number(m))));
  try {
    const result = await closedLoop(`http://127.0.0.1:${port}`, connections, seconds, () => ({ method: 'GET', path: '/' }));
    return result.perSecond;
  } finally {
    child.kill();
  }
}
