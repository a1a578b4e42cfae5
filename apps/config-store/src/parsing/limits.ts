import { MAX_NESTING } from '@slipway/materializer';

/** Bounds that keep hostile YAML from costing more than its size (see docs/api-dialects.md). */
export const YAML_LIMITS = {
  /** Alias expansions per document: a "billion laughs" document fails fast. */
  maxAliases: 50,
  /** Documents per upload. */
  maxDocuments: 2_000,
  /** Bytes per document. */
  maxDocumentBytes: 1024 * 1024,
  /**
   * What aliases may add to a document: its keys and values, aliases expanded, at most twice
   * its text and 4 KiB more. Fifty aliases of a 1 MiB string made a 3 MB upload a 150 MB event
   * (the log's reader could not page past it), the count of aliases alone bounding nothing
   * of their size; anchors as configs use them (an env block shared by containers) stay far below.
   */
  expansion: { times: 2, plusBytes: 4 * 1024 },
  /**
   * Lists and maps nested in one another, per document. Real objects stay far below: a
   * Deployment reaches about 10 levels, a CRD's OpenAPI schema a few dozen (each schema
   * level is two: `properties` and the field). Code after parsing (materializing, merging,
   * sealing, printing) recurses and overflows the stack from about 700 levels, which made
   * such a command fail on every retry; 128 keeps well clear of both.
   */
  maxDepth: MAX_NESTING,
} as const;
