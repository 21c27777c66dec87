/**
 * Properties of every generated codec, over the whole registry: decoding then encoding keeps the
 * bytes (reserved-preserve fields included), decoding the encoding gives the value back, and no
 * decoder throws on any input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import { layoutCodecs, unionCodecs } from '../../generated/ts/registry.ts';
import type { LayoutCodec, UnionCodec } from '../../core/codec-runtime.ts';

type AnyCodec = LayoutCodec<unknown> | UnionCodec<unknown>;
const codecs: [string, AnyCodec][] = [...Object.entries(layoutCodecs), ...Object.entries(unionCodecs)];

function sizeOf(codec: AnyCodec): number {
  if ('fields' in codec.meta) return codec.meta.size;
  return 0;
}

/** Byte strings a codec can be decoded from without truncation: its size, plus a tail if variable. */
function wholeInput(codec: AnyCodec): fc.Arbitrary<Uint8Array> {
  if ('fields' in codec.meta) {
    const meta = codec.meta;
    if (!meta.variable) return fc.uint8Array({ minLength: meta.size, maxLength: meta.size });
    const step = meta.sizeMultipleOf ?? 1;
    return fc
      .integer({ min: 0, max: 8 })
      .chain((extra) => fc.uint8Array({ minLength: meta.size + extra * step, maxLength: meta.size + extra * step }));
  }
  // A union: long enough for the largest case.
  const largest = Math.max(...Object.values(layoutCodecs).map((layout) => layout.meta.size));
  return fc.uint8Array({ minLength: largest, maxLength: largest });
}

describe.each(codecs)('%s', (_name, codec) => {
  it('encode(decode(bytes)) gives the same bytes', () => {
    fc.assert(
      fc.property(wholeInput(codec), (bytes) => {
        const decoded = codec.decode(bytes, 0, bytes.length);
        const encoded = codec.encode(decoded.value as never);
        // Unions encode only the selected case, so compare the bytes that case covers.
        expect(Buffer.from(encoded)).toEqual(Buffer.from(bytes.subarray(0, encoded.length)));
      }),
      propertyParameters({ numRuns: 200 }),
    );
  });

  it('decode(encode(value)) gives the value back', () => {
    fc.assert(
      fc.property(wholeInput(codec), (bytes) => {
        const value = codec.decode(bytes, 0, bytes.length).value;
        const encoded = codec.encode(value as never);
        expect(codec.decode(encoded, 0, encoded.length).value).toEqual(value);
      }),
      propertyParameters({ numRuns: 200 }),
    );
  });

  it('check(value) agrees with the issues decode reports, apart from truncation', () => {
    fc.assert(
      fc.property(wholeInput(codec), (bytes) => {
        const decoded = codec.decode(bytes, 0, bytes.length);
        const fromCheck = codec.check(decoded.value as never).map((issue) => `${issue.code}:${issue.path.join('.')}`);
        const fromDecode = decoded.issues
          .filter((issue) => issue.code !== 'size-multiple')
          .map((issue) => `${issue.code}:${issue.path.join('.')}`);
        expect(fromCheck.sort()).toEqual(fromDecode.sort());
      }),
      propertyParameters({ numRuns: 100 }),
    );
  });

  it('a truncated input reports truncation instead of throwing', () => {
    const size = sizeOf(codec);
    if (size === 0) {
      // Unions: truncated input falls to a case decoder, which reports it.
      expect(codec.decode(new Uint8Array(1), 0, 1).issues.some((issue) => issue.code === 'truncated')).toBe(true);
      return;
    }
    const decoded = codec.decode(new Uint8Array(size - 1), 0, size - 1);
    expect(decoded.issues.some((issue) => issue.code === 'truncated')).toBe(true);
  });
});

describe('fuzzing every decoder', () => {
  it('never throws on arbitrary bytes, offsets and ends (100,000 inputs)', () => {
    const names = codecs.map(([name]) => name);
    const table = new Map(codecs);
    fc.assert(
      fc.property(
        fc.constantFrom(...names),
        fc.uint8Array({ maxLength: 300 }),
        fc.integer({ min: -4, max: 304 }),
        fc.integer({ min: -4, max: 304 }),
        (name, bytes, offset, end) => {
          const decoded = table.get(name)!.decode(bytes, offset, end);
          return decoded.value !== undefined && Array.isArray(decoded.issues);
        },
      ),
      propertyParameters({ numRuns: Number(process.env.XVC_FUZZ_RUNS ?? 100_000) }),
    );
  });
});
