import { describe, expect, it } from 'vitest';
import { sampleResults } from '../test-support/sample-results.ts';
import { mergeResults, type MergePart } from './merge-results.ts';
import { recordsSha256 } from './records-hash.ts';
import type { RunResults } from './result-model.ts';
import { validateResults } from './validate-results.ts';

/** Splits the sample into `count` shards the way `--shard i/n` would: disjoint records. */
function shards(count: number): MergePart[] {
  const all = sampleResults();
  return Array.from({ length: count }, (_, index) => {
    const records = all.records.filter((_, position) => position % count === index);
    const results: RunResults = {
      ...all,
      records,
      metadata: {
        ...all.metadata,
        shard: { index: index + 1, count },
        host: `runner-${index + 1}`,
        commandLine: ['xvc', 'run', '--shard', `${index + 1}/${count}`],
        startedAt: `2026-11-24T08:0${index}:00.000Z`,
        finishedAt: `2026-11-24T08:0${index}:30.000Z`,
        recordsSha256: recordsSha256(records),
      },
    };
    return { file: `part-${index + 1}/results.json`, results };
  });
}

describe('mergeResults', () => {
  it('joins disjoint shards into one valid, complete result with each part in its provenance', () => {
    const merged = mergeResults(shards(3));
    expect(merged.ok).toBe(true);
    if (!merged.ok) return;
    const { results } = merged;
    expect(validateResults(results)).toEqual([]);
    expect(results.records).toHaveLength(sampleResults().records.length);
    expect(results.metadata.partial).toBe(false);
    expect(results.metadata.shard).toBeUndefined();
    expect(results.metadata.shards?.map((part) => [part.shard?.index, part.host, part.records])).toEqual([
      [1, 'runner-1', 4],
      [2, 'runner-2', 3],
      [3, 'runner-3', 3],
    ]);
    expect(results.metadata.startedAt).toBe('2026-11-24T08:00:00.000Z');
    expect(results.metadata.finishedAt).toBe('2026-11-24T08:02:30.000Z');
    expect(results.metadata.host).toBe('runner-1, runner-2, runner-3');
    expect(results.metadata.recordsSha256).toBe(recordsSha256(results.records));
    expect(results.mechanismMatrix?.cells.find((cell) => cell.mechanism === 'dom0-default')?.outcome).toBe('fail');
  });

  it('marks the merge partial when a shard is missing or a part did not finish', () => {
    const [one, , three] = shards(3);
    const merged = mergeResults([one!, three!]);
    expect(merged.ok && merged.results.metadata.partial).toBe(true);
    expect(merged.ok && merged.notes.join()).toContain('shard(s) 2/3 missing');
    const killed = shards(2);
    killed[1]!.results.metadata.partial = true;
    const partial = mergeResults(killed);
    expect(partial.ok && partial.results.metadata.partial).toBe(true);
  });

  it('refuses parts of different runs (seed, commit, shard count) unless allowed, then notes it', () => {
    const parts = shards(2);
    parts[1]!.results.metadata.seed = 7;
    const refused = mergeResults(parts);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.conflicts.join()).toContain('seed differs: 24301 in part-1/results.json (shard 1/2), 7 in part-2/results.json (shard 2/2)');
    const allowed = mergeResults(parts, { allowMismatch: true });
    expect(allowed.ok && allowed.results.metadata.notes?.join()).toContain('merged although seed differs');
  });

  it('refuses the same shard twice', () => {
    const [one] = shards(2);
    const again = mergeResults([one!, { ...one!, file: 'copy/results.json' }]);
    expect(!again.ok && again.conflicts.join()).toContain('copy/results.json (shard 1/2) is the same part as part-1/results.json (shard 1/2)');
  });

  it('keeps the worse result when parts overlap with different outcomes', () => {
    const [one, two] = shards(2);
    const record = { ...one!.results.records[0]!, outcome: 'pass' as const };
    two!.results.records.push(record);
    const merged = mergeResults([one!, two!]);
    expect(merged.ok).toBe(true);
    if (!merged.ok) return;
    expect(merged.results.records.find((candidate) => candidate.id === record.id)?.outcome).toBe('fail');
    expect(merged.notes.join()).toContain('several parts with different results; the worse (fail) was kept');
  });

  it('prefixes run errors with their part and keeps an entry unmatched only if no part matched it', () => {
    const parts = shards(2);
    parts[0]!.results.runErrors = ['boom'];
    const entry = (source: string) => ({ target: 't', requirement: 'PCI-DEV-02', reason: 'r', source });
    parts[0]!.results.expectations = { file: 'e.yaml', applied: 1, expired: [], unmatched: [entry('e.yaml:2:5'), entry('e.yaml:3:5')] };
    parts[1]!.results.expectations = { file: 'e.yaml', applied: 2, expired: [], unmatched: [entry('e.yaml:3:5')] };
    const merged = mergeResults(parts);
    expect(merged.ok).toBe(true);
    if (!merged.ok) return;
    expect(merged.results.runErrors).toEqual(['part-1/results.json (shard 1/2): boom']);
    expect(merged.results.expectations).toMatchObject({ applied: 3, unmatched: [{ source: 'e.yaml:3:5' }] });
  });

  it('refuses the same recorded part given twice, even without shard metadata', () => {
    const [one] = shards(1);
    const { shard: _shard, ...metadata } = one!.results.metadata;
    const whole: MergePart = { file: 'run/results.json', results: { ...one!.results, metadata } };
    const twice = mergeResults([whole, { ...whole, file: 'copy/results.json' }]);
    expect(twice.ok).toBe(false);
    if (!twice.ok) expect(twice.conflicts.join('\n')).toContain('copy/results.json is the same part as run/results.json');
  });

  it('refuses a part whose shard index exceeds its count, naming it, even when mismatches are allowed', () => {
    const parts = shards(2);
    parts[1]!.results.metadata.shard = { index: 7, count: 2 };
    for (const options of [{}, { allowMismatch: true }]) {
      const merged = mergeResults(parts, options);
      expect(merged.ok).toBe(false);
      if (!merged.ok) expect(merged.conflicts).toEqual([expect.stringContaining('part-2/results.json (shard 7/2)')]);
    }
  });

  it('refuses parts that are not shards of one run: no --shard, or another command line', () => {
    const [one, two] = shards(2);
    const { shard: _shard, ...metadata } = two!.results.metadata;
    const unsharded = mergeResults([one!, { ...two!, results: { ...two!.results, metadata } }]);
    expect(!unsharded.ok && unsharded.conflicts.join('\n')).toContain('part-2/results.json is not a shard (its run had no --shard)');
    const other = shards(2);
    other[1]!.results.metadata.commandLine = ['xvc', 'run', '--target', 'qemu:virtio-net-pci', '--shard', '2/2', '--out', 'elsewhere'];
    const unrelated = mergeResults(other);
    expect(!unrelated.ok && unrelated.conflicts.join('\n')).toContain('is not a part of the same run as part-1/results.json (shard 1/2): command lines differ beyond --shard and --out');
    expect(mergeResults(other, { allowMismatch: true }).ok).toBe(true);
  });

  it('accepts shards whose command lines differ only in --shard and --out', () => {
    const parts = shards(2);
    parts[0]!.results.metadata.commandLine = ['xvc', 'run', '--shard', '1/2', '--out', 'part-1'];
    parts[1]!.results.metadata.commandLine = ['xvc', 'run', '--out=part-2', '--shard=2/2'];
    expect(mergeResults(parts).ok).toBe(true);
  });

  it("keeps each frontend target's own mechanism matrix, rebuilt from the records of every part", () => {
    const parts = shards(2);
    const targetCell = (target: string, mechanism: string, outcome: 'pass' | 'fail') => ({
      id: `frontend:frontend ${target} > mechanism ${mechanism} > XEN-INV-01 ${mechanism}: trusted-source#XEN-INV-01`,
      requirement: 'XEN-INV-01',
      target,
      suite: 'frontend',
      test: `frontend ${target} > mechanism ${mechanism} > XEN-INV-01 ${mechanism}: trusted-source`,
      outcome,
      message: '',
      evidence: [],
      durationMs: 1,
      mechanism,
      property: 'trusted-source',
    });
    parts[0]!.results.records.push(targetCell('model:linux-6.5', 'dt-iommus', 'pass'));
    parts[1]!.results.records.push(targetCell('model:linux-6.5', 'xenstore', 'fail'));
    for (const part of parts) {
      part.results.metadata.recordsSha256 = recordsSha256(part.results.records);
      part.results.mechanismMatrix = { ...part.results.mechanismMatrix!, targets: [{ target: 'model:linux-6.5', declared: ['dt-iommus', 'xenstore'], cells: [] }] };
    }
    const merged = mergeResults(parts, { replayFrom: 'merged' });
    expect(merged.ok).toBe(true);
    if (!merged.ok) return;
    expect(validateResults(merged.results)).toEqual([]);
    const own = merged.results.mechanismMatrix?.targets?.find((target) => target.target === 'model:linux-6.5');
    expect(own?.declared).toEqual(['dt-iommus', 'xenstore']);
    expect(own?.cells.map((cell) => `${cell.mechanism} ${cell.outcome}`).sort()).toEqual(['dt-iommus pass', 'xenstore fail']);
    // Replay commands name where the merged results are.
    const replays = merged.results.records.flatMap((record) => record.evidence.flatMap((evidence) => (evidence.kind === 'counterexample' ? [evidence.replay] : [])));
    expect(replays.length).toBeGreaterThan(0);
    for (const replay of replays) expect(replay).toMatch(/^xvc replay --from merged --record [0-9a-f]{10}$/);
  });
});
