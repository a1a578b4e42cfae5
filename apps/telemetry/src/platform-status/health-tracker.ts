/** One health check in the document's shape (platform-status/components). */
export interface HealthCheckView {
  id: string;
  status: 'healthy' | 'unhealthy';
  component_name: string;
  details: string;
  tags: string[];
  is_critical: boolean;
  contiguous_fails: number;
  first_check_started_at_epoch_seconds: number;
  last_checked_at_epoch_seconds: number;
  last_check_runtime_milliseconds: number;
  last_success_at_epoch_seconds: number | null;
}

export interface ComponentView {
  last_updated_epoch_seconds: number;
  health_checks_by_id: Record<string, HealthCheckView>;
}

export interface CheckResult {
  id: string;
  component: string;
  healthy: boolean;
  details: string;
  critical: boolean;
  /** Epoch milliseconds when the check started, and how long it ran. */
  startedAtMs: number;
  runtimeMs: number;
}

const TAGS = ['platform-status-dashboard'];
const seconds = (ms: number): number => Math.floor(ms / 1000);

/**
 * Remembers each check across runs (first start, consecutive failures, last success) and
 * groups the latest results by component, as the document's platform status shows them.
 */
export class HealthTracker {
  private readonly checks = new Map<string, HealthCheckView>();

  record(result: CheckResult): HealthCheckView {
    const before = this.checks.get(result.id);
    const checkedAt = seconds(result.startedAtMs + result.runtimeMs);
    const view: HealthCheckView = {
      id: result.id,
      status: result.healthy ? 'healthy' : 'unhealthy',
      component_name: result.component,
      details: result.details,
      tags: result.critical ? [...TAGS, 'upgrade'] : [...TAGS],
      is_critical: result.critical,
      contiguous_fails: result.healthy ? 0 : (before?.contiguous_fails ?? 0) + 1,
      first_check_started_at_epoch_seconds: before?.first_check_started_at_epoch_seconds ?? seconds(result.startedAtMs),
      last_checked_at_epoch_seconds: checkedAt,
      last_check_runtime_milliseconds: result.runtimeMs,
      last_success_at_epoch_seconds: result.healthy ? checkedAt : (before?.last_success_at_epoch_seconds ?? null),
    };
    this.checks.set(result.id, view);
    return view;
  }

  /** Records a run's results and answers them by component. */
  report(results: CheckResult[], nowMs: number): Record<string, ComponentView> {
    const components: Record<string, ComponentView> = {};
    for (const result of results) {
      const view = this.record(result);
      const component = (components[result.component] ??= { last_updated_epoch_seconds: seconds(nowMs), health_checks_by_id: {} });
      component.health_checks_by_id[view.id] = view;
    }
    return components;
  }
}
