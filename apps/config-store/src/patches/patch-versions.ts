/** Patch versions: milliseconds of the command's time, kept strictly above every earlier version. */
export function nextVersions(lastVersion: number, issuedAt: string, count: number): number[] {
  const first = Math.max(lastVersion + 1, Date.parse(issuedAt) || 0);
  return Array.from({ length: count }, (_, i) => first + i);
}
