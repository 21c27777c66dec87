import { describe, expect, it } from 'vitest';
import { demoCap, demoTailed } from '../../../test-support/demo-spec.ts';
import { fieldModel } from '../../../test-support/spec-model-builders.ts';
import { emitLayoutType, fieldType } from './layout-type.ts';

describe('layout type', () => {
  it('types fields by what they hold: numbers up to 32 bits, bigints beyond, booleans, bytes, nested types, arrays', () => {
    const types = Object.fromEntries(demoCap.fields.map((field) => [field.specName, fieldType(field)]));
    expect(types).toEqual({
      magic: 'number',
      len: 'number',
      kind: 'number',
      flags: 'number',
      rsvd: 'number',
      order: 'number',
      span: 'number',
      on: 'boolean',
      open_kind: 'number',
      addr: 'bigint',
      pad: 'Uint8Array',
      words: 'number[]',
      inner: 'DemoInner',
      blob: 'Uint8Array',
    });
    expect(fieldType(fieldModel({ specName: 'q', offset: 0, bits: 128, type: 'array', array: { count: 2, bits: 64 } }))).toBe('bigint[]');
    expect(fieldType(fieldModel({ specName: 'p', offset: 0, bits: 32, type: 'array', array: { count: 2, layoutName: 'demo_inner' } }))).toBe('DemoInner[]');
  });

  it('exports the interface, the size and every offset under the layout names', () => {
    const source = emitLayoutType(demoTailed).join('\n');
    expect(source).toContain('export interface DemoTailed {');
    expect(source).toContain('  tail: Uint8Array;');
    expect(source).toContain('/** Minimum size of {@link DemoTailed} in bytes. */\nexport const DEMO_TAILED_SIZE = 6;');
    expect(source).toContain('export const DEMO_TAILED_OFFSETS = {\n  count: 0,\n  head: 2,\n  tail: 4,\n} as const;');
  });
});
