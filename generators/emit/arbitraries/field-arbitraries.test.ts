/** Sources of valid field values, drawn from and judged against the field's own rule. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitraryFromSource } from '../../../test-support/arbitrary-source.ts';
import { demoCap, demoSpec, demoTailed } from '../../../test-support/demo-spec.ts';
import { propertyParameters } from '../../../test-support/fast-check-seed.ts';
import { fieldModel } from '../../../test-support/spec-model-builders.ts';
import { brokenCodes } from '../../constraints/domain.ts';
import { integerRule } from '../../constraints/registry.ts';
import type { FieldModel } from '../../model/spec-model.ts';
import { boolValidSource, fieldValidSource, integerValidSource, tailLengths } from './field-arbitraries.ts';

const spec = demoSpec();
const field = (name: string): FieldModel => demoCap.fields.find((candidate) => candidate.specName === name)!;
const run = propertyParameters({ numRuns: 200 });

describe('valid field arbitraries', () => {
  it('draw integers that break no constraint of their field', () => {
    for (const name of ['magic', 'len', 'kind', 'rsvd', 'order', 'span', 'addr']) {
      const model = field(name);
      const rule = integerRule(model, spec);
      fc.assert(
        fc.property(arbitraryFromSource<number | bigint>(integerValidSource(model, spec)), (value) => {
          expect({ name, broken: brokenCodes(BigInt(value), rule) }).toEqual({ name, broken: [] });
        }),
        run,
      );
    }
  });

  it('draw flag values from the flags the set defines, every combination reachable', () => {
    const values = fc.sample(arbitraryFromSource<number>(integerValidSource(field('flags'), spec)), propertyParameters({ numRuns: 300 }));
    expect([...new Set(values)].sort((a, b) => a - b)).toEqual([0, 1, 0x40, 0x41]);
  });

  it('favour the named values of an open enum without leaving the others out', () => {
    const wide = fieldModel({ specName: 'k', offset: 0, bits: 16, type: 'enum', enumName: 'demo_kind', open: true });
    const values = fc.sample(arbitraryFromSource<number>(integerValidSource(wide, spec)), propertyParameters({ numRuns: 400 }));
    expect(values.filter((value) => [1, 2, 5].includes(value)).length).toBeGreaterThan(100);
    expect(values.some((value) => value > 5)).toBe(true);
  });

  it('draw booleans, byte strings, zero reserved bytes and arrays of the declared size', () => {
    expect(fieldValidSource(demoCap, field('on'), { spec, imports: new Set() })).toBe('fc.boolean()');
    fc.assert(fc.property(arbitraryFromSource<Uint8Array>(fieldValidSource(demoCap, field('pad'), { spec, imports: new Set() })), (bytes) => bytes.length === 2 && bytes.every((byte) => byte === 0)), run);
    fc.assert(fc.property(arbitraryFromSource<Uint8Array>(fieldValidSource(demoCap, field('blob'), { spec, imports: new Set() })), (bytes) => bytes.length === 5), run);
    fc.assert(fc.property(arbitraryFromSource<number[]>(fieldValidSource(demoCap, field('words'), { spec, imports: new Set() })), (words) => words.length === 4 && words.every((word) => word >= 0 && word <= 0xffff)), run);
  });

  it('draw booleans their constraints allow: false when reserved or const 0, true when const 1', () => {
    const bool = (partial: Partial<FieldModel>) => fieldModel({ specName: 'b', offset: 0, bits: 1, type: 'bool', ...partial });
    expect(boolValidSource(bool({}), spec)).toBe('fc.boolean()');
    expect(boolValidSource(bool({ access: 'RsvdZ' }), spec)).toBe('fc.constant(false)');
    expect(boolValidSource(bool({ constraints: { const: 0n } }), spec)).toBe('fc.constant(false)');
    expect(boolValidSource(bool({ constraints: { const: 1n } }), spec)).toBe('fc.constant(true)');
  });

  it('call the arbitrary of a nested layout and record that the module imports it', () => {
    const imports = new Set<string>();
    expect(fieldValidSource(demoCap, field('inner'), { spec, imports })).toBe('demoInnerArbitrary()');
    expect([...imports]).toEqual(['demo_inner']);
  });

  it('give tails the lengths that make a valid total size', () => {
    const tail = demoTailed.fields.find((candidate) => candidate.bytes === 'rest')!;
    fc.assert(
      fc.property(arbitraryFromSource<number>(tailLengths(demoTailed, tail)), (length) => {
        const total = tail.offset + length;
        return total >= demoTailed.size && total % 4 === 0;
      }),
      run,
    );
  });
});
