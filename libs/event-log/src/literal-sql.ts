import { escapeLiteral, type PoolClient, type QueryResult } from 'pg';

/*
 * Statements sent later, several in one message. The simple query protocol runs many
 * statements per message but takes no parameters, so a statement written with `$n`
 * placeholders is turned into one with the values as escaped literals, typed by the
 * casts it already has (`$1::jsonb` becomes `'…'::jsonb`).
 */

/** A value as a Postgres literal, the way it would be sent as a text parameter. */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) return escapeLiteral(arrayText(value));
  return escapeLiteral(scalarText(value));
}

function scalarText(value: unknown): string {
  // pg sends these in ways a literal would not repeat (local time, raw bytes): refuse them.
  if (value instanceof Date) throw new Error('literal SQL takes no Date values: pass an ISO-8601 string');
  if (value instanceof Uint8Array) throw new Error('literal SQL takes no binary values');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Postgres array syntax: every element quoted, so commas, braces and spaces stay inside. */
function arrayText(values: unknown[]): string {
  const element = (v: unknown): string => {
    if (v === null || v === undefined) return 'NULL';
    if (Array.isArray(v)) return arrayText(v);
    return `"${scalarText(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  };
  return `{${values.map(element).join(',')}}`;
}

/**
 * Replaces `$1`… with the values as literals. Only for statements whose text has no
 * `$n` inside string literals or dollar quotes and no comments: our own SQL, written
 * with placeholders.
 */
export function inlineParams(sql: string, params: readonly unknown[] = []): string {
  // A value with a line break inside a `--` comment would end the comment and run.
  if (sql.includes('--') || sql.includes('/*')) throw new Error('literal SQL takes statements without comments');
  return sql.replace(/\$(\d+)/g, (placeholder, n: string) => {
    const index = Number(n) - 1;
    if (index < 0 || index >= params.length) throw new Error(`${placeholder} has no value (${params.length} given)`);
    return literal(params[index]);
  });
}

/**
 * A stand-in client for code that only writes: each query is recorded as one literal
 * statement and answers no rows. What it records runs later, with the commit.
 */
export function recordingClient(statements: string[]): PoolClient {
  const query = (sql: string | { text: string; values?: unknown[] }, params?: unknown[]) => {
    const text = typeof sql === 'string' ? sql : sql.text;
    statements.push(inlineParams(text, typeof sql === 'string' ? params : sql.values));
    return Promise.resolve({ rows: [], rowCount: 0, command: '', oid: 0, fields: [] } as QueryResult);
  };
  return { query } as unknown as PoolClient;
}
