import type { DocumentOptions, ScalarTag, SchemaOptions, Tags } from 'yaml';

/**
 * The library warns on the process's stderr of what it reads a sender's way (a map as a key,
 * stringified): one line per request a client makes, written to the log without bound.
 * What matters is refused or read on purpose elsewhere; errors still throw.
 */
export const QUIET_YAML: DocumentOptions = { logLevel: 'error' };

/**
 * An integer with a leading zero (`0444`) is octal, as YAML 1.1 has it and Kubernetes reads
 * it (kubectl, kustomize): `defaultMode: 0400` is 256, owner-read. YAML 1.2, the library's
 * default, reads 400 — mode 0620, a group-writable secret file — and `0644` past 0777.
 */
const legacyOctal: ScalarTag = {
  tag: 'tag:yaml.org,2002:int',
  default: true,
  identify: (value) => typeof value === 'number',
  test: /^[-+]?0[0-7]+$/,
  resolve: (text) => (text.startsWith('-') ? -1 : 1) * parseInt(text.replace(/^[-+]/, ''), 8),
};

/**
 * How Kubernetes manifests are read wherever Slipway reads them as Kubernetes reads them:
 * leading-zero integers are octal. (`<<` merge keys, which kubectl expands, are refused where
 * configs come in, parse-yaml.ts: the redaction and sealing of text read its structure
 * without them, and would miss an env entry's secret name merged in from an anchor.)
 */
/**
 * A document's tags without YAML 1.1's `!!omap` (which a `%YAML 1.1` directive brings): the
 * library checks its keys pair against pair, the square of its size on the event loop (40,000
 * entries, 470 KB: 3.7 s). Kubernetes has no use for it; tagged so, it reads as the list it is.
 */
export const withoutOrderedMaps = (tags: Tags): Tags => tags.filter((tag) => typeof tag === 'string' || tag.tag !== 'tag:yaml.org,2002:omap');

/**
 * `!!binary` as Kubernetes reads it (go-yaml decodes it to its bytes, taken as a string): its
 * text decoded. Bytes that are no UTF-8 text are refused; the library's own reading makes a
 * Buffer, which reaches JSON as `{"type": "Buffer", "data": [...]}` (and, copied to another
 * thread, as a Uint8Array: `{"0": ...}`).
 */
const binaryAsText: ScalarTag = {
  tag: 'tag:yaml.org,2002:binary',
  identify: () => false,
  resolve: (text, onError) => {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(text.replace(/\s+/g, ''), 'base64'));
    } catch {
      onError('!!binary holds bytes that are no UTF-8 text: send them as base64 text (as a ConfigMap\'s binaryData takes them)');
      return text;
    }
  },
};

/** The tags a body or a config is read with: `!!binary` as text, no `!!omap`. */
export const readableTags = (tags: Tags): Tags => [binaryAsText, ...withoutOrderedMaps(tags)];

export const KUBERNETES_YAML: SchemaOptions & DocumentOptions = {
  customTags: (tags: Tags) => [legacyOctal, ...readableTags(tags)],
  logLevel: QUIET_YAML.logLevel,
};
