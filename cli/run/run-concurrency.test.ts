import { describe, expect, it } from 'vitest';
import { QEMU_BYTES, runConcurrency } from './run-concurrency.ts';

const GiB = 1024 * 1024 * 1024;

describe('runConcurrency', () => {
  it('bounds runs that start QEMUs by memory as well as cores', () => {
    // 1 GiB available: half of it holds 8 QEMUs of QEMU_BYTES, although there are 32 cores.
    expect(runConcurrency(['qemu:all'], { cores: 32, availableBytes: GiB, bytesPerJob: QEMU_BYTES })).toBe(8);
    expect(runConcurrency(['reference', 'qemu:virtio-net-pci'], { cores: 32, availableBytes: GiB, bytesPerJob: QEMU_BYTES })).toBe(8);
  });

  it('uses every core for runs that start no QEMU', () => {
    expect(runConcurrency(['reference', 'model:linux-2026', 'dump:x.lspci'], { cores: 32, availableBytes: GiB, bytesPerJob: QEMU_BYTES })).toBe(32);
  });

  it('uses the cores when memory is plentiful', () => {
    expect(runConcurrency(['qemu:all'], { cores: 2, availableBytes: 24 * GiB, bytesPerJob: QEMU_BYTES })).toBe(2);
  });
});
