import { fold } from '@slipway/event-log';
import { jobIdOf } from './job-id';
import { telescopeDecider, type TelescopeCommand, type TelescopeEvent, type TelescopeState } from './telescope.decider';

const request = { services: ['server-nginx'], data_sources: ['LOGS'], start: '2023-10-26T13:08:45.131Z', end: '2023-10-26T14:08:45.131Z', label: 'l-1' };
const run = (history: TelescopeEvent[], command: TelescopeCommand): { events: TelescopeEvent[]; state: TelescopeState } => {
  const before = fold(telescopeDecider, history);
  const events = telescopeDecider.decide(command, before);
  return { events, state: events.reduce(telescopeDecider.evolve, before) };
};

describe('telescopeDecider', () => {
  const requested: TelescopeEvent = { type: 'telemetry.export-requested.v1', data: { id: 'x', request } };

  it('requests an export: WAITING with an empty zip_file_path, in the document shape', () => {
    const { events, state } = run([], { kind: 'request-export', id: 'x', request });
    expect(events).toEqual([requested]);
    expect(state.job).toEqual({ id: 'x', job_status: 'WAITING', request, result: { zip_file_path: '' } });
  });

  it('refuses a start after the end, and a repeated request adds nothing', () => {
    expect(() => run([], { kind: 'request-export', id: 'x', request: { ...request, start: request.end, end: request.start } })).toThrow('start must be before end');
    expect(() => run([], { kind: 'request-export', id: 'x', request: { ...request, end: request.start } })).toThrow('start must be before end: an export covers [start, end)');
    expect(run([requested], { kind: 'request-export', id: 'x', request }).events).toEqual([]);
  });

  it('completes once with the collected files; later completions and failures add nothing', () => {
    const done = run([requested], { kind: 'complete-export', id: 'x', zipFilePath: '/tmp/t/x.zip', files: { 'manifest.json': 120 } });
    expect(done.state.job).toMatchObject({ job_status: 'SUCCESS', result: { zip_file_path: '/tmp/t/x.zip' } });
    expect(run([requested, ...done.events], { kind: 'fail-export', id: 'x', reason: 'late' }).events).toEqual([]);
    expect(run([requested], { kind: 'fail-export', id: 'x', reason: 'boom' }).state.job).toMatchObject({ job_status: 'FAILED' });
  });

  it('refuses to complete an export never requested', () => {
    expect(() => run([], { kind: 'complete-export', id: 'y', zipFilePath: '', files: {} })).toThrow('export "y" not found');
  });

  it('records an import as SUCCESS with the manifest as its result', () => {
    const { state } = run([], { kind: 'import', id: 'i', zipFilePath: 'telescope.zip', manifest: request, configs: {} });
    expect(state.job).toEqual({ id: 'i', job_status: 'SUCCESS', request: { zip_file_path: 'telescope.zip' }, result: request });
  });
});

describe('jobIdOf', () => {
  it('derives a stable UUID from a command id', () => {
    expect(jobIdOf('c1')).toBe(jobIdOf('c1'));
    expect(jobIdOf('c1')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
