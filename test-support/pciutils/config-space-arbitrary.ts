/**
 * fast-check arbitraries of 256-byte configuration spaces for the differential test: valid capability
 * chains (virtio structure capabilities among MSI-X, MSI, PM and unknown IDs, placed without overlap) and
 * near-valid ones that break one thing a walker must survive. Test data: the literal values here are
 * the bytes to generate, not layout knowledge the decoder relies on.
 */
import fc from 'fast-check';

/** What a generated space was meant to exercise (kept for failure messages). */
export type ChainMutation =
  | 'none'
  | 'unaligned-pointer'
  | 'loop'
  | 'pointer-into-header'
  | 'id-ff'
  | 'short-cap-len'
  | 'cap-past-end'
  | 'no-cap-list'
  | 'random-bytes';

/** A generated space and how it was made. */
export interface GeneratedConfigSpace {
  bytes: Uint8Array;
  mutation: ChainMutation;
}

interface CapabilitySpec {
  id: number;
  /** Body bytes after the two header bytes (for vendor capabilities the first is cap_len). */
  body: number[];
}

const VIRTIO_VENDOR = 0x1af4;
const CONFIG_SIZE = 256;
const FIRST_CAP = 0x40;
/** Slots 24 bytes apart, so a valid chain of capabilities up to 24 bytes never overlaps. */
const SPACED_SLOTS = Array.from({ length: 8 }, (_, i) => FIRST_CAP + 24 * i);

const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
const le32 = (value: number): number[] => [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff];

/** A virtio structure capability body: cap_len, cfg_type, bar, id, padding, offset, length, extras. */
const virtioCapability: fc.Arbitrary<CapabilitySpec> = fc
  .record({
    cfgType: fc.oneof({ weight: 10, arbitrary: fc.constantFrom(1, 2, 3, 4, 5) }, { weight: 2, arbitrary: fc.constantFrom(8, 9) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) }),
    bar: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 5 }) }, { weight: 1, arbitrary: fc.integer({ min: 6, max: 255 }) }),
    id: fc.integer({ min: 0, max: 255 }),
    offset: u32,
    length: u32,
    extra1: u32,
    extra2: fc.oneof(fc.constant(0), u32),
    oddLength: fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 40 }) }),
  })
  .map(({ cfgType, bar, id, offset, length, extra1, extra2, oddLength }) => {
    const natural = cfgType === 2 || cfgType === 5 ? 20 : cfgType === 8 ? 24 : cfgType === 9 ? 8 : 16;
    const capLen = oddLength ?? natural;
    const body = [capLen, cfgType, bar, id, 0, 0, ...le32(offset), ...le32(length), ...le32(extra1), ...le32(extra2)];
    // The whole structure is written whatever cap_len says: hardware may hold bytes past a short cap_len.
    return { id: 0x09, body };
  });

/** Other capabilities: MSI-X, MSI, PM, Advanced Features, Debug port, SATA, and IDs lspci does not know. */
const otherCapability: fc.Arbitrary<CapabilitySpec> = fc.record({
  id: fc.constantFrom(0x01, 0x05, 0x0a, 0x11, 0x12, 0x13, 0x00, 0x15, 0x1f, 0x42),
  body: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 2, maxLength: 10 }),
});

const capability = fc.oneof({ weight: 3, arbitrary: virtioCapability }, { weight: 1, arbitrary: otherCapability });

interface Header {
  vendorId: number;
  deviceId: number;
  revision: number;
  classCode: number[];
  multiFunction: boolean;
}

const header: fc.Arbitrary<Header> = fc.record({
  vendorId: fc.oneof({ weight: 8, arbitrary: fc.constant(VIRTIO_VENDOR) }, { weight: 1, arbitrary: fc.constantFrom(0x8086, 0x10ec) }),
  deviceId: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0x1000, max: 0x107f }) }, { weight: 1, arbitrary: fc.integer({ min: 0x0ff0, max: 0x10ff }) }),
  revision: fc.integer({ min: 0, max: 255 }),
  classCode: fc.constantFrom([0x02, 0x00, 0x00], [0x01, 0x00, 0x00], [0xff, 0x00, 0x00]),
  multiFunction: fc.boolean(),
});

