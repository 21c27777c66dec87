import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldConstraintsMeta } from '../../core/codec-runtime.ts';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import { FaultyFunction } from './faulty-function.ts';
import { DeviceModel } from '../../reference-impl/virtio/index.ts';
import { mutantFamilies, mutantsOf, outsideConstraint } from './operators.ts';
import { subjects } from './subjects.ts';

/** Whether `value` meets `constraints`, written from what each constraint means. */
function satisfies(constraints: FieldConstraintsMeta, value: number): boolean {
  if (constraints.const !== undefined && value !== Number(constraints.const)) return false;
  if (constraints.notEqual?.some((bad) => Number(bad) === value)) return false;
  if (constraints.oneOf !== undefined && !constraints.oneOf.some((good) => Number(good) === value)) return false;
  if (constraints.range !== undefined && (value < Number(constraints.range[0]) || value > Number(constraints.range[1]))) return false;
  if (constraints.powerOfTwo !== undefined && !((value & (value - 1)) === 0 && (value !== 0 || constraints.powerOfTwo === 'orZero'))) return false;
  if (constraints.multipleOf !== undefined && value % constraints.multipleOf !== 0) return false;
  if (constraints.align !== undefined && value % constraints.align !== 0) return false;
  return true;
}

const constraintArbitrary: fc.Arbitrary<FieldConstraintsMeta> = fc.oneof(
  fc.integer({ min: 0, max: 255 }).map((value) => ({ const: value })),
  fc.uniqueArray(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 4 }).map((values) => ({ oneOf: values })),
  fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 50 })).map(([low, span]) => ({ range: [low, low + span] as const })),
  fc.constantFrom<FieldConstraintsMeta>({ powerOfTwo: true }, { powerOfTwo: 'orZero' }),
  fc.integer({ min: 2, max: 16 }).map((step) => ({ multipleOf: step })),
  fc.constantFrom(2, 4, 8).map((align) => ({ align })),
  fc.integer({ min: 0, max: 255 }).map((value) => ({ notEqual: [value] })),
);

describe('outsideConstraint', () => {
  it('gives a value of the field that breaks the constraint, or nothing when none fits', () => {
    fc.assert(
      fc.property(constraintArbitrary, fc.integer({ min: 0, max: 255 }), (constraints, current) => {
        const value = outsideConstraint(constraints, current, 255);
        if (value === undefined) return;
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(255);
        expect(satisfies(constraints, value)).toBe(false);
      }),
      propertyParameters(),
    );
    // The only value above the set does not fit a one-bit field; an unconstrained field has no outside.
    expect(outsideConstraint({ oneOf: [0, 1] }, 0, 1)).toBeUndefined();
    expect(outsideConstraint({}, 5, 255)).toBeUndefined();
  });
});

describe('mutantsOf', () => {
  const all = subjects().flatMap(mutantsOf);

  it('names each mutant subject/family/what, uniquely, from every family', () => {
    expect(new Set(all.map((mutant) => mutant.id)).size).toBe(all.length);
    for (const mutant of all) {
      expect(mutant.id).toBe(`${mutant.subject}/${mutant.family}/${mutant.what}`);
      expect(mutantFamilies).toContain(mutant.family);
    }
    expect(new Set(all.map((mutant) => mutant.family))).toEqual(new Set(mutantFamilies));
  });

  it('builds a device different from its subject: a config-field mutant shows other config bytes', async () => {
    for (const subject of subjects()) {
      const reference = new FaultyFunction(subject.id, new DeviceModel(subject.description));
      const conformant = await reference.snapshot();
      for (const mutant of mutantsOf(subject).filter((candidate) => candidate.family === 'config-field')) {
        const built = mutant.build();
        expect(built.id, mutant.id).toBe(subject.id);
        expect(Buffer.from(await built.snapshot()).equals(Buffer.from(conformant)), mutant.id).toBe(false);
      }
    }
  });

  it('builds a fresh device every time, so mutants never share state', async () => {
    const mutant = all.find((candidate) => candidate.family === 'register')!;
    const first = mutant.build();
    await first.writeConfig(0x3c, 1, 0x77);
    expect(await mutant.build().readConfig(0x3c, 1)).not.toBe(0x77);
  });
});
