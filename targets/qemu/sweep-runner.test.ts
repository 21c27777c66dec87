import { beforeAll, describe, expect, it } from 'vitest';
import { qemuGate } from '../../test-support/machine-tools.ts';
import { liveChildCount } from './process-reaper.ts';
import type { QemuSweepTarget } from './sweep-catalogue.ts';
import { formatSweepProgress, progressBarWriter, runQemuSweep, type SweepProgress } from './sweep-runner.ts';

const qemu = await qemuGate();

const entries: QemuSweepTarget[] = [
  { id: 'virtio-net-pci/modern', spec: 'qemu:virtio-net-pci,disable-legacy=on', device: 'virtio-net-pci', variant: 'modern' },
  { id: 'virtio-blk-pci/pcie', spec: 'qemu:virtio-blk-pci@pcie', device: 'virtio-blk-pci', variant: 'pcie' },
  { id: 'virtio-nonexistent-pci/modern', spec: 'qemu:virtio-nonexistent-pci,disable-legacy=on', device: 'virtio-nonexistent-pci', variant: 'modern' },
  { id: 'virtio-rng-pci/iommu-platform', spec: 'qemu:virtio-rng-pci,disable-legacy=on,iommu_platform=on', device: 'virtio-rng-pci', variant: 'iommu-platform' },
];

describe.skipIf(!qemu.runs)(qemu.title('qemu sweep runner'), () => {
  beforeAll(() => qemu.require());
  it('runs every entry in its own QEMU, at most `concurrency` at once, records failures and reaps all', async () => {
    const progress: SweepProgress[] = [];
    let running = 0;
    let peak = 0;
    const outcomes = await runQemuSweep(
      entries,
      async (target) => {
        running++;
        peak = Math.max(peak, running);
        try {
          const [fn] = await target.functions();
          return await fn!.readConfig(2, 2);
        } finally {
          running--;
        }
      },
      { concurrency: 2, onProgress: (p) => progress.push(p) },
    );
    expect(outcomes.map((o) => [o.entry.id, o.result, o.error?.diagnostic])).toEqual([
      ['virtio-net-pci/modern', 0x1041, undefined],
      ['virtio-blk-pci/pcie', 0x1042, undefined],
      ['virtio-nonexistent-pci/modern', undefined, 'targetCrashed'],
      ['virtio-rng-pci/iommu-platform', 0x1044, undefined],
    ]);
    expect(peak).toBeLessThanOrEqual(2);
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4]);
    expect(progress.every((p) => p.total === 4)).toBe(true);
    expect(liveChildCount()).toBe(0);
  });

  it('closes the QEMU even when the work throws', async () => {
    const outcomes = await runQemuSweep(entries.slice(0, 1), async () => {
      throw new Error('suite blew up');
    });
    expect(outcomes[0]!.error?.message).toContain('suite blew up');
    expect(liveChildCount()).toBe(0);
  });
});

describe('sweep progress line', () => {
  it('draws a bar proportional to the entries done', () => {
    expect(formatSweepProgress({ done: 1, total: 4, running: 2, last: entries[0]!, ok: true }, 8)).toBe('[##......] 1/4 virtio-net-pci/modern ok');
    expect(formatSweepProgress({ done: 4, total: 4, running: 0, last: entries[2]!, ok: false }, 8)).toBe('[########] 4/4 virtio-nonexistent-pci/modern ERROR');
  });

  it('redraws in place on a terminal and writes lines elsewhere', () => {
    const written: string[] = [];
    const sink = (isTTY: boolean) => ({ isTTY, write: (text: string) => written.push(text) }) as unknown as NodeJS.WritableStream & { isTTY: boolean };
    progressBarWriter(sink(true))({ done: 1, total: 2, running: 1, last: entries[0]!, ok: true });
    progressBarWriter(sink(false))({ done: 2, total: 2, running: 0, last: entries[1]!, ok: true });
    expect(written[0]).toMatch(/^\r\u001b\[K\[#+\.+\] 1\/2 virtio-net-pci\/modern ok$/);
    expect(written[1]).toMatch(/^\[#+\] 2\/2 virtio-blk-pci\/pcie ok\n$/);
  });
});