/** Lays out a chain in `bytes`: capabilities at `positions`, linked in that order. */
function layChain(bytes: Uint8Array, caps: readonly CapabilitySpec[], positions: readonly number[]): void {
  bytes[0x34] = positions[0] ?? 0;
  caps.forEach((cap, i) => {
    const at = positions[i]!;
    const body = cap.body.slice(0, CONFIG_SIZE - at - 2);
    bytes[at] = cap.id;
    bytes[at + 1] = positions[i + 1] ?? 0;
    bytes.set(body, at + 2);
  });
}

/** Valid and near-valid 256-byte configuration spaces. */
export function configSpaceArbitrary(): fc.Arbitrary<GeneratedConfigSpace> {
  const valid = fc
    .record({
      header,
      caps: fc.array(capability, { minLength: 0, maxLength: SPACED_SLOTS.length }),
      order: fc.shuffledSubarray(SPACED_SLOTS, { minLength: SPACED_SLOTS.length, maxLength: SPACED_SLOTS.length }),
    })
    .map(({ header: h, caps, order }) => ({ bytes: build(h, caps, order.slice(0, caps.length)), mutation: 'none' as ChainMutation }));

  const nearValid = fc
    .record({
      header,
      caps: fc.array(capability, { minLength: 1, maxLength: 8 }),
      order: fc.shuffledSubarray(SPACED_SLOTS, { minLength: SPACED_SLOTS.length, maxLength: SPACED_SLOTS.length }),
      mutation: fc.constantFrom<ChainMutation>('unaligned-pointer', 'loop', 'pointer-into-header', 'id-ff', 'short-cap-len', 'cap-past-end', 'no-cap-list', 'random-bytes'),
      pick: fc.nat(),
      value: fc.integer({ min: 0, max: 255 }),
      noise: fc.array(fc.tuple(fc.integer({ min: 0x34, max: 0xff }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
    })
    .map(({ header: h, caps, order, mutation, pick, value, noise }) => {
      const positions = order.slice(0, caps.length);
      const bytes = build(h, caps, positions);
      const index = pick % caps.length;
      const at = positions[index]!;
      switch (mutation) {
        case 'unaligned-pointer':
          bytes[at + 1] = (bytes[at + 1]! | (1 + (value % 3))) & 0xff;
          break;
        case 'loop':
          bytes[positions[caps.length - 1]! + 1] = positions[index]!;
          break;
        case 'pointer-into-header':
          bytes[at + 1] = 0x04 + 4 * (value % 15);
          break;
        case 'id-ff':
          bytes[at] = 0xff;
          break;
        case 'short-cap-len':
          bytes[at] = 0x09;
          bytes[at + 2] = value % 20;
          break;
        case 'cap-past-end': {
          // A virtio capability whose cap_len runs past 0xFF, as the last in the chain.
          const last = positions[caps.length - 1]!;
          const tail = 0xf0 + 4 * (value % 4);
          bytes[last + 1] = tail;
          bytes.set([0x09, 0x00, 0x14, 0x02, 0x04].slice(0, CONFIG_SIZE - tail), tail);
          break;
        }
        case 'no-cap-list':
          bytes[0x06] = 0;
          break;
        case 'random-bytes':
          for (const [offset, byte] of noise) bytes[offset] = byte;
          break;
        case 'none':
          break;
      }
      return { bytes, mutation };
    });

  return fc.oneof({ weight: 1, arbitrary: valid }, { weight: 1, arbitrary: nearValid });
}

function build(h: Header, caps: readonly CapabilitySpec[], positions: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(CONFIG_SIZE);
  bytes.set([h.vendorId & 0xff, h.vendorId >> 8, h.deviceId & 0xff, h.deviceId >> 8], 0);
  bytes[0x06] = caps.length > 0 ? 0x10 : 0;
  bytes[0x08] = h.revision;
  bytes.set([h.classCode[2]!, h.classCode[1]!, h.classCode[0]!], 0x09);
  bytes[0x0e] = h.multiFunction ? 0x80 : 0;
  bytes.set([0xf4, 0x1a, 0x01, 0x00], 0x2c);
  layChain(bytes, caps, positions);
  return bytes;
}
