import { HealthTracker, type CheckResult } from './health-tracker';

const check = (healthy: boolean, startedAtMs: number): CheckResult =>
  ({ id: 'Database Connection', component: 'database', healthy, details: healthy ? 'Check Passed!' : 'no answer', critical: true, startedAtMs, runtimeMs: 249 });

describe('HealthTracker', () => {
  it('answers in the document shape, grouped by component', () => {
    const report = new HealthTracker().report([check(true, 1_695_914_813_000)], 1_695_914_909_000);
    expect(report).toEqual({
      database: {
        last_updated_epoch_seconds: 1695914909,
        health_checks_by_id: {
          'Database Connection': {
            id: 'Database Connection', status: 'healthy', component_name: 'database', details: 'Check Passed!',
            tags: ['platform-status-dashboard', 'upgrade'], is_critical: true, contiguous_fails: 0,
            first_check_started_at_epoch_seconds: 1695914813, last_checked_at_epoch_seconds: 1695914813,
            last_check_runtime_milliseconds: 249, last_success_at_epoch_seconds: 1695914813,
          },
        },
      },
    });
  });

  it('counts consecutive failures, keeps the first start and the last success', () => {
    const tracker = new HealthTracker();
    tracker.record(check(true, 10_000));
    tracker.record(check(false, 20_000));
    const failing = tracker.record(check(false, 30_000));
    expect(failing).toMatchObject({ status: 'unhealthy', contiguous_fails: 2, first_check_started_at_epoch_seconds: 10, last_success_at_epoch_seconds: 10, last_checked_at_epoch_seconds: 30 });
    expect(tracker.record(check(true, 40_000))).toMatchObject({ contiguous_fails: 0, last_success_at_epoch_seconds: 40 });
  });
});
