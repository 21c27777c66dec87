import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packagePath } from '../../core/package-root.ts';
import { commandHelp } from '../../generated/ts/commands.ts';
import { assignShards, matchesRequirements, maxShards, parseShard, readShard, selectedRequirements } from './case-selection.ts';

describe('matchesRequirements', () => {
  it('selects every case without patterns, and by exact id or glob otherwise', () => {
    const testCase = { requirements: ['XEN-INV-04', 'VIRTIO-DRV-14'] as const };
    expect(matchesRequirements(testCase, [])).toBe(true);
    expect(matchesRequirements(testCase, ['VIRTIO-DRV-14'])).toBe(true);
    expect(matchesRequirements(testCase, ['XEN-INV-*'])).toBe(true);
    expect(matchesRequirements(testCase, ['PCI-DEV-*', 'XEN-INV-05'])).toBe(false);
  });
});

describe('assignShards', () => {
  it('gives every unit exactly one shard and evens out the weights', () => {
    const units = [
      { key: 'device qemu:a', weight: 60 },
      { key: 'device qemu:b', weight: 60 },
      { key: 'device qemu:c', weight: 60 },
      ...Array.from({ length: 120 }, (_, index) => ({ key: `frontend ${String(index).padStart(3, '0')}`, weight: 1 })),
    ];
    const assigned = assignShards(units, 4);
    expect(assigned.size).toBe(units.length);
    const load = [0, 0, 0, 0];
    for (const unit of units) load[assigned.get(unit.key)! - 1]! += unit.weight;
    expect(Math.max(...load) - Math.min(...load)).toBeLessThanOrEqual(1);
    expect(new Set(['device qemu:a', 'device qemu:b', 'device qemu:c'].map((key) => assigned.get(key))).size).toBe(3);
  });

  it('is the same assignment whatever order the units come in', () => {
    const units = Array.from({ length: 30 }, (_, index) => ({ key: `k${index}`, weight: (index % 7) + 1 }));
    expect(assignShards([...units].reverse(), 3)).toEqual(assignShards(units, 3));
  });
});

describe('parseShard', () => {
  it('reads i/n', () => {
    expect(parseShard('2/5')).toEqual({ index: 2, count: 5 });
    expect(parseShard(undefined)).toBeUndefined();
  });

  it('throws a usage error for a text that is no shard', () => {
    expect(() => parseShard('1/99999999999')).toThrow(expect.objectContaining({ name: 'ShardUsageError', code: 'XVC2001', category: 'usage', shard: '1/99999999999' }));
  });
});

describe('readShard', () => {
  it('takes N up to maxShards and I from 1 to N', () => {
    expect(readShard(`1/${maxShards}`)).toEqual({ ok: true, shard: { index: 1, count: maxShards } });
    expect(readShard(`${maxShards}/${maxShards}`)).toEqual({ ok: true, shard: { index: maxShards, count: maxShards } });
    expect(readShard('3/3')).toEqual({ ok: true, shard: { index: 3, count: 3 } });
  });

  it('bounds N as the results schema bounds a shard, so that every part a run writes can be merged', () => {
    const schema = JSON.parse(readFileSync(packagePath('spec/schema/results.schema.json'), 'utf8')) as { $defs: { shard: { properties: Record<'index' | 'count', { maximum: number }> } } };
    expect(schema.$defs.shard.properties.count.maximum).toBe(maxShards);
    expect(schema.$defs.shard.properties.index.maximum).toBe(maxShards);
  });

  it('refuses, with a message naming --shard and the value, what is no shard', () => {
    const problems: [string, RegExp][] = [
      ['', /^--shard must look like I\/N .*, got ''$/],
      ['3', /^--shard must look like I\/N .*, got '3'$/],
      ['1/1e9', /^--shard must look like I\/N .*, got '1\/1e9'$/],
      ['1.5/3', /^--shard must look like I\/N .*, got '1\.5\/3'$/],
      ['-1/3', /^--shard must look like I\/N .*, got '-1\/3'$/],
      [' 1/3', /^--shard must look like I\/N .*, got ' 1\/3'$/],
      ['1/0', /^--shard 1\/0: N must be from 1 to 10000, got 0$/],
      [`1/${maxShards + 1}`, /^--shard 1\/10001: N must be from 1 to 10000, got 10001$/],
      ['1/99999999999', /^--shard 1\/99999999999: N must be from 1 to 10000, got 99999999999$/],
      [`1/${'9'.repeat(400)}`, /N must be from 1 to 10000/],
      ['0/3', /^--shard 0\/3: I must be from 1 to N \(3\), got 0$/],
      ['4/3', /^--shard 4\/3: I must be from 1 to N \(3\), got 4$/],
    ];
    for (const [text, problem] of problems) {
      const read = readShard(text);
      expect(read.ok, text).toBe(false);
      if (!read.ok) expect(read.problem, text).toMatch(problem);
    }
  });

  it('is stated in the help of xvc run --shard', () => {
    expect(commandHelp.run).toMatch(new RegExp(`--shard I/N[^]*N <= ${maxShards}`));
  });
});

describe('selectedRequirements', () => {
  it('keeps the requirements the patterns select, in order, and all of them without patterns', () => {
    const ids = ['XEN-INV-15', 'XEN-INV-16', 'XEN-INV-21', 'XEN-INV-22'];
    expect(selectedRequirements(ids, [])).toEqual(ids);
    expect(selectedRequirements(ids, ['XEN-INV-21'])).toEqual(['XEN-INV-21']);
    expect(selectedRequirements(ids, ['XEN-INV-?1', 'XEN-INV-16'])).toEqual(['XEN-INV-16', 'XEN-INV-21']);
    expect(selectedRequirements(ids, ['PCI-*'])).toEqual([]);
  });
});
