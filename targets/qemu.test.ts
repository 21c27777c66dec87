import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { qemuGate } from '../test-support/machine-tools.ts';
import { TargetError } from './device-target.ts';
import { createQemuTarget, type QemuTarget } from './qemu.ts';
import { liveChildCount } from './qemu/process-reaper.ts';

const fixtures = new URL('../fixtures/dumps/qemu-7.2/', import.meta.url).pathname;
const scratch = await mkdtemp(join(tmpdir(), 'xvc-qemu-test-'));
const qemu = await qemuGate();
const opened: QemuTarget[] = [];

async function open(spec: string, options = {}): Promise<QemuTarget> {
  const target = await createQemuTarget(spec, options);
  opened.push(target);
  return target;
}

afterEach(async () => {
  // Reaped even when an assertion failed half-way through.
  await Promise.all(opened.splice(0).map((target) => target.close()));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** A stand-in QEMU written as a shell script, to make QEMU misbehave on demand. */
async function fakeQemu(name: string, body: string): Promise<string> {
  const path = join(scratch, name);
  await writeFile(path, `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "QEMU emulator version 0.0.1 (fake)"; exit 0; fi\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

interface FixtureCase {
  spec: string;
  fixture: string;
}

const captureCases: FixtureCase[] = [
  { spec: 'qemu:virtio-net-pci,disable-legacy=on', fixture: 'net-modern.cfg256.bin' },
  { spec: 'qemu:virtio-net-pci', fixture: 'net-default.cfg256.bin' },
  { spec: 'qemu:virtio-net-pci@pcie', fixture: 'net-pcie.cfg4k.bin' },
  { spec: 'qemu:virtio-blk-pci,disable-legacy=on', fixture: 'blk-modern.cfg256.bin' },
  { spec: 'qemu:virtio-iommu-pci,disable-legacy=on', fixture: 'iommu-modern.cfg256.bin' },
];

describe.skipIf(!qemu.runs)(qemu.title('qemu target against the QEMU 7.2 captures'), () => {
  beforeAll(() => qemu.require());
  for (const { spec, fixture } of captureCases) {
    it(`${spec} matches ${fixture} apart from the BARs and Command xvc programmed`, async () => {
      const target = await open(spec);
      const [fn] = await target.functions();
      const live = await fn!.snapshot();
      const captured = new Uint8Array(await readFile(join(fixtures, fixture)));
      expect(live.length).toBe(captured.length);
      // The capture was taken before any BAR was assigned and with decoding off; xvc assigns BARs and
      // turns on memory and I/O decoding. Those bytes, and only those, may differ.
      const programmed = new Set<number>();
      for (let i = 0; i < 2; i++) programmed.add(4 + i); // Command register
      for (const bar of fn!.bars) if (bar.address !== 0) for (let i = 0; i < 4; i++) programmed.add(0x10 + 4 * bar.index + i);
      const differing: number[] = [];
      for (let i = 0; i < live.length; i++) if (live[i] !== captured[i] && !programmed.has(i)) differing.push(i);
      expect(differing).toEqual([]);
      // And the programmed bytes hold what xvc wrote.
      for (const bar of fn!.bars.filter((b) => b.address !== 0)) {
        const value = await fn!.readConfig(0x10 + 4 * bar.index, 4);
        expect((value & ~0xf) >>> 0, `BAR ${bar.index}`).toBe(bar.kind === 'io' ? (bar.address & ~0xf) >>> 0 : bar.address);
      }
      expect(await fn!.readConfig(4, 2)).toBe(0x3);
    });
  }
});

describe.skipIf(!qemu.runs)(qemu.title('qemu target, live access'), () => {
  beforeAll(() => qemu.require());
  it('records the QEMU version and the whole command line', async () => {
    const target = await open('qemu:virtio-blk-pci,disable-legacy=on');
    expect(target.metadata.kind).toBe('qemu');
    expect(target.metadata.version).toMatch(/^QEMU emulator version \d+\.\d+/);
    const line = target.metadata.commandLine!;
    for (const arg of ['-machine', 'q35', '-accel', 'tcg', '-S', '-nodefaults', '-no-user-config', '-qtest', 'stdio', '-qtest-log', '/dev/null']) expect(line).toContain(arg);
    expect(line).toContain('driver=null-co,node-name=xvcblk0,read-zeroes=on');
    expect(line.at(-1)).toBe('virtio-blk-pci,disable-legacy=on,drive=xvcblk0,addr=03.0');
  });

  it('reads and writes the common configuration through the memory BAR and through the PCI_CFG window', async () => {
    const capture = JSON.parse(await readFile(join(fixtures, 'net-modern.json'), 'utf8')) as { caps: Array<{ off: number; cfg_type?: number; bar?: number; offset?: number }> };
    const common = capture.caps.find((c) => c.cfg_type === 1)!;
    const window = capture.caps.find((c) => c.cfg_type === 5)!;
    const target = await open('qemu:virtio-net-pci,disable-legacy=on');
    const [fn] = await target.functions();
    // device_feature_select (offset 0 of the common config) is driver-writable: write 1, read it back both ways.
    await fn!.writeBar!(common.bar!, common.offset! + 0, 4, 1);
    expect(await fn!.readBar!(common.bar!, common.offset! + 0, 4)).toBe(1);
    // VIRTIO_F_VERSION_1 is feature bit 32, so bit 0 of the second feature word.
    expect((await fn!.readBar!(common.bar!, common.offset! + 4, 4)) & 1).toBe(1);
    // The same read through virtio_pci_cfg_cap: bar at +4, length at +12, offset at +8, data at +16.
    await fn!.writeConfig!(window.off + 4, 1, common.bar!);
    await fn!.writeConfig!(window.off + 12, 4, 4);
    await fn!.writeConfig!(window.off + 8, 4, common.offset! + 4);
    expect((await fn!.readConfig(window.off + 16, 4)) & 1).toBe(1);
  });

  it('sends BAR accesses through the virtio PCI_CFG window with @pcicfg', async () => {
    const capture = JSON.parse(await readFile(join(fixtures, 'net-modern.json'), 'utf8')) as { caps: Array<{ off: number; cfg_type?: number; bar?: number; offset?: number }> };
    const common = capture.caps.find((c) => c.cfg_type === 1)!;
    const target = await open('qemu:virtio-net-pci,disable-legacy=on@pcicfg');
    const [fn] = await target.functions();
    expect(fn!.window?.capabilityOffset).toBe(capture.caps.find((c) => c.cfg_type === 5)!.off);
    await fn!.writeBar!(common.bar!, common.offset! + 0, 4, 1);
    expect(await fn!.readBar!(common.bar!, common.offset! + 0, 4)).toBe(1);
    expect((await fn!.readBar!(common.bar!, common.offset! + 4, 4)) & 1).toBe(1);
    // The window left its last selection in the capability, visible in config space.
    expect(await fn!.readConfig(fn!.window!.capabilityOffset + 8, 4)).toBe(common.offset! + 4);
  });

  it('refuses @pcicfg for a device without the PCI_CFG capability', async () => {
    // A legacy-only (disable-modern) device has no virtio structure capabilities at all.
    await expect(open('qemu:virtio-net-pci,disable-modern=on@pcicfg')).rejects.toMatchObject({ diagnostic: 'targetInput' });
  });

  it('reaches a legacy I/O BAR with port I/O', async () => {
    const target = await open('qemu:virtio-net-pci-transitional');
    const [fn] = await target.functions();
    const io = fn!.bars.find((bar) => bar.kind === 'io')!;
    expect(io.size).toBeGreaterThanOrEqual(32);
    // Legacy header offset 18 is device_status: write ACKNOWLEDGE (1), read it back; 0 resets.
    await fn!.writeBar!(io.index, 18, 1, 1);
    expect(await fn!.readBar!(io.index, 18, 1)).toBe(1);
    await fn!.writeBar!(io.index, 18, 1, 0);
    expect(await fn!.readBar!(io.index, 18, 1)).toBe(0);
  });

  it('refuses accesses outside the config space or a BAR', async () => {
    const target = await open('qemu:virtio-rng-pci,disable-legacy=on');
    const [fn] = await target.functions();
    await expect(fn!.readConfig(256, 4)).rejects.toMatchObject({ diagnostic: 'targetInput' });
    await expect(fn!.readBar!(0, 0, 4)).rejects.toMatchObject({ diagnostic: 'targetInput' });
    const bar = fn!.bars.find((b) => b.kind === 'mem64')!;
    await expect(fn!.readBar!(bar.index, bar.size - 2, 4)).rejects.toMatchObject({ diagnostic: 'targetInput' });
  });

  it('turns a QEMU killed mid-test into targetCrashed with its stderr, not a hang', async () => {
    const target = await open('qemu:virtio-net-pci,disable-legacy=on');
    const [fn] = await target.functions();
    expect(target.pid).toBeGreaterThan(0);
    process.kill(target.pid!, 'SIGKILL');
    const error = await fn!.readConfig(0, 4).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TargetError);
    expect((error as TargetError).diagnostic).toBe('targetCrashed');
    expect((error as TargetError).details.stderr).toContain('has no peer');
  });

  it('reports a device QEMU refuses as targetCrashed with QEMU\'s reason', async () => {
    const error = await open('qemu:virtio-no-such-device-pci').catch((e: unknown) => e);
    expect(error).toMatchObject({ diagnostic: 'targetCrashed' });
    expect((error as TargetError).details.stderr).toMatch(/virtio-no-such-device-pci/);
  });

  it('runs the HLT-BIOS mode with the CPU halted instead of stopped', async () => {
    const target = await open('qemu:virtio-net-pci,disable-legacy=on@halted');
    expect(target.metadata.commandLine).not.toContain('-S');
    expect(target.metadata.commandLine).toContain('-bios');
    const [fn] = await target.functions();
    expect(await fn!.readConfig(0, 2)).toBe(0x1af4);
  });
});

describe('qemu target failures without a real QEMU', () => {
  it('says clearly when QEMU is absent', async () => {
    const error = await createQemuTarget('qemu:virtio-net-pci', { qemuPath: join(scratch, 'no-qemu-here') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetError);
    expect(error).toMatchObject({ diagnostic: 'targetUnavailable' });
    expect((error as Error).message).toMatch(/XVC_QEMU/);
  });

  it('honours XVC_QEMU', async () => {
    const saved = process.env.XVC_QEMU;
    process.env.XVC_QEMU = join(scratch, 'also-absent');
    try {
      await expect(createQemuTarget('qemu:virtio-net-pci')).rejects.toMatchObject({ diagnostic: 'targetUnavailable', message: expect.stringContaining('also-absent') });
    } finally {
      if (saved === undefined) delete process.env.XVC_QEMU;
      else process.env.XVC_QEMU = saved;
    }
  });

  it('rejects malformed specs before starting anything', async () => {
    for (const spec of ['qemu:', 'qemu:virtio-net-pci,bus=pcie.0', 'qemu:virtio-net-pci,novalue', 'qemu:virtio-net-pci@warp', 'qemu:Bad Name']) {
      await expect(createQemuTarget(spec), spec).rejects.toMatchObject({ diagnostic: 'targetInput' });
    }
  });

  it('kills a QEMU that never answers (targetTimeout) and leaves no process behind', async () => {
    const silent = await fakeQemu('silent-qemu', 'exec sleep 60');
    const before = liveChildCount();
    // Nothing has to beat this limit (the stand-in never answers); it need not be long.
    await expect(createQemuTarget('qemu:virtio-net-pci', { qemuPath: silent, limits: { startMs: 1_000 } })).rejects.toMatchObject({ diagnostic: 'targetTimeout' });
    expect(liveChildCount()).toBe(before);
  });

  it('reports a QEMU that dies after starting as targetCrashed with its stderr', async () => {
    const dying = await fakeQemu('dying-qemu', 'read line; echo "OK little"; read line; echo "fake qemu: assertion failed, aborting" >&2; exit 134');
    const error = await createQemuTarget('qemu:virtio-net-pci', { qemuPath: dying }).catch((e: unknown) => e);
    expect(error).toMatchObject({ diagnostic: 'targetCrashed' });
    expect((error as TargetError).details.stderr).toContain('assertion failed');
  });

  it('treats garbage on the qtest channel as a protocol error', async () => {
    const garbage = await fakeQemu('garbage-qemu', 'read line; echo "OK big"; sleep 60');
    await expect(createQemuTarget('qemu:virtio-net-pci', { qemuPath: garbage })).rejects.toMatchObject({ diagnostic: 'targetProtocol' });
    expect(liveChildCount()).toBe(0);
  });
});
