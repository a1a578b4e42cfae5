import { ReadEvents } from './events-log';

describe('the audit log query', () => {
  const issues = (query: Record<string, unknown>) => ReadEvents.schema.safeParse(query).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

  it('refuses a time that is none for itself only, not also as out of order (review)', () => {
    expect(issues({ since: 'nope', until: '2026-01-01T00:00:00Z' })).toEqual(['since: must be an ISO-8601 time, as 2024-05-01T12:00:00Z']);
  });

  it('refuses a window whose until is not later than its since, to every digit written', () => {
    expect(issues({ since: '2026-12-05T16:07:27.4355Z', until: '2026-12-05T16:07:27.4354Z' })).toEqual(['until: must be later than since (2026-12-05T16:07:27.4355Z)']);
    expect(issues({ since: '2026-12-05T16:07:27.4354Z', until: '2026-12-05T16:07:27.4355Z' })).toBeUndefined();
  });
});
