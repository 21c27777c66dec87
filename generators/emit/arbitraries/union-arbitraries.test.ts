import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NearValid } from '../../../core/codec-runtime.ts';
import { demoCaseA, demoCaseDefault, demoSpec, demoUnion } from '../../../test-support/demo-spec.ts';
import { writeEmitted, type EmittedTree } from '../../../test-support/emitted-modules.ts';
import { propertyParameters } from '../../../test-support/fast-check-seed.ts';
import { arbitrariesEmitter } from '../arbitraries.ts';
import { typescriptEmitter } from '../typescript.ts';
import { discriminatorFields, unionPlans } from './union-arbitraries.ts';

type Variant = { variant: string; value: Record<string, unknown> };
let tree: EmittedTree;
let arbitraries: { demoUnionArbitrary: () => fc.Arbitrary<Variant>; demoUnionNearValidArbitrary: () => fc.Arbitrary<NearValid<Variant>> };
let codec: { decodeDemoUnion(bytes: Uint8Array): { value: Variant }; encodeDemoUnion(value: Variant): Uint8Array };

beforeAll(async () => {
  const spec = demoSpec();
  tree = writeEmitted([...typescriptEmitter.emit(spec), ...arbitrariesEmitter.emit(spec)]);
  arbitraries = await tree.load('generated/arbitraries/demo/demo-union.ts');
  codec = await tree.load('generated/ts/demo/demo-union.ts');
});

afterAll(() => tree.remove());

describe('union arbitraries', () => {
  it('find the integer fields that hold the discriminator bits, nested ones included', () => {
    const fields = discriminatorFields(demoCaseA, demoUnion, demoSpec())!;
    expect(fields.map((target) => [target.specPath.join('.'), target.bits.length])).toEqual([['hdr.sel', 8]]);
  });

  it('plan each case with the discriminator values that select it, a bounded spread for the default', () => {
    const plans = unionPlans(demoUnion, demoSpec());
    expect(plans.map((plan) => plan.layoutName)).toEqual(['demo_case_a', 'demo_case_default']);
    // demo_inner.sel allows 1, 2, 4 and 0x8000: only 2 and 4 have a low byte case A claims.
    expect(plans[0]!.branches.map((branch) => branch.d)).toEqual([2, 4]);
    expect(plans[1]!.branches.length).toBeLessThanOrEqual(16);
    expect(plans[1]!.branches.every((branch) => branch.d !== 2 && branch.d !== 4)).toBe(true);
  });

  it('draw values whose bytes decode back to the variant they claim', () => {
    fc.assert(
      fc.property(arbitraries.demoUnionArbitrary(), (value) => {
        expect(codec.decodeDemoUnion(codec.encodeDemoUnion(value)).value.variant).toBe(value.variant);
      }),
      propertyParameters({ numRuns: 200 }),
    );
  });

  it('never break the discriminator in near-valid values', () => {
    fc.assert(
      fc.property(arbitraries.demoUnionNearValidArbitrary(), (near) => {
        expect(near.broken.path).not.toEqual(['hdr', 'sel']);
        expect(codec.decodeDemoUnion(codec.encodeDemoUnion(near.value)).value.variant).toBe(near.value.variant);
      }),
      propertyParameters({ numRuns: 200 }),
    );
  });

  it('leave out a case whose discriminator bits no integer field holds', () => {
    const bytesCase = { ...demoCaseDefault, name: 'bytes_case', fields: [{ ...demoCaseDefault.fields[0]!, type: 'bytes' as const, bytes: 2 }, demoCaseDefault.fields[1]!] };
    expect(discriminatorFields(bytesCase, demoUnion, demoSpec())).toBeUndefined();
  });
});
