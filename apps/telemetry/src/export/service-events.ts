/** Keys whose string value names the one object an entry is about. */
const NAME_KEYS = new Set(['objectName', 'object', 'target']);
/** Record keys of the form `Kind/name` (e.g. replicas per workload), not label keys such as `app.kubernetes.io/name`. */
const KIND_NAME_KEY = /^[A-Z][A-Za-z]*\/(.+)$/;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const namedEntry = (value: unknown): boolean => isRecord(value) && Object.entries(value).some(([k, v]) => NAME_KEYS.has(k) && typeof v === 'string');

/**
 * Whether event data is about one of the services: an `objectName`, `object` or `target`
 * naming one, an `objects` list holding one, or a `Kind/name` key for one, at any depth.
 * A patch aimed at a resource label rather than an object name is not attributed.
 */
export function namesService(data: unknown, services: ReadonlySet<string>): boolean {
  if (Array.isArray(data)) return data.some((item) => namesService(item, services));
  if (!isRecord(data)) return false;
  return Object.entries(data).some(([key, value]) =>
    (NAME_KEYS.has(key) && typeof value === 'string' && services.has(value))
    || (key === 'objects' && Array.isArray(value) && value.some((v) => typeof v === 'string' && services.has(v)))
    || services.has(KIND_NAME_KEY.exec(key)?.[1] ?? '')
    || namesService(value, services));
}

/**
 * Event data with other objects' parts left out: of a list of per-object entries (a
 * base-config upload's documents, applied patches) only the services' entries remain, of
 * `Kind/name` records only the services' keys — so an export never carries the config of
 * a service nobody asked for.
 */
export function narrowToServices(data: unknown, services: ReadonlySet<string>): unknown {
  if (Array.isArray(data)) {
    const entries = data.length > 0 && data.every(namedEntry) ? data.filter((item) => namesService(item, services)) : data;
    return entries.map((item) => narrowToServices(item, services));
  }
  if (!isRecord(data)) return data;
  return Object.fromEntries(Object.entries(data)
    .filter(([key]) => { const name = KIND_NAME_KEY.exec(key)?.[1]; return name === undefined || services.has(name); })
    .map(([key, value]) => [key, narrowToServices(value, services)]));
}
