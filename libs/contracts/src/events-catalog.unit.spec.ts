import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import * as contracts from './index';

/** docs/events.md, an auditor's guide to the log, against the event contracts it describes. */
const catalog = readFileSync(resolve(__dirname, '..', '..', '..', 'docs', 'events.md'), 'utf8');
const documented = new Map([...catalog.matchAll(/^\| `([a-z-]+\.[a-z-]+\.v\d+)` \|.*\| ([^|]*) \|$/gm)]
  .map(([, type, data]) => [type!, [...data!.matchAll(/`([A-Za-z]+)`/g)].map(([, field]) => field!)]));

const isEventContract = (value: unknown): value is { type: string; subject: string; schema: z.ZodType } =>
  typeof value === 'object' && value !== null && typeof (value as { subject?: unknown }).subject === 'string'
  && (value as { subject: string }).subject.startsWith('evt.');
const events = (Object.values(contracts) as unknown[]).filter(isEventContract);

describe('docs/events.md', () => {
  it('names every event type there is, and none that is not', () => {
    expect(events.length).toBeGreaterThan(20);
    expect([...documented.keys()].sort()).toEqual(events.map((event) => event.type).sort());
  });

  it.each(events.map((event) => [event.type, event] as const))('lists the fields of %s as its schema has them', (_type, event) => {
    const schema = z.toJSONSchema(event.schema, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, unknown> };
    expect(documented.get(event.type)).toEqual(Object.keys(schema.properties));
  });
});
