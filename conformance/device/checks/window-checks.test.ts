import { describe, expect, it } from 'vitest';
import { VirtioPciCfgType } from '../../../generated/ts/virtio/virtio-pci-cap.ts';
import { VIRTIO_PCI_CFG_CAP_OFFSETS } from '../../../generated/ts/virtio/virtio-pci-cfg-cap.ts';
import { modernNetDescription } from '../../../reference-impl/virtio/index.ts';
import type { AccessWidth } from '../../../targets/device-target.ts';
import { preferredCapabilities } from './live-access.ts';
import { describedDevice, device, type Harness } from '../../../test-support/device-checks/test-devices.ts';
import type { CheckFinding } from './verdict.ts';
import { checkWindowReads, checkWindowWrites, windowTargets } from './window-checks.ts';

/** QEMU's modern-pio-notify=on shape: memory structures in BAR4 and one more notification structure in I/O BAR2. */
const pioNotify = () =>
  describedDevice(modernNetDescription({ placement: { bar: 4, space: 'memory', is64: true, prefetchable: true, size: 0x4000, common: 0, isr: 0x1000, device: 0x2000, notify: 0x3000, notifyIoBar: 2 } }));

function violation(finding: CheckFinding) {
  expect(finding.outcome, JSON.stringify(finding)).toBe('fail');
  if (finding.outcome !== 'fail') throw new Error('unreachable');
  return finding.violations[0];
}

/**
 * Makes the window route by cap.offset alone, to the first structure whose range holds it, whatever
 * cap.bar says (what QEMU's virtio_address_space_lookup does).
 */
function ignoreBar(h: Harness): void {
  const model = h.fn.model;
  const window = preferredCapabilities(h.view).get(VirtioPciCfgType.PCI_CFG)!;
  const data = window.offset + VIRTIO_PCI_CFG_CAP_OFFSETS.pciCfgData;
  const target = (): { bar: number; offset: number; length: AccessWidth } | undefined => {
    const offset = model.config.peek(window.offset + VIRTIO_PCI_CFG_CAP_OFFSETS.offset, 4);
    const length = model.config.peek(window.offset + VIRTIO_PCI_CFG_CAP_OFFSETS.length, 4) as AccessWidth;
    const range = model.structureRanges.find((candidate) => BigInt(offset) >= candidate.offset && BigInt(offset + length) <= candidate.offset + candidate.length);
    return range === undefined ? undefined : { bar: range.bar, offset, length };
  };
  h.hooks.readConfig = (o, _w, v) => {
    if (o !== data) return v;
    const t = target();
    return t === undefined ? 0 : model.barRead(t.bar, t.offset, t.length);
  };
  h.hooks.writeConfig = (o, _w, v) => {
    if (o !== data) return true;
    const t = target();
    if (t !== undefined) model.barWrite(t.bar, t.offset, t.length, v);
    return false;
  };
}

describe('PCI-DEV-43/42: the PCI configuration access window', () => {
  it('a device with a notification structure in an I/O BAR passes, every structure read through its own bar', async () => {
    const h = await pioNotify();
    expect(new Set(windowTargets(h.view).map((target) => target.virtio.bar))).toEqual(new Set([4, 2]));
    const reads = await checkWindowReads(h.view, h.common);
    expect(reads).toMatchObject({ outcome: 'pass', note: expect.stringContaining('BAR4, BAR2') });
    expect((await checkWindowWrites(h.view, h.common)).outcome).toBe('pass');
    // The notification written through the window to BAR2 reached the device as one.
    expect(h.fn.model.notifications().length).toBe(1);
  });

  it('fails a window that ignores cap.bar when structures live in different BARs (QEMU 7.2)', async () => {
    const h = await pioNotify();
    ignoreBar(h);
    expect(violation(await checkWindowReads(h.view, h.common))).toMatchObject({ code: 'window-read-mismatch', bar: 2, offset: 0, direct: 0, through: 1 });
    expect(violation(await checkWindowWrites(h.view, h.common))).toMatchObject({ code: 'window-write-misrouted', bar: 2, landed: 'device_feature_select', after: 3 });
  });

  it('the same window passes where every structure shares one BAR: nothing there shows the defect', async () => {
    const h = await device('net');
    ignoreBar(h);
    expect((await checkWindowReads(h.view, h.common)).outcome).toBe('pass');
    expect((await checkWindowWrites(h.view, h.common)).outcome).toBe('pass');
  });

  it('fails a window that corrupts reads, one that drops writes, and a bar field that ignores writes', async () => {
    const h = await device('net');
    const window = preferredCapabilities(h.view).get(VirtioPciCfgType.PCI_CFG)!;
    const data = window.offset + VIRTIO_PCI_CFG_CAP_OFFSETS.pciCfgData;
    h.hooks.readConfig = (o, _w, v) => (o === data ? v ^ 1 : v);
    const read = await checkWindowReads(h.view, h.common);
    expect(violation(read)).toMatchObject({ code: 'window-read-mismatch', dataAt: data });
    if (read.outcome === 'fail') expect(read.evidence[0]).toMatchObject({ kind: 'bytes', space: 'config', offset: window.offset });
    h.hooks.readConfig = undefined;
    h.hooks.writeConfig = (o) => o !== data;
    expect(violation(await checkWindowWrites(h.view, h.common))).toMatchObject({ code: 'window-write-lost', field: 'device_feature_select' });
    // A fresh device: the bar field still holds its initial 0.
    const fresh = await device('net');
    fresh.hooks.writeConfig = (o) => o !== window.offset + VIRTIO_PCI_CFG_CAP_OFFSETS.bar;
    expect(violation(await checkWindowReads(fresh.view, fresh.common))).toMatchObject({ code: 'window-bar-readback', written: 4, readBack: 0 });
  });
});
