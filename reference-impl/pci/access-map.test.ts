import { describe, expect, it } from 'vitest';
import type { LayoutMeta } from '../../core/codec-runtime.ts';
import { AccessMap } from './access-map.ts';

// Test layouts (data): an outer layout that nests an inner one, as a notify capability nests the generic header.
const inner: LayoutMeta = {
  name: 'inner', title: 't', size: 2, variable: false, spec: 't', ref: 't', proposal: false,
  fields: [
    { specName: 'a', name: 'a', offset: 0, bit: 0, bits: 8, type: 'uint', access: 'RO', doc: 'x' },
    { specName: 'b', name: 'b', offset: 1, bit: 0, bits: 8, type: 'uint', access: 'RW', doc: 'x' },
  ],
};
const outer: LayoutMeta = {
  name: 'outer', title: 't', size: 3, variable: false, spec: 't', ref: 't', proposal: false,
  fields: [
    { specName: 'cap', name: 'cap', offset: 0, bit: 0, bits: 16, type: 'layout', access: 'RO', ref: 'inner', doc: 'x' },
    { specName: 'flags', name: 'flags', offset: 2, bit: 1, bits: 2, type: 'uint', access: 'W1C', doc: 'x' },
  ],
};

describe('AccessMap.paintLayout', () => {
  it('paints nested layouts through the resolver and bit fields at their bits', () => {
    const map = new AccessMap(8);
    map.paintLayout(4, outer, { resolve: (name) => (name === 'inner' ? inner : undefined) });
    expect([...map.store]).toEqual([0, 0, 0, 0, 0, 0xff, 0, 0]);
    expect([...map.writeOneClears]).toEqual([0, 0, 0, 0, 0, 0, 0b110, 0]);
  });

  it('lets an override by dotted path replace the metadata access', () => {
    const map = new AccessMap(3);
    map.paintLayout(0, outer, { resolve: () => inner, overrides: { 'cap.a': 'RW', 'cap.b': 'RsvdZ' } });
    expect(map.store[0]).toBe(0xff);
    expect(map.readsZero[1]).toBe(0xff);
    expect(map.applyWrite(1, 0x12, 0x34)).toBe(0);
  });

  it('treats a nested layout without a resolver as one field with the outer access', () => {
    const map = new AccessMap(3);
    map.paintLayout(0, outer);
    expect([...map.store]).toEqual([0, 0, 0]);
  });
});
