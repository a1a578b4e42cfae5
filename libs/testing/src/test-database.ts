import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * A fresh database per test file, so files run in parallel without seeing each other.
 * `options` are CREATE DATABASE's (a collation, say, to check that an order does not hang on
 * the server's own).
 */
export async function createTestDatabase(options = ''): Promise<string> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('DATABASE_URL is not set: run tests through jest global setup');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} ${options}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A subject/stream prefix per test file on the shared NATS server. */
export function testBusPrefix(): string {
  return `t${randomBytes(4).toString('hex')}`;
}

export function natsUrl(): string {
  const url = process.env.NATS_URL;
  if (!url) throw new Error('NATS_URL is not set: run tests through jest global setup');
  return url;
}
