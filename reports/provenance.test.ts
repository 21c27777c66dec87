import { describe, expect, it } from 'vitest';
import type { RunResults } from '../results/result-model.ts';
import { sampleMetadata, sampleResults } from '../test-support/sample-results.ts';
import { provenanceRows } from './provenance.ts';

function rows(metadata: Partial<RunResults['metadata']> = {}) {
  const results = sampleResults();
  return provenanceRows({ ...results, metadata: { ...results.metadata, ...metadata } });
}
const value = (list: ReturnType<typeof rows>, label: string) => list.find((row) => row.label === label)?.value;

describe('provenanceRows', () => {
  it('says how, where and with what the results were made', () => {
    const { metadata } = sampleResults();
    const list = rows();
    expect(value(list, 'xvc')).toBe(`${metadata.xvcVersion} (commit ${metadata.xvcCommit})`);
    expect(value(list, 'spec versions')).toBe('virtio 1.0, 1.1, 1.2, 1.3, 1.4; xen 4.17, 4.18');
    expect(value(list, 'seed')).toBe(String(metadata.seed));
    expect(value(list, 'runs per property')).toBe('100');
    expect(value(list, 'command line')).toBe(metadata.commandLine.join(' '));
    expect(value(list, 'host')).toBe('ci-runner-7 (node v20.19.0)');
    expect(value(list, 'started')).toBe(metadata.startedAt);
    expect(value(list, 'finished')).toBe(metadata.finishedAt);
    expect(value(list, 'records sha256')).toBe(metadata.recordsSha256);
  });

  it('describes every target: implementation, version, kind and role, capture, command line, description', () => {
    const list = rows();
    expect(value(list, 'target qemu:virtio-net-pci')).toBe('QEMU — version 9.2.0 — qemu, device — command line: qemu-system-x86_64 -S -nodefaults -device virtio-net-pci');
    expect(value(list, 'target reference')).toBe('xvc reference implementations (device and frontend) — reference, frontend');
    expect(list.filter((row) => row.label.startsWith('target '))).toHaveLength(sampleMetadata().targets.length);
  });

  it("leaves out what is unknown, says a run that did not finish, and lists shards, parts and notes", () => {
    const { xvcCommit: _commit, node: _node, finishedAt: _finished, ...bare } = sampleMetadata();
    const list = provenanceRows({ ...sampleResults(), metadata: { ...bare, shard: { index: 2, count: 3 }, notes: ['seeds differ'] } as RunResults['metadata'] });
    expect(value(list, 'xvc')).toBe(bare.xvcVersion);
    expect(value(list, 'host')).toBe('ci-runner-7');
    expect(value(list, 'finished')).toBe('(did not finish)');
    expect(value(list, 'shard')).toBe('2/3');
    expect(value(list, 'note')).toBe('seeds differ');
    const merged = rows({ shards: [{ shard: { index: 1, count: 2 }, records: 10, host: 'a', startedAt: 's', partial: true, recordsSha256: 'f'.repeat(64) }] as RunResults['metadata']['shards'] });
    expect(value(merged, 'part 1/2')).toBe(`10 records on a, s – unfinished (partial), sha256 ${'f'.repeat(64)}`);
  });
});
