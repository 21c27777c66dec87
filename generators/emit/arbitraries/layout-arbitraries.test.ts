/** The arbitraries module of one layout, loaded and drawn from, judged by the layout's emitted checker. */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LayoutIssue, NearValid } from '../../../core/codec-runtime.ts';
import { demoCap, demoSpec } from '../../../test-support/demo-spec.ts';
import { writeEmitted, type EmittedTree } from '../../../test-support/emitted-modules.ts';
import { propertyParameters } from '../../../test-support/fast-check-seed.ts';
import { fieldModel, layoutModel, specModel } from '../../../test-support/spec-model-builders.ts';
import { arbitrariesEmitter } from '../arbitraries.ts';
import { typescriptEmitter } from '../typescript.ts';
import { emitLayoutArbitraries } from './layout-arbitraries.ts';

let tree: EmittedTree;
let valid: () => fc.Arbitrary<Record<string, unknown>>;
let nearValid: () => fc.Arbitrary<NearValid<Record<string, unknown>>>;
let check: (value: Record<string, unknown>) => LayoutIssue[];

beforeAll(async () => {
  const spec = demoSpec();
  tree = writeEmitted([...typescriptEmitter.emit(spec), ...arbitrariesEmitter.emit(spec)]);
  const arbitraries = await tree.load<Record<string, () => fc.Arbitrary<never>>>('generated/arbitraries/demo/demo-cap.ts');
  valid = arbitraries.demoCapArbitrary!;
  nearValid = arbitraries.demoCapNearValidArbitrary!;
  check = (await tree.load<{ checkDemoCap: typeof check }>('generated/ts/demo/demo-cap.ts')).checkDemoCap;
});

afterAll(() => tree.remove());

describe('layout arbitraries', () => {
  it('draw values the layout checker accepts', () => {
    fc.assert(fc.property(valid(), (value) => check(value).length === 0), propertyParameters({ numRuns: 200 }));
  });

  it('draw near-valid values the checker refuses with exactly the named constraint', () => {
    fc.assert(
      fc.property(nearValid(), (near) => {
        expect(check(near.value).map((issue) => [issue.path, issue.code])).toEqual([[near.broken.path, near.broken.constraint]]);
      }),
      propertyParameters({ numRuns: 300 }),
    );
  });

  it('import the arbitraries of nested layouts, and write no near-valid arbitrary when nothing can break', () => {
    const imports = new Set<string>();
    const source = emitLayoutArbitraries(demoCap, { spec: demoSpec(), imports });
    expect([...imports]).toEqual(['demo_inner']);
    expect(source).toContain('export function demoCapNearValidArbitrary()');
    const plain = layoutModel('plain', 1, [fieldModel({ specName: 'a', offset: 0, bits: 8 })]);
    const plainSource = emitLayoutArbitraries(plain, { spec: specModel({ layouts: [plain] }), imports: new Set() });
    expect(plainSource).toContain('export function plainArbitrary()');
    expect(plainSource).not.toContain('NearValid');
  });
});
