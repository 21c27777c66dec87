import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import { decodeConfigSpace } from './device-decoding.ts';
import { decodeDump } from '../dump.ts';
import { configSpaceArbitrary } from '../../test-support/pciutils/config-space-arbitrary.ts';
import { compareListings, type ClassifiedDisagreement } from '../../test-support/pciutils/differential.ts';
import { KNOWN_DIFFERENCES } from '../../test-support/pciutils/known-differences.ts';
import { lspciGate } from '../../test-support/machine-tools.ts';
import { runLspciVerbose } from '../../test-support/pciutils/lspci-runner.ts';
import { batchAddress, formatLspciHex } from '../../test-support/pciutils/lspci-text-writer.ts';
import { parseLspciVerbose } from '../../test-support/pciutils/lspci-vvv-parser.ts';

const fixtures = new URL('../../fixtures/dumps/', import.meta.url).pathname;
const scratch = await mkdtemp(join(tmpdir(), 'xvc-pciutils-test-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));
const lspci = await lspciGate();

/** Every dump text fixture lspci can read (the -vvv listings and the decoded-only one have no hex). */
async function dumpFixtures(): Promise<string[]> {
  const files: string[] = [];
  for (const dir of ['qemu-7.2', 'pciutils-tests']) {
    for (const name of await readdir(join(fixtures, dir))) {
      if (name.includes('lspci-vvv') || name.endsWith('.json') || name.endsWith('.bin') || name.includes('decoded')) continue;
      files.push(join(fixtures, dir, name));
    }
  }
  return files;
}

function unexplained(disagreements: readonly ClassifiedDisagreement[]): ClassifiedDisagreement[] {
  return disagreements.filter((d) => d.known === undefined);
}

describe('lspci -vvv parser', () => {
  it('reads the capability offsets, IDs and virtio fields of a recorded pciutils 3.9 listing', async () => {
    const text = await readFile(join(fixtures, 'qemu-7.2', 'net-modern.cfg256.lspci-vvv.txt'), 'latin1');
    const capture = JSON.parse(await readFile(join(fixtures, 'qemu-7.2', 'net-modern.json'), 'utf8')) as {
      caps: Array<{ off: number; id: number; bar?: number; offset?: number; length?: number; notify_off_multiplier?: number }>;
    };
    const [device, ...rest] = parseLspciVerbose(text);
    expect(rest).toEqual([]);
    expect(device!.address).toBe('0000:00:03.0');
    expect(device!.capabilities.map((c) => [c.offset, c.id])).toEqual(capture.caps.map((c) => [c.off, c.id]));
    const notify = device!.capabilities.find((c) => c.virtio?.typeName === 'Notify')!;
    const want = capture.caps.find((c) => c.off === notify.offset)!;
    expect(notify.virtio).toEqual({ typeName: 'Notify', bar: want.bar, offset: want.offset, size: want.length, multiplier: want.notify_off_multiplier });
  });

  it('reads the pre-3.8 form with the multiplier on its own line, and chain terminators', () => {
    const devices = parseLspciVerbose(
      '00:09.0 Ethernet controller: x\n\tCapabilities: [70] VirtIO: Notify\n\t\tBAR=2 offset=00003000 size=00040000\n\t\tmultiplier=00001000\n' +
        '\tCapabilities: [40] #42 [0000]\n\tCapabilities: [50] <chain looped>\n',
    );
    expect(devices[0]!.capabilities.map((c) => [c.offset, c.id, c.virtio?.multiplier])).toEqual([
      [0x70, 9, 0x1000],
      [0x40, 0x42, undefined],
    ]);
    expect(devices[0]!.terminator).toBe('<chain looped>');
  });
});

describe('differential comparison', () => {
  it('flags a disagreement no documented difference explains', () => {
    const bytes = new Uint8Array(256);
    bytes.set([0xf4, 0x1a, 0x41, 0x10], 0);
    bytes[0x06] = 0x10;
    bytes[0x34] = 0x40;
    bytes.set([0x09, 0x00, 0x10, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00], 0x40);
    const xvc = decodeConfigSpace({ bdf: '0000:00:01.0', bytes });
    const listing = '00:01.0 Device\n\tCapabilities: [40] Vendor Specific Information: VirtIO: CommonCfg\n\t\tBAR=3 offset=00001000 size=00002000\n';
    const found = compareListings([xvc], parseLspciVerbose(listing));
    expect(found.map((d) => [d.kind, d.xvc, d.lspci, d.known])).toEqual([['virtio-bar', 4, 3, undefined]]);
    expect(compareListings([xvc], parseLspciVerbose(listing.replace('BAR=3', 'BAR=4')))).toEqual([]);
  });

  it('documents a reason for every known difference', () => {
    for (const entry of KNOWN_DIFFERENCES) expect(entry.reason.length, entry.id).toBeGreaterThan(80);
  });
});

describe.skipIf(!lspci.runs)(lspci.title('xvc decode against lspci -F FILE -vvv (pciutils)'), () => {
  beforeAll(() => lspci.require());
  it('agrees on every fixture, device by device', async () => {
    const files = await dumpFixtures();
    expect(files.length).toBeGreaterThanOrEqual(10);
    let devices = 0;
    for (const file of files) {
      const xvc = await decodeDump(file);
      const lspci = parseLspciVerbose(await runLspciVerbose(file));
      expect(lspci.length, file).toBe(xvc.devices.length);
      devices += xvc.devices.length;
      expect(unexplained(compareListings(xvc.devices, lspci)), file).toEqual([]);
    }
    expect(devices).toBeGreaterThanOrEqual(10);
  });

  it('agrees on generated valid and near-valid configuration spaces (1,000 per lspci run)', async () => {
    const hits = new Map<string, number>();
    let batch = 0;
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(configSpaceArbitrary(), { minLength: 1000, maxLength: 1000 }), async (spaces) => {
        const file = join(scratch, `batch-${batch++}.lspci`);
        await writeFile(file, formatLspciHex(spaces.map((space, index) => ({ address: batchAddress(index), bytes: space.bytes }))));
        const xvc = await decodeDump(file);
        const lspci = parseLspciVerbose(await runLspciVerbose(file));
        const found = compareListings(xvc.devices, lspci);
        for (const d of found) if (d.known) hits.set(d.known.id, (hits.get(d.known.id) ?? 0) + 1);
        compared += xvc.devices.length;
        const wrong = unexplained(found);
        if (wrong.length > 0) {
          const first = wrong[0]!;
          const index = xvc.devices.findIndex((d) => d.bdf === first.device);
          throw new Error(`${wrong.length} unexplained disagreement(s); first: ${JSON.stringify(first)} (mutation ${spaces[index]?.mutation})`);
        }
      }),
      propertyParameters({ numRuns: 2 }),
    );
    expect(compared).toBeGreaterThanOrEqual(1000);
    // The near-valid generator reaches the walk differences the table documents.
    expect(hits.get('lspci-follows-pointers-into-header') ?? 0).toBeGreaterThan(0);
  });
});
