import { CONTROL_CHARACTER } from '@slipway/contracts';
import type { Refuse } from './refusal';

/**
 * An entry's name as a relative path inside the archive, or a refusal: nothing may point
 * outside it (`..` segments, absolute or drive paths), and names carry no control
 * characters (they end up in messages and YAML comments). The archive's root directory
 * (`./`) has the empty path.
 */
export function entryPath(raw: string, refuse: Refuse, directory = false): string {
  if (CONTROL_CHARACTER.test(raw)) refuse(`entry ${JSON.stringify(raw)} has control characters in its name`);
  const name = raw.replace(/\\/g, '/');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) refuse(`entry "${raw}" has an absolute path`);
  const segments = name.split('/');
  if (segments.includes('..')) refuse(`entry "${raw}" has a ".." path segment`);
  const path = segments.filter((s) => s !== '' && s !== '.').join('/');
  if (path === '' && !directory) refuse(`entry "${raw}" has an empty name`);
  return path;
}
