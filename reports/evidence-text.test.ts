import { describe, expect, it } from 'vitest';
import { clip, evidenceText, hexRows, parseHexBytes } from './evidence-text.ts';

describe('evidence as text', () => {
  it('aligns hex rows to absolute offsets and marks the offending bytes', () => {
    const rows = hexRows({ kind: 'bytes', functionId: 'f', offset: 0x0e, bytes: 'aa bb cc', highlight: [0x10] });
    expect(rows.map((row) => [row.offset, row.cells.map((cell) => [cell.offset, cell.byte, cell.highlighted])])).toEqual([
      [0x00, [[0x0e, 0xaa, false], [0x0f, 0xbb, false]]],
      [0x10, [[0x10, 0xcc, true]]],
    ]);
    expect(evidenceText({ kind: 'bytes', functionId: 'f', offset: 0x0e, bytes: 'aabbcc', highlight: [0x10] })).toContain('0x0010: [cc]');
  });

  it('ignores non-hex characters and an odd trailing nibble, and bounds the bytes shown', () => {
    expect(parseHexBytes('0a:0B zz 1')).toEqual([0x0a, 0x0b]);
    expect(parseHexBytes('00'.repeat(10_000))).toHaveLength(4096);
  });

  it('renders counterexamples with their replay command and harness errors with stderr', () => {
    expect(evidenceText({ kind: 'counterexample', scenario: { a: 1 }, seed: 5, path: '1:2', replay: 'xvc replay --seed 5' })).toBe(
      'counterexample (seed 5, path 1:2)\nreplay: xvc replay --seed 5\nscenario:\n{\n  "a": 1\n}',
    );
    expect(evidenceText({ kind: 'harness', code: 'timeout', stderr: 'late' })).toBe('harness error timeout\nstderr:\nlate');
  });

  it('names a harness error by its catalogue code and name, also for the former code of an older results file', () => {
    expect(evidenceText({ kind: 'harness', code: 'XVC4005' })).toBe('harness error XVC4005 targetInput');
    expect(evidenceText({ kind: 'harness', code: 'target-crashed' })).toBe('harness error XVC4001 targetCrashed');
    expect(evidenceText({ kind: 'harness', code: 'adapter-timeout' })).toBe('harness error XVC4012 adapterTimeout');
  });

  it('clips long text and says how much was left out', () => {
    expect(clip('abcdef', 4)).toBe('abcd\n… (2 more characters)');
  });
});
