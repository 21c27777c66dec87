/**
 * The evidence of a driver check: the slice of the decoded trace around the accesses a verdict is
 * about, one line per access, the guest's markers in between, the accesses in question marked `*`.
 * Rendered as text evidence (the result model's `text` kind), so every report shows it as it is.
 */
import type { DriverTrace, TraceAccess } from '../../targets/driver-trace.ts';

/** Accesses shown before the first marked access, and after each. */
const BEFORE = 8;
const AFTER = 2;
/** Most lines of one slice. */
const MAX_LINES = 60;

function hex(value: number): string {
  return `0x${value.toString(16)}`;
}

/** One access as a line: `*  #236 probe    write common  +0x14 w1 0x0b  device_status`. */
export function formatAccess(access: TraceAccess, marked: boolean): string {
  const where = access.structure === 'config' ? `config +${hex(access.offset)}` : `${access.structure.padEnd(6)} +${hex(access.offset)}${access.bar === undefined ? '' : ` (BAR${access.bar}+${hex(access.barOffset ?? 0)})`}`;
  return [
    marked ? '*' : ' ',
    `#${access.index}`.padStart(7),
    access.phase.padEnd(9),
    access.op.padEnd(5),
    where.padEnd(30),
    `w${access.width ?? '?'}`,
    hex(access.value).padEnd(12),
    access.field ?? '',
  ]
    .join(' ')
    .trimEnd();
}

/** The slice of `trace` around the accesses `at` (trace indices), with a heading naming the target. */
export function traceSlice(trace: DriverTrace, at: readonly number[], heading: string): string {
  const marked = new Set(at);
  const shown = new Set<number>();
  for (const index of at) {
    for (let i = index - (index === at[0] ? BEFORE : AFTER); i <= index + AFTER; i++) if (i >= 0 && i < trace.accesses.length) shown.add(i);
  }
  const lines = [heading, '  (decoded from QEMU\'s trace; * marks the accesses the verdict is about)'];
  let previous: number | undefined;
  let markerIndex = 0;
  const markers = [...trace.markers].sort((a, b) => a.at - b.at);
  for (const index of [...shown].sort((a, b) => a - b)) {
    if (previous !== undefined && index > previous + 1) lines.push('          ...');
    while (markerIndex < markers.length && markers[markerIndex]!.at <= index) {
      const marker = markers[markerIndex]!;
      if (previous === undefined || marker.at > previous) lines.push(`          -- guest: ${marker.name}${marker.detail === '' ? '' : ` ${marker.detail}`}`);
      markerIndex++;
    }
    lines.push(formatAccess(trace.accesses[index]!, marked.has(index)));
    previous = index;
    if (lines.length >= MAX_LINES) {
      lines.push(`          ... (${shown.size - (lines.length - 2)} more lines)`);
      break;
    }
  }
  return lines.join('\n');
}
