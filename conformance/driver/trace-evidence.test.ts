import { describe, expect, it } from 'vitest';
import { conformantTrace } from '../../test-support/driver-trace-builder.ts';
import { formatAccess, traceSlice } from './trace-evidence.ts';

describe('trace evidence', () => {
  const trace = conformantTrace();

  it('writes one line per access with where, width, value and field', () => {
    const status = trace.accesses.find((a) => a.field === 'device_status' && a.op === 'write' && a.value === 0xf)!;
    const line = formatAccess(status, true);
    expect(line.startsWith('*')).toBe(true);
    expect(line).toContain(`#${status.index}`);
    expect(line).toMatch(/write common\s+\+0x14 \(BAR4\+0x14\)\s+w1 0xf\s+device_status/);
  });

  it('shows the accesses before the marked one, the marked ones, and the guest markers between', () => {
    const driverOk = trace.accesses.find((a) => a.field === 'device_status' && a.value === 0xf)!.index;
    const text = traceSlice(trace, [driverOk, driverOk + 2], 'heading');
    const lines = text.split('\n');
    expect(lines[0]).toBe('heading');
    expect(lines.filter((line) => line.startsWith('*'))).toHaveLength(2);
    expect(text).toContain(`#${driverOk - 8}`);
    expect(text).not.toContain(`#${driverOk - 9} `);
    expect(text).toContain('-- guest: ready device=virtio0');
  });

  it('stays bounded however many accesses a verdict names', () => {
    const text = traceSlice(trace, trace.accesses.map((a) => a.index), 'all');
    expect(text.split('\n').length).toBeLessThanOrEqual(62);
  });
});
