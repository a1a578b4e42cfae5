/** Bounds that keep hostile YAML from costing more than its size (see docs/api-dialects.md). */
export const YAML_LIMITS = {
  /** Alias expansions per document: a "billion laughs" document fails fast. */
  maxAliases: 50,
  /** Documents per upload. */
  maxDocuments: 2_000,
  /** Bytes per document. */
  maxDocumentBytes: 1024 * 1024,
} as const;
