import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertSameDecode, decodeConfigSpaceGenerated, loadConfigSpace } from '../layout-decode.bench.ts';
import { decodeConfigSpaceByHand } from './hand-decoder.ts';

const captures = join(import.meta.dirname, '..', '..', 'fixtures', 'dumps', 'qemu-7.2');

describe('layout-decode benchmark baselines', () => {
  it('the three decoders agree on every field of the benchmark capture', () => {
    expect(() => assertSameDecode(loadConfigSpace())).not.toThrow();
  });

  it('walks the capture the way lspci lists it (values from the capture, not from the decoders)', () => {
    const decoded = decodeConfigSpaceByHand(loadConfigSpace());
    expect(decoded.caps.map((cap) => [cap.offset, cap.kind])).toEqual([
      [0x98, 'msix'],
      [0x84, 'virtio'],
      [0x70, 'virtio'],
      [0x60, 'virtio'],
      [0x50, 'virtio'],
      [0x40, 'virtio'],
    ]);
    expect(decoded.issues).toBe(0);
    expect(decoded.caps[2]!.value).toMatchObject({ variant: 'virtio_pci_notify_cap', value: { notifyOffMultiplier: 4, cap: { bar: 4, offset: 0x3000 } } });
  });

  const others = readdirSync(captures).filter((name) => name.endsWith('.cfg256.bin'));
  it('has the 256-byte captures of the repository to compare on (six)', () => {
    expect(others.length).toBeGreaterThanOrEqual(6);
  });
  it.each(others)('agree on %s too', (name) => {
    const bytes = new Uint8Array(readFileSync(join(captures, name)));
    expect(() => assertSameDecode(bytes)).not.toThrow();
  });

  it('agree on a looping list, which every walk cuts after 48 capabilities', () => {
    const bytes = loadConfigSpace().slice();
    bytes[0x41] = 0x98; // the last capability points back to the first
    expect(decodeConfigSpaceGenerated(bytes).caps.length).toBe(48);
    expect(() => assertSameDecode(bytes)).not.toThrow();
  });

  it('report the same constraint violation', () => {
    const bytes = loadConfigSpace().slice();
    bytes[0x80] = 0x03; // notify_off_multiplier 3: not a power of two, an issue for generated and hand alike
    expect(decodeConfigSpaceByHand(bytes).issues).toBe(1);
    expect(decodeConfigSpaceGenerated(bytes).issues).toBe(1);
  });
});
