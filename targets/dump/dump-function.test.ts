import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import { TargetError } from '../device-target.ts';
import { DumpPciFunction } from './dump-function.ts';
import { DumpParseError } from './dump-parse-error.ts';
import type { ParsedDumpDevice } from './parsed-dump-device.ts';

function device(bytes: Uint8Array, extra: Partial<ParsedDumpDevice> = {}): ParsedDumpDevice {
  return { address: 'dump.txt:0000:00:03.0', fileAddress: '0000:00:03.0', file: 'dump.txt', line: 7, bytes, truncated: bytes.length !== 256 && bytes.length !== 4096, ...extra };
}

describe('DumpPciFunction', () => {
  it('is a read-only function named after the device: no writes, no BARs', () => {
    const fn = new DumpPciFunction(device(new Uint8Array(256), { description: 'Ethernet controller: Red Hat, Inc. Virtio network device' }));
    expect(fn).toMatchObject({ id: 'dump.txt:0000:00:03.0', description: 'Ethernet controller: Red Hat, Inc. Virtio network device', live: false, configSize: 256, truncated: false });
    expect(fn.source).toEqual({ file: 'dump.txt', line: 7, address: '0000:00:03.0' });
    for (const method of ['writeConfig', 'readBar', 'writeBar', 'barSizes']) expect(method in fn, method).toBe(false);
    expect(new DumpPciFunction(device(new Uint8Array(256))).description).toBeUndefined();
  });

  it('carries the reader problems it is given, and none otherwise', () => {
    const cut = new DumpParseError('dumpTruncated', 'device 0000:00:03.0: dump holds 53 bytes', 'dump.txt', 7, 1, 'warning', '0000:00:03.0');
    expect(new DumpPciFunction(device(new Uint8Array(0x35)), [cut]).readProblems).toEqual([cut]);
    expect(new DumpPciFunction(device(new Uint8Array(256))).readProblems).toEqual([]);
  });

  it('reads little-endian values of 1, 2 and 4 bytes anywhere inside the dump', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 4, maxLength: 300 }), fc.constantFrom<1 | 2 | 4>(1, 2, 4), fc.nat(), async (bytes, width, pick) => {
        const fn = new DumpPciFunction(device(bytes));
        const offset = pick % (bytes.length - width + 1);
        expect(await fn.readConfig(offset, width)).toBe(Buffer.from(bytes).readUIntLE(offset, width));
      }),
      propertyParameters(),
    );
  });

  it('refuses a read past the end of a truncated dump, naming device, offset and where the dump is', async () => {
    const fn = new DumpPciFunction(device(new Uint8Array(0x35)));
    expect(fn.truncated).toBe(true);
    expect(await fn.readConfig(0x34, 1)).toBe(0);
    const error = await fn.readConfig(0x34, 4).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(TargetError);
    expect(error).toMatchObject({ diagnostic: 'targetInput', message: expect.stringContaining('0x34 is outside the 53 dumped bytes'), details: { file: 'dump.txt', line: 7, offset: 0x34 } });
    for (const [offset, width] of [[-1, 1], [1.5, 1], [0, 3]] as const) await expect(fn.readConfig(offset, width as 1)).rejects.toBeInstanceOf(TargetError);
  });

  it('hands out copies: changing a snapshot changes neither the function nor the next snapshot', async () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, index) => index);
    const fn = new DumpPciFunction(device(bytes));
    const first = await fn.snapshot();
    first.fill(0xee);
    expect(Array.from(await fn.snapshot())).toEqual(Array.from({ length: 256 }, (_, index) => index));
    expect(await fn.readConfig(0, 1)).toBe(0);
  });
});
