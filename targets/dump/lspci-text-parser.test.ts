import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import { configSpaceArbitrary } from '../../test-support/pciutils/config-space-arbitrary.ts';
import { batchAddress, formatLspciHex, type ListedConfigSpace } from '../../test-support/pciutils/lspci-text-writer.ts';
import { LspciTextReader, parseLspciBytes, parseLspciText } from './lspci-text-parser.ts';

/** Descriptions as lspci prints them after the address: any printable text, non-ASCII included. */
const description = fc.stringMatching(/^[A-Za-z0-9 ,.:()\-\u00e9\u00fc\u4e2d]{1,60}$/).map((text) => text.trim()).filter((text) => text !== '');

/** Config spaces of full size: generated capability chains (256 bytes), or random bytes of 256 or 4096. */
const space = fc.oneof(
  configSpaceArbitrary().map((generated) => generated.bytes),
  fc.uint8Array({ minLength: 256, maxLength: 256 }),
  fc.uint8Array({ minLength: 4096, maxLength: 4096 }),
);

const listing = fc.array(fc.record({ bytes: space, description }), { minLength: 1, maxLength: 6 }).map((devices): ListedConfigSpace[] =>
  devices.map((device, index) => ({ address: batchAddress(index * 9 + 1), bytes: device.bytes, description: device.description })),
);

/** What the reader must give back for `devices`: lspci's addresses with the domain it adds, the same bytes and description. */
function expected(devices: readonly ListedConfigSpace[]) {
  return devices.map((device) => ({ address: `0000:${device.address}`, description: device.description, bytes: Array.from(device.bytes), truncated: false }));
}

function read(parsed: ReturnType<typeof parseLspciText>) {
  return parsed.devices.map((device) => ({ address: device.address, description: device.description, bytes: Array.from(device.bytes), truncated: device.truncated }));
}

describe('lspci text: what the writer wrote, the reader reads', () => {
  it('round-trips every device of a listing: address, description and every byte, with no problem', () => {
    fc.assert(
      fc.property(listing, (devices) => {
        const parsed = parseLspciText(formatLspciHex(devices), 'listing.txt');
        expect(parsed.problems).toEqual([]);
        expect(read(parsed)).toEqual(expected(devices));
        expect(parsed.devices.every((device, index) => device.fileAddress === device.address && device.file === 'listing.txt' && device.line > 0 && index >= 0)).toBe(true);
      }),
      propertyParameters({ numRuns: 60 }),
    );
  });

  it('reads the same from the bytes of the file as from its text, with CRLF line ends too', () => {
    fc.assert(
      fc.property(listing, (devices) => {
        const text = formatLspciHex(devices);
        const fromText = parseLspciText(text, 'f');
        expect(read(parseLspciBytes(Buffer.from(text, 'utf8'), 'f', 'utf8'))).toEqual(read(fromText));
        expect(read(parseLspciText(text.replace(/\n/g, '\r\n'), 'f'))).toEqual(read(fromText));
      }),
      propertyParameters({ numRuns: 50 }),
    );
  });

  it('skips comment lines and the indented decoded lines of -vvv wherever they are', () => {
    const noise = fc.constantFrom('# captured on a lab box', '\tCapabilities: [40] Vendor Specific Information: VirtIO: CommonCfg', '        BAR=4 offset=00000000 size=00001000', '\tKernel driver in use: virtio-pci');
    fc.assert(
      fc.property(listing, fc.array(fc.tuple(fc.nat(), noise), { maxLength: 8 }), (devices, insertions) => {
        const lines = formatLspciHex(devices).split('\n');
        for (const [at, line] of insertions) {
          const index = 1 + (at % (lines.length - 1));
          // A blank line ends a device: noise goes only between two lines of the same block.
          if (lines[index - 1] !== '' && lines[index] !== '') lines.splice(index, 0, line);
        }
        const parsed = parseLspciText(lines.join('\n'), 'f');
        expect(parsed.problems).toEqual([]);
        expect(read(parsed)).toEqual(expected(devices));
      }),
      propertyParameters({ numRuns: 100 }),
    );
  });

  it('keeps a device cut short with the bytes it has, and warns that it is truncated (a 64-byte -x dump too)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 4095 }), (bytes) => {
        fc.pre(bytes.length !== 256);
        const parsed = parseLspciText(formatLspciHex([{ address: '00:03.0', bytes }]), 'f');
        expect(parsed.devices.map((device) => [Array.from(device.bytes), device.truncated])).toEqual([[Array.from(bytes), true]]);
        expect(parsed.problems.map((problem) => [problem.diagnostic, problem.severity, problem.line])).toEqual([['dumpTruncated', 'warning', 1]]);
      }),
      propertyParameters({ numRuns: 100 }),
    );
  });
});

