import { Injectable } from '@nestjs/common';
import { EventDoorbell } from './event-doorbell';

const BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

/**
 * Request counters and latency histograms in Prometheus text format, by dialect,
 * method and status. Routes are not labels: their cardinality is unbounded.
 */
@Injectable()
export class Metrics {
  constructor(private readonly doorbell: EventDoorbell) {}

  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<string, { buckets: number[]; sum: number; count: number }>();

  observe(dialect: string, method: string, status: number, millis: number): void {
    const labels = `dialect="${dialect}",method="${method}",status="${status}"`;
    this.requests.set(labels, (this.requests.get(labels) ?? 0) + 1);
    const key = `dialect="${dialect}"`;
    const h = this.latency.get(key) ?? { buckets: BUCKETS_MS.map(() => 0), sum: 0, count: 0 };
    BUCKETS_MS.forEach((le, i) => { if (millis <= le) h.buckets[i]! += 1; });
    h.sum += millis / 1000;
    h.count += 1;
    this.latency.set(key, h);
  }

  render(): string {
    const lines = ['# HELP slipway_http_requests_total HTTP requests answered by the gateway.', '# TYPE slipway_http_requests_total counter'];
    for (const [labels, n] of this.requests) lines.push(`slipway_http_requests_total{${labels}} ${n}`);
    lines.push('# HELP slipway_http_request_duration_seconds Time to answer a request.', '# TYPE slipway_http_request_duration_seconds histogram');
    for (const [labels, h] of this.latency) {
      BUCKETS_MS.forEach((le, i) => lines.push(`slipway_http_request_duration_seconds_bucket{${labels},le="${le / 1000}"} ${h.buckets[i]}`));
      lines.push(`slipway_http_request_duration_seconds_bucket{${labels},le="+Inf"} ${h.count}`);
      lines.push(`slipway_http_request_duration_seconds_sum{${labels}} ${h.sum}`, `slipway_http_request_duration_seconds_count{${labels}} ${h.count}`);
    }
    lines.push('# HELP slipway_event_streams_open Event streams (server-sent events) the gateway is serving.', '# TYPE slipway_event_streams_open gauge');
    lines.push(`slipway_event_streams_open ${this.doorbell.listening}`);
    return `${lines.join('\n')}\n`;
  }
}
