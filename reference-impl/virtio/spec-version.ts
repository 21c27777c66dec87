/**
 * Ordering of virtio spec versions as `since` metadata writes them ("1.0", "1.2", "1.3"), so a
 * structure can be built as a given version of the spec defines it.
 */

/** Negative when `a` is older than `b`, 0 when equal, positive when newer. Non-numeric parts compare as text. */
export function compareVersions(a: string, b: string): number {
  const left = a.split('.');
  const right = b.split('.');
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const x = left[i] ?? '0';
    const y = right[i] ?? '0';
    const nx = Number(x);
    const ny = Number(y);
    if (Number.isFinite(nx) && Number.isFinite(ny)) {
      if (nx !== ny) return nx - ny;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}