describe('lspci text: problems are located data, never exceptions', () => {
  it('never throws, and locates every problem on a line of the input', () => {
    const line = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.constantFrom('00:03.0 Ethernet controller', '00: 00 01 02', '10: zz', '', '  ', '# c', 'ffff: 00'),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), (lines) => {
        const text = lines.join('\n');
        const parsed = parseLspciText(text, 'f');
        const count = text.split('\n').length;
        for (const problem of parsed.problems) {
          expect(problem.line).toBeGreaterThanOrEqual(1);
          expect(problem.line).toBeLessThanOrEqual(count);
          expect(problem.column).toBeGreaterThanOrEqual(1);
        }
      }),
      propertyParameters({ numRuns: 300 }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        expect(() => parseLspciBytes(bytes, 'f')).not.toThrow();
      }),
      propertyParameters({ numRuns: 300 }),
    );
  });

  it('names the line of a byte that is not hex, and the column of its first bad character', () => {
    fc.assert(
      fc.property(listing, fc.nat(), fc.nat(15), (devices, pick, byte) => {
        const lines = formatLspciHex(devices).split('\n');
        const hexLines = lines.flatMap((text, index) => (/^[0-9a-f]+: /.test(text) ? [index] : []));
        const index = hexLines[pick % hexLines.length]!;
        const text = lines[index]!;
        const column = text.indexOf(': ') + 2 + 3 * byte;
        fc.pre(column < text.length);
        lines[index] = `${text.slice(0, column)}g${text.slice(column + 1)}`;
        const problems = parseLspciText(lines.join('\n'), 'f').problems.filter((problem) => problem.severity === 'error');
        expect(problems.map((problem) => [problem.diagnostic, problem.line, problem.column])).toEqual([['dumpMalformedHexLine', index + 1, column + 1]]);
      }),
      propertyParameters({ numRuns: 100 }),
    );
  });

  it('reads a line of several megabytes as one unrecognised line, quoting only its start', () => {
    const huge = `00:03.0 Device\n00: ${'01 '.repeat(16).trim()}\n${'x'.repeat(8 * 1024 * 1024)}\n`;
    const parsed = parseLspciText(huge, 'f');
    expect(parsed.problems.map((problem) => [problem.diagnostic, problem.line])).toEqual([
      ['dumpUnrecognisedLine', 3],
      ['dumpTruncated', 1],
    ]);
    expect(parsed.problems[0]!.message.length).toBeLessThan(120);
    expect(Array.from(parsed.devices[0]!.bytes)).toEqual(Array(16).fill(1));
  });

  it('reads five thousand devices of one file', () => {
    const devices = Array.from({ length: 5_000 }, (_, index) => ({ address: batchAddress(index), bytes: Uint8Array.from({ length: 256 }, (_, offset) => (index + offset) & 0xff) }));
    const parsed = parseLspciBytes(Buffer.from(formatLspciHex(devices), 'latin1'), 'f');
    expect(parsed.problems).toEqual([]);
    expect(parsed.devices).toHaveLength(5_000);
    expect(parsed.devices[4_999]!.address).toBe(`0000:${batchAddress(4_999)}`);
    expect(parsed.devices[4_999]!.bytes[0]).toBe(4_999 & 0xff);
  });
});

describe('lspci text read in pieces', () => {
  /** Everything a parse gives, problems included, as comparable data. */
  const whole = (parsed: ReturnType<typeof parseLspciBytes>) => ({ devices: parsed.devices.map((device) => ({ ...device, bytes: Array.from(device.bytes) })), problems: parsed.problems.map((problem) => problem.toJSON()) });

  it('reads exactly what the whole text gives, wherever the pieces are cut (inside a line, between CR and LF, in a bad line)', () => {
    const damage = fc.constantFrom('', 'zz: 00\n', '\n\n', '00: 0g\n', '40: 01 02\n', 'stray text\n', '\r\n');
    fc.assert(
      fc.property(listing, fc.array(fc.tuple(fc.nat(), damage), { maxLength: 4 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 12 }), (devices, insertions, crlf, cuts) => {
        let text = formatLspciHex(devices);
        for (const [at, inserted] of insertions) {
          const position = at % (text.length + 1);
          text = text.slice(0, position) + inserted + text.slice(position);
        }
        if (crlf) text = text.replace(/\n/g, '\r\n');
        const bytes = Buffer.from(text, 'latin1');
        const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
        const reader = new LspciTextReader('f');
        let from = 0;
        for (const point of [...points, bytes.length]) {
          // The reader may not keep a piece: each is read into memory that is overwritten next.
          const piece = Buffer.from(bytes.subarray(from, point));
          reader.push(piece);
          piece.fill(0x41);
          from = point;
        }
        expect(whole(reader.end())).toEqual(whole(parseLspciBytes(bytes, 'f')));
      }),
      propertyParameters({ numRuns: 150 }),
    );
  });
});
