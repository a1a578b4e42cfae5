import { createHash } from 'node:crypto';
import { podTemplateOf, type KubeObject } from '@slipway/kube';
import { sortKeysDeep, type JsonValue } from '@slipway/materializer';
import { isJsonMap, type JsonMap } from './match-elements';
import type { Digest } from './secret-digests';
import { inStoredForm } from './stored-form';

/**
 * A workload's pods read their ConfigMaps and Secrets when they start (environment
 * variables never change after; mounted files change late, and applications rarely watch
 * them), so a changed config reaches them only when they are replaced. As Helm charts do with
 * a `checksum/config` annotation and kustomize by suffixing a generated ConfigMap's name with
 * its hash, the deployer stamps each ConfigMap and Secret it applies with a digest of its
 * data (DATA_DIGEST), and the pod template of each workload reading some with a digest of
 * theirs (CONFIG_DIGEST): when one changes, the template changes and the workload rolls.
 * Both are keyed (the seal key's HMAC, hashed again so that drift does not take them for a
 * secret's digest) and a data digest covers its config's kind and name: they tell nothing of
 * a Secret's values, not even that another config holds the same.
 */
export const DATA_DIGEST = 'slipway.io/data-digest';
export const CONFIG_DIGEST = 'slipway.io/config-digest';

/**
 * The kinds that replace their pods when the template changes. A Job's template cannot
 * change (a new one would run it again) and a CronJob's next Job reads the configs anew.
 */
export const ROLLED_BY_CONFIG = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/** `ConfigMap/<name>` or `Secret/<name>`: how a pod template names a config. */
export type ConfigRef = string;

/** A keyed hash of a text, as the digests are: hex, not taken for a secret's digest. */
export type KeyedHash = (text: string) => string;

export const keyedHashWith = (digest: Digest): KeyedHash => (text) => createHash('sha256').update(digest(text)).digest('hex').slice(0, 32);

const CONFIG_KINDS = new Set(['ConfigMap', 'Secret']);
const mapOf = (value: unknown): JsonMap | undefined => (isJsonMap(value) ? value : undefined);
const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** The ref of a ConfigMap or Secret manifest, `undefined` for any other object. */
export function configRefOf(manifest: JsonMap): ConfigRef | undefined {
  const name = mapOf(manifest.metadata)?.name;
  if (manifest.apiVersion !== 'v1' || !CONFIG_KINDS.has(manifest.kind as string) || typeof name !== 'string') return undefined;
  return `${manifest.kind as string}/${name}`;
}

/** The ConfigMaps and Secrets a pod template reads: in env, envFrom, volumes and projected volumes. */
export function configsReadBy(template: unknown): Set<ConfigRef> {
  const spec = mapOf(mapOf(template)?.spec);
  const read = new Set<ConfigRef>();
  const add = (kind: string, reference: unknown, field = 'name') => {
    const name = mapOf(reference)?.[field];
    if (typeof name === 'string' && name) read.add(`${kind}/${name}`);
  };
  for (const container of [...listOf(spec?.initContainers), ...listOf(spec?.containers)]) {
    for (const source of listOf(mapOf(container)?.envFrom)) {
      add('ConfigMap', mapOf(source)?.configMapRef);
      add('Secret', mapOf(source)?.secretRef);
    }
    for (const entry of listOf(mapOf(container)?.env)) {
      const from = mapOf(mapOf(entry)?.valueFrom);
      add('ConfigMap', from?.configMapKeyRef);
      add('Secret', from?.secretKeyRef);
    }
  }
  for (const volume of listOf(spec?.volumes)) {
    add('ConfigMap', mapOf(volume)?.configMap);
    add('Secret', mapOf(volume)?.secret, 'secretName');
    for (const source of listOf(mapOf(mapOf(volume)?.projected)?.sources)) {
      add('ConfigMap', mapOf(source)?.configMap);
      add('Secret', mapOf(source)?.secret);
    }
  }
  return read;
}

/** An empty map reads as none: pods see no difference. */
const dataOrNull = (value: unknown): JsonValue => (isJsonMap(value) && Object.keys(value).length === 0 ? null : ((value ?? null) as JsonValue));

/**
 * A ConfigMap or Secret stamped with the digest of what pods read of it (`data` and
 * `binaryData`, as the API server keeps them: a Secret's `stringData` folded into `data`,
 * base64 without line breaks, inStoredForm), not its labels or annotations; any other object
 * as it is. (Stamps made before base64 was read as bytes change once for a value that was
 * wrapped: its readers roll once, at its next push.)
 */
export function withDataDigest<T extends KubeObject>(manifest: T, hash: KeyedHash): T {
  const ref = configRefOf(manifest);
  if (!ref) return manifest;
  const stored = inStoredForm(manifest);
  // The ref goes in: the same values in two configs (a ConfigMap whoever may patch holding a
  // guess at a Secret's value) must not show the same digest.
  const stamp = hash(JSON.stringify(sortKeysDeep([ref, dataOrNull(stored.data), dataOrNull(stored.binaryData)])));
  return { ...manifest, metadata: { ...manifest.metadata, annotations: { ...manifest.metadata.annotations, [DATA_DIGEST]: stamp } } };
}

/** The data digest a ConfigMap or Secret was applied with (none when applied by a Slipway from before it). */
export function dataDigestOf(manifest: JsonMap): string | undefined {
  const stamp = mapOf(mapOf(manifest.metadata)?.annotations)?.[DATA_DIGEST];
  return typeof stamp === 'string' ? stamp : undefined;
}

function rolledTemplateOf(manifest: JsonMap): JsonMap | undefined {
  return ROLLED_BY_CONFIG.has(manifest.kind as string) ? mapOf(podTemplateOf(manifest)) : undefined;
}

/**
 * A workload's manifest with its pod template stamped with the digest of the configs it
 * reads among those Slipway applied (`dataDigests`, by ref); as it is when it reads none of
 * them (configs made elsewhere are not Slipway's to follow).
 */
export function withConfigDigest<T extends KubeObject>(manifest: T, dataDigests: ReadonlyMap<ConfigRef, string>, hash: KeyedHash): T {
  const template = rolledTemplateOf(manifest);
  if (!template) return manifest;
  const read = [...configsReadBy(template)].filter((ref) => dataDigests.has(ref)).sort();
  if (read.length === 0) return manifest;
  const stamp = hash(JSON.stringify(read.map((ref) => [ref, dataDigests.get(ref)])));
  const metadata = mapOf(template.metadata) ?? {};
  const annotations = { ...mapOf(metadata.annotations), [CONFIG_DIGEST]: stamp };
  return { ...manifest, spec: { ...(manifest.spec as JsonMap), template: { ...template, metadata: { ...metadata, annotations } } } };
}

/** The config digest a workload's pod template carries. */
export function configDigestOf(manifest: JsonMap): unknown {
  return mapOf(mapOf(rolledTemplateOf(manifest)?.metadata)?.annotations)?.[CONFIG_DIGEST];
}
