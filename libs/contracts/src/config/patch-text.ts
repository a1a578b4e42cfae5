import { z } from 'zod';

export const MAX_PATCH_TEXT = 2 * 1024 * 1024;

export const dnsLabelLike = z.string()
  .max(63, 'must be at most 63 characters')
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit');
