import { createPool } from '@slipway/event-log';
import { cpuPerUnit, cpuSnapshot, peakMemory, resetPeakMemory, type PerUnit } from './cpu-usage';
import { percentile } from './stats';

export interface LongNamespaceResult {
  targets: number;
  bytes: number;
  /** Reading the namespace's rows with a bare client and writing them as JSON: the floor. */
  floorMs: number;
  /** One list through the gateway at a time: the median. */
  listMs: number;
  /** CPU per list, per process role, over those lists. */
  cpu: PerUnit[];
  /** A list as YAML (Accept: application/yaml), the median of three, and its size. */
  yamlMs: number;
  yamlBytes: number;
  /** The gateway's resident memory before the lists, and its peak while the JSON lists ran, one at a time, and the YAML lists (bytes). */
  gatewayRssBefore: number;
  gatewayPeakJsonRss: number;
  gatewayPeakYamlRss: number;
  /** `together` lists sent at once: the last one's answer, and their statuses. */
  together: number;
  togetherMs: number;
  statuses: Record<number, number>;
}

const NAMESPACE = 'bench-wide';

/**
 * (k) A namespace of many targets listed through the gateway (the Ververica document pages
 * nothing), against reading its rows from Postgres directly. The rows are written into the
 * read model alone, and removed after: the phase reads, and the log stays as the replay
 * phase expects it.
 */
export async function longNamespaceBench(url: string, token: string, databaseUrl: string, targets = 21_500, together = 8): Promise<LongNamespaceResult> {
  const pool = createPool(databaseUrl, { schema: 'deployer', max: 2 });
  const list = async (accept = 'application/json') => {
    const answer = await fetch(`${url}/api/v1/namespaces/${NAMESPACE}/deployment-targets`, { headers: { authorization: `Bearer ${token}`, accept } });
    return { status: answer.status, bytes: (await answer.arrayBuffer()).byteLength };
  };
  try {
    await pool.query(
      `INSERT INTO targets (namespace, name, id, labels, annotations, kubernetes_namespace, created_at, modified_at, resource_version)
       SELECT $1, 'target-' || i, gen_random_uuid(), '{"team": "payments", "tier": "web"}', '{"owner": "someone@example.com"}', 'apps-' || i, now(), now(), 1
       FROM generate_series(1, $2) i`,
      [NAMESPACE, targets],
    );
    const floors: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const { rows } = await pool.query('SELECT * FROM targets WHERE namespace = $1 ORDER BY name', [NAMESPACE]);
      JSON.stringify(rows);
      floors.push(performance.now() - started);
    }
    await list();
    const gatewayRssBefore = resetPeakMemory('gateway');
    const times: number[] = [];
    let bytes = 0;
    const before = cpuSnapshot();
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const answer = await list();
      if (answer.status !== 200) throw new Error(`a list of the wide namespace answered ${answer.status}`);
      bytes = answer.bytes;
      times.push(performance.now() - started);
    }
    const cpu = cpuPerUnit(before, cpuSnapshot(), times.length);
    const gatewayPeakJsonRss = peakMemory('gateway');
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: together }, () => list()));
    const togetherMs = performance.now() - started;
    // The first starts the gateway's YAML worker thread: the median of three.
    const yamlTimes: number[] = [];
    resetPeakMemory('gateway');
    let yaml = { status: 0, bytes: 0 };
    for (let i = 0; i < 3; i++) {
      const yamlStarted = performance.now();
      yaml = await list('application/yaml');
      yamlTimes.push(performance.now() - yamlStarted);
      if (yaml.status !== 200) throw new Error(`a YAML list of the wide namespace answered ${yaml.status}`);
    }
    const yamlMs = percentile(yamlTimes, 50);
    const gatewayPeakYamlRss = peakMemory('gateway');
    const statuses: Record<number, number> = {};
    for (const { status } of answers) statuses[status] = (statuses[status] ?? 0) + 1;
    return { targets, bytes, floorMs: percentile(floors, 50), listMs: percentile(times, 50), cpu, yamlMs, yamlBytes: yaml.bytes, gatewayRssBefore, gatewayPeakJsonRss, gatewayPeakYamlRss, together, togetherMs, statuses };
  } finally {
    await pool.query('DELETE FROM targets WHERE namespace = $1', [NAMESPACE]);
    await pool.end();
  }
}
