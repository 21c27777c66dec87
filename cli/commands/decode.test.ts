import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeConfigSpace } from '../../targets/dump/device-decoding.ts';
import { formatDevice, run, type DecodeJson } from './decode.ts';

const fixtures = new URL('../../fixtures/dumps/', import.meta.url).pathname;
const qemuFixtures = join(fixtures, 'qemu-7.2');

async function decode(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

interface CaptureJson {
  bdf: string;
  vendor: string;
  device: string;
  caps: Array<{ off: number; id: number; next: number; cap_len?: number; cfg_type?: number; bar?: number; offset?: number; length?: number; notify_off_multiplier?: number }>;
  ext_caps: Array<{ off: number; id: number; version: number }>;
}

describe('xvc decode --json against the values recorded with each QEMU capture', () => {
  it('gives the capture tool\'s IDs, capability chain and virtio fields for every fixture', async () => {
    const names = (await readdir(qemuFixtures)).filter((n) => n.endsWith('.json'));
    expect(names.length).toBe(6);
    for (const name of names) {
      const capture = JSON.parse(await readFile(join(qemuFixtures, name), 'utf8')) as CaptureJson;
      const dump = name.replace(/\.json$/, name.startsWith('net-pcie') ? '.cfg4k.lspci' : '.cfg256.lspci');
      const { code, stdout } = await decode([join(qemuFixtures, dump), '--json']);
      expect(code, name).toBe(0);
      const document = JSON.parse(stdout) as DecodeJson;
      expect(document.devices).toHaveLength(1);
      const device = document.devices[0]!;
      expect(device.bdf).toBe(`0000:${capture.bdf}`);
      expect(device.vendorId).toBe(parseInt(capture.vendor, 16));
      expect(device.deviceId).toBe(parseInt(capture.device, 16));
      expect(device.capabilities.map((c) => [c.offset, c.id, c.next]), name).toEqual(capture.caps.map((c) => [c.off, c.id, c.next]));
      for (const [index, cap] of capture.caps.entries()) {
        if (cap.cfg_type === undefined) continue;
        const got = device.capabilities[index]!;
        expect([got.capLen, got.cfgType, got.bar, got.barOffset, got.length, got.notifyOffMultiplier], `${name} cap ${cap.off}`).toEqual([
          cap.cap_len,
          cap.cfg_type,
          cap.bar,
          cap.offset,
          cap.length,
          cap.notify_off_multiplier,
        ]);
      }
      expect(device.extendedCapabilities).toEqual(capture.ext_caps.map((e) => ({ offset: e.off, id: e.id, version: e.version })));
      expect(device.issues).toEqual([]);
      expect(document.problems).toEqual([]);
    }
  });
});

describe('xvc decode, human output', () => {
  it('prints the header and each virtio capability with its fields', async () => {
    const { code, stdout } = await decode([join(qemuFixtures, 'net-modern.cfg256.lspci')]);
    expect(code).toBe(0);
    expect(stdout).toContain('vendor 1af4  device 1041');
    expect(stdout).toContain('[70] 09 VNDR  next 60  cap_len 20  virtio NOTIFY_CFG  bar 4  offset 0x3000  length 0x1000  id 0  notify_off_multiplier 4');
    expect(stdout).toContain('[98] 11 MSIX  next 84');
  });

  it('prints extended capabilities for a 4 KiB dump and says when there are none', async () => {
    const { stdout } = await decode([join(fixtures, 'pciutils-tests', 'pciutils-tests_neg-8086-0d93-subsys1af4.txt')]);
    expect(stdout).toMatch(/extended capabilities:\n\s+\[100\]/);
    const empty = await decode([join(qemuFixtures, 'net-pcie.cfg4k.bin')]);
    expect(empty.stdout).toContain('extended capabilities: none');
  });

  it('prints a header field whose bytes the dump lacks as question marks, never as a value', () => {
    const whole = readFileSync(join(qemuFixtures, 'net-modern.cfg256.bin'));
    const text = formatDevice(decodeConfigSpace({ bdf: '00:03.0', bytes: new Uint8Array(whole.subarray(0, 3)), truncated: true }));
    // The vendor ID's two bytes are there; the device ID's second byte is not, nor is anything after it.
    expect(text).toContain(`vendor ${whole.readUInt16LE(0).toString(16).padStart(4, '0')}  device ????`);
    expect(text).toContain('BARs ???????? ????????');
  });

  it('neutralises control characters in descriptions taken from the dump', async () => {
    const { stdout } = await decode([join(fixtures, 'malformed', 'escape-in-description.lspci')]);
    expect(stdout).not.toContain('\u001b');
    expect(stdout).toContain('Evil?[2J device');
  });
});

describe('xvc decode, bad input and usage', () => {
  it('exits 2 on a malformed dump but still decodes every readable device, with located problems', async () => {
    const file = join(fixtures, 'malformed', 'mixed-problems.lspci');
    const { code, stdout, stderr } = await decode([file, '--json']);
    expect(code).toBe(2);
    const document = JSON.parse(stdout) as DecodeJson;
    expect(document.devices.map((d) => d.bdf)).toEqual(['0000:00:01.0', '0000:00:02.0', '0000:00:03.0', '0000:00:04.0', '0000:00:06.0']);
    // Problems that belong to a device travel with it; the others are top-level.
    expect(document.devices[1]!.issues.map((i) => [i.source, i.code])).toContainEqual(['dump', 'XVC3103']);
    expect(document.problems.map((p) => p.code)).toEqual(['XVC3102', 'XVC3104', 'XVC3107']);
    expect(stderr).toContain(`${file}:21:11: error:`);
    // A truncated device is decoded as far as it goes: the walk reports where the data ran out.
    const cut = document.devices[4]!;
    expect(cut.truncated).toBe(true);
    expect(cut.issues.some((i) => i.source === 'capabilities' && i.code === 'truncated')).toBe(true);
    // One header issue for the cut, at the first field that is missing, not one per field.
    expect(cut.issues.filter((i) => i.source === 'header').map((i) => [i.code, i.offset])).toEqual([['truncated', 0x35]]);
  });

  it('exits 2 for usage errors and a missing file', async () => {
    expect((await decode([])).code).toBe(2);
    expect((await decode(['--frobnicate', 'x'])).code).toBe(2);
    expect((await decode(['a', 'b'])).code).toBe(2);
    const missing = await decode([join(fixtures, 'does-not-exist')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');
  });

  it('prints usage with --help and exits 0', async () => {
    const { code, stdout } = await decode(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('usage: xvc decode [--json] PATH');
  });
});

const root = new URL('../../', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'xvc-decode-bin-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the real `bin/xvc.js` in a child process. */
function xvc(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [`${root}bin/xvc.js`, ...args], { cwd: root, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (((error as { code?: unknown }).code as number | null) ?? null) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

describe('xvc decode through bin/xvc.js: special files and hostile names', () => {
  it('refuses /dev/zero with exit 2 and a located message instead of reading it forever', async () => {
    const { code, stderr } = await xvc(['decode', '/dev/zero']);
    expect(code).toBe(2);
    expect(stderr).toContain('/dev/zero:0:0: error: is a character device, not a regular file');
  });

  it('refuses a FIFO with exit 2 instead of blocking on it', async () => {
    const fifo = join(scratch, 'dump.lspci');
    execFileSync('mkfifo', [fifo]);
    const { code, stderr } = await xvc(['decode', fifo]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${fifo}:0:0: error: is a fifo`);
  });

  it('decodes an all-ones 256-byte config space as a binary (vendor ffff), not as broken lspci text', async () => {
    const file = join(scratch, 'removed-device-config');
    writeFileSync(file, new Uint8Array(256).fill(0xff));
    const { code, stdout, stderr } = await xvc(['decode', file, '--json']);
    expect(stderr).not.toContain('unrecognised-line');
    const document = JSON.parse(stdout) as DecodeJson;
    expect(document.devices.map((device) => [device.bdf, device.configSize, device.vendorId])).toEqual([['removed-device-config', 256, 0xffff]]);
    expect(code).toBe(0);
  });

  it('prints no terminal control sequence from a file name or a dump line', async () => {
    const file = join(scratch, 'evil\u001b]0;owned\u0007.lspci');
    writeFileSync(file, 'garbage \u001b[2J line\n');
    const { code, stderr } = await xvc(['decode', file]);
    expect(code).toBe(2);
    expect(stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(stderr).toContain('evil?]0;owned?.lspci:0:0: error: 18 bytes: fewer than the 64-byte standard header');
  });
});

describe('xvc decode through bin/xvc.js: sysfs config files and a copy of /sys/bus/pci/devices', () => {
  /** A directory laid out like /sys/bus/pci/devices: one directory per function, named by its BDF, with its config. */
  function sysfsCopy(): string {
    const devices = join(scratch, 'sys-bus-pci-devices');
    const fixtures = `${root}fixtures/dumps/qemu-7.2/`;
    for (const [bdf, fixture] of [['0000:00:02.0', 'blk-modern.cfg256.bin'], ['0000:00:03.0', 'net-default.cfg256.bin']] as const) {
      mkdirSync(join(devices, bdf), { recursive: true });
      copyFileSync(join(fixtures, fixture), join(devices, bdf, 'config'));
      // What else sysfs has in a device directory: not dumps, never read.
      writeFileSync(join(devices, bdf, 'vendor'), '0x1af4\n');
    }
    // A host bridge: no capability list, which is no issue.
    mkdirSync(join(devices, '0000:00:00.0'));
    const bridge = new Uint8Array(256);
    bridge.set([0x86, 0x80, 0x57, 0x0d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06], 0);
    writeFileSync(join(devices, '0000:00:00.0', 'config'), bridge);
    return devices;
  }

  it('names a config file by its device directory, decodes a directory of device directories, and MSI-X', async () => {
    const devices = sysfsCopy();
    const single = await xvc(['decode', join(devices, '0000:00:03.0', 'config')]);
    expect(single.code, single.stderr).toBe(0);
    expect(single.stdout.split('\n')[0]).toBe('0000:00:03.0');
    const all = await xvc(['decode', devices]);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout.split('\n').filter((line) => /^\S/.test(line))).toEqual(['0000:00:00.0', '0000:00:02.0', '0000:00:03.0']);
    expect(all.stdout).toMatch(/0000:00:00\.0\n[^]*?capabilities: none\n[^]*?issues: none\n/);
    expect(all.stdout).toMatch(/\[98\] 11 MSIX {2}next [0-9a-f]{2} {2}table size \d+ {2}table BAR 1 offset 0x0 {2}PBA BAR 1 offset 0x800 {2}disabled/);
    const json = JSON.parse((await xvc(['decode', devices, '--json'])).stdout) as DecodeJson;
    const msix = json.devices.find((device) => device.bdf === '0000:00:02.0')!.capabilities.find((cap) => cap.id === 0x11)!.msix;
    expect(msix).toMatchObject({ tableBar: 1, tableOffset: 0, pbaBar: 1, pbaOffset: 0x800 });
  });
});

describe('xvc decode through bin/xvc.js: a raw configuration space cut short', () => {
  it('names the device and the offset where its bytes end, and where the capability list runs out', async () => {
    const dir = join(scratch, 'cut-sysfs', '0000:00:03.0');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config'), readFileSync(`${root}fixtures/dumps/qemu-7.2/net-modern.cfg256.bin`).subarray(0, 65));
    const { code, stdout, stderr } = await xvc(['decode', join(dir, 'config')]);
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/cut-sysfs\/0000:00:03\.0\/config:0:0: warning: device 0000:00:03\.0: .*65 bytes.*offset 0x41/);
    expect(stdout).toMatch(/^0000:00:03\.0\n {2}65 bytes \(truncated/);
    expect(stdout).toMatch(/dump XVC3108: device 0000:00:03\.0: .*offset 0x41/);
    expect(stdout).toContain('capabilities truncated at 0x98');
  });
});
