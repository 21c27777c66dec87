import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import { classifyDump, parseRawConfig } from './raw-config-parser.ts';

const text = (value: string): Uint8Array => new TextEncoder().encode(value);

describe('classifyDump', () => {
  it('reads a 256-byte space of all ones (a removed device in sysfs) as a binary, not as text', () => {
    expect(classifyDump(new Uint8Array(256).fill(0xff))).toBe('binary');
    expect(classifyDump(new Uint8Array(4096).fill(0xff))).toBe('binary');
  });

  it('reads lspci output as text: an address line, a domain, a hex offset line, comments first', () => {
    expect(classifyDump(text('00:03.0 Ethernet controller: x\n00: f4 1a\n'))).toBe('text');
    expect(classifyDump(text('0000:00:03.0 x\n'))).toBe('text');
    expect(classifyDump(text('00: f4 1a 41 10\n'))).toBe('text');
    expect(classifyDump(text('# captured by pciutils\n\n00:09.0 x\n'))).toBe('text');
    expect(classifyDump(text('\ufeff00:03.0 x\n'))).toBe('text');
  });

  it('reads anything with a NUL, or neither starting like lspci nor plain text, as a binary', () => {
    expect(classifyDump(text('00:03.0 \u0000'))).toBe('binary');
    expect(classifyDump(Uint8Array.from([0x01, 0x30, 0x30, 0x3a]))).toBe('binary');
    expect(classifyDump(Uint8Array.from([0xc3, 0x28, 0x0a]))).toBe('binary');
  });

  it('reads plain prose as text, so it is reported line by line rather than served as a short binary', () => {
    expect(classifyDump(text('Ethernet controller\n'))).toBe('text');
    expect(classifyDump(text('0:'))).toBe('text');
  });

  it('never takes a configuration space whose first byte is not an ASCII hex digit, #, or blank for text', () => {
    // Real spaces start with a vendor ID; 0xff (no function), and any byte that cannot begin plain text
    // or an lspci line, decide it whatever follows.
    const notTextStart = fc.integer({ min: 0, max: 255 }).filter((byte) => byte < 0x09 || (byte > 0x0d && byte < 0x20) || byte === 0x7f || byte >= 0xf8 || (byte >= 0x80 && byte < 0xc2));
    fc.assert(
      fc.property(notTextStart, fc.constantFrom(256, 4096), fc.uint8Array({ minLength: 4096, maxLength: 4096 }), (first, size, rest) => {
        const bytes = rest.slice(0, size);
        bytes[0] = first;
        expect(classifyDump(bytes)).toBe('binary');
      }),
      propertyParameters(),
    );
  });
});

describe('parseRawConfig', () => {
  it('keeps an all-ones space as one full device', () => {
    const parsed = parseRawConfig(new Uint8Array(256).fill(0xff), 'config');
    expect(parsed.problems).toEqual([]);
    expect(parsed.devices[0]).toMatchObject({ truncated: false, line: 0 });
    expect(parsed.devices[0]!.bytes.every((byte) => byte === 0xff)).toBe(true);
  });

  it('reports a binary longer than a configuration space as an error', () => {
    const parsed = parseRawConfig(new Uint8Array(5000).fill(0x41), 'random.bin');
    expect(parsed.problems.map((problem) => [problem.code, problem.severity])).toEqual([['XVC3110', 'error']]);
  });

  it('keeps a binary cut short as a device named after its file, warning with the device and the offset where its bytes end', () => {
    const file = '/copy/of/sys/bus/pci/devices/0000:00:03.0/config';
    const cut = parseRawConfig(new Uint8Array(65).fill(0x11), file);
    expect(cut.devices.map((device) => [device.address, device.fileAddress, device.bytes.length, device.truncated])).toEqual([['0000:00:03.0', file, 65, true]]);
    expect(cut.problems.map((problem) => [problem.code, problem.severity, problem.device, problem.bytesMissing])).toEqual([['XVC3108', 'warning', file, true]]);
    expect(cut.problems[0]!.message).toMatch(/^device 0000:00:03\.0: .*65 bytes.*offset 0x41/);
    for (const size of [257, 4095]) expect(parseRawConfig(new Uint8Array(size).fill(0x11), 'x.bin').problems[0]!.message).toContain(`offset 0x${size.toString(16)}`);
  });

  it('refuses a binary shorter than the 64-byte standard header: no device at all', () => {
    const short = parseRawConfig(new Uint8Array(63).fill(0x11), 'short.bin');
    expect(short.devices).toEqual([]);
    expect(short.problems.map((problem) => [problem.code, problem.severity])).toEqual([['XVC3110', 'error']]);
  });
});
