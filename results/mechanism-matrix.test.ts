import { describe, expect, it } from 'vitest';
import { sampleRecords } from '../test-support/sample-results.ts';
import { buildMechanismMatrix, matrixCells } from './mechanism-matrix.ts';
import type { ResultRecord } from './result-model.ts';

function record(mechanism: string, property: string, outcome: ResultRecord['outcome'], target = 'reference'): ResultRecord {
  return { id: `${mechanism}#${property}#${target}`, requirement: 'XEN-INV-01', target, suite: 'mechanisms', test: 't', outcome, message: '', evidence: [], durationMs: 1, mechanism, property };
}

describe('mechanism matrix', () => {
  it('has no matrix when no record belongs to the mechanism suite', () => {
    expect(buildMechanismMatrix(sampleRecords().map(({ mechanism: _m, property: _p, ...rest }) => rest))).toBeUndefined();
  });

  it("fills a self-check cell with the worst outcome of xvc's readers and keeps its counterexample", () => {
    const cells = matrixCells([
      record('xenstore', 'trusted-source', 'pass', 'mechanism:xenstore'),
      { ...record('xenstore', 'trusted-source', 'fail', 'mechanism:xenstore'), id: 'second', evidence: [{ kind: 'counterexample', scenario: {}, seed: 1, path: '0', replay: 'xvc replay x' }] },
      record('xenstore', 'trusted-source', 'xfail', 'mechanism:xenstore'),
    ]);
    expect(cells).toEqual([{ mechanism: 'xenstore', property: 'trusted-source', outcome: 'fail', target: 'mechanism:xenstore', counterexample: { kind: 'counterexample', scenario: {}, seed: 1, path: '0', replay: 'xvc replay x' } }]);
  });

  it("keeps each frontend target's cells in that target's own matrix, never in xvc's self-check cells", () => {
    const matrix = buildMechanismMatrix(
      [
        record('xenstore', 'trusted-source', 'pass', 'mechanism:xenstore'),
        record('xenstore', 'trusted-source', 'fail', 'model:linux-6.2'),
        record('dt-iommus', 'toolstack-assignment', 'xfail', 'model:linux-6.2'),
        record('xenstore', 'ignores-undeclared', 'pass', 'model:linux-6.5'),
        record('dt-iommus', 'trusted-source', 'pass', 'model:linux-6.5'),
      ],
      new Map([['model:linux-6.5', ['dt-iommus', 'dt-iommu-map', 'dom0-default']]]),
    )!;
    expect(matrix.cells).toEqual([{ mechanism: 'xenstore', property: 'trusted-source', outcome: 'pass', target: 'mechanism:xenstore' }]);
    expect(matrix.targets).toEqual([
      {
        target: 'model:linux-6.2',
        declared: ['xenstore', 'dt-iommus'],
        cells: [
          { mechanism: 'xenstore', property: 'trusted-source', outcome: 'fail', target: 'model:linux-6.2' },
          { mechanism: 'dt-iommus', property: 'toolstack-assignment', outcome: 'xfail', target: 'model:linux-6.2' },
        ],
      },
      {
        target: 'model:linux-6.5',
        declared: ['dt-iommus', 'dt-iommu-map', 'dom0-default'],
        cells: [
          { mechanism: 'xenstore', property: 'ignores-undeclared', outcome: 'pass', target: 'model:linux-6.5' },
          { mechanism: 'dt-iommus', property: 'trusted-source', outcome: 'pass', target: 'model:linux-6.5' },
        ],
      },
    ]);
  });

  it('takes rows, writers and static facts from the catalogue, in catalogue order', () => {
    const matrix = buildMechanismMatrix([record('xenstore', 'p', 'pass'), record('dt-iommus', 'p', 'pass'), record('not-in-catalogue', 'p', 'fail')]);
    expect(matrix?.mechanisms.map((mechanism) => [mechanism.id, mechanism.writer, mechanism.trusted])).toEqual([
      ['dt-iommus', 'toolstack', true],
      ['xenstore', 'toolstack', true],
      ['not-in-catalogue', 'unknown', false],
    ]);
    expect(matrix?.properties).toEqual([{ id: 'p', requirement: 'XEN-INV-01', title: 'Backend domid from trusted sources only' }]);
    expect(matrix?.static.find((entry) => entry.mechanism === 'dt-iommus')?.facts).toContainEqual({ name: 'architectures', value: 'arm' });
  });
});
