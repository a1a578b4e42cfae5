import { z } from 'zod';

/** Deployment Manager object names are Kubernetes object names (DNS subdomains, case kept). */
export const objectName = z.string()
  .min(1, 'must not be empty')
  .max(253, 'must be at most 253 characters')
  .regex(/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, 'must be a Kubernetes object name: letters, digits, "-", "_" or ".", starting and ending with a letter or digit');

/** A resource label: a name for a group of objects (a kind such as "Deployment", or "database"). */
export const resourceLabel = objectName;

/** A release version such as 21.0.12, 23.07 or release-1. */
export const releaseVersion = z.string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9]([-A-Za-z0-9_.+]*[A-Za-z0-9])?$/, 'must be letters, digits, ".", "-", "_" or "+", such as 21.0.12');

/** Patch versions are numeric and monotonic (milliseconds since the epoch, or later). */
export const patchVersion = z.coerce.number()
  // Before the integer check, which a number too large to hold exactly fails too, unsaid why.
  .max(Number.MAX_SAFE_INTEGER, 'is larger than any patch version')
  .int('must be an integer').positive('must be a positive number');

/** The stored text of a config, in the document's "config" fields. */
export const MAX_CONFIG_TEXT = 1024 * 1024;
