import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../core/package-root.ts';
import { compileSchemaFile } from '../../../core/schema-validator.ts';
import { decisionTableRows } from './decision-table.ts';

const validScenario = compileSchemaFile(join(packageRoot, 'spec', 'schema', 'scenario.schema.json'));

describe('decision table 5.9', () => {
  it('names each row or variant once', () => {
    const rows = decisionTableRows.map((row) => row.row);
    expect(new Set(rows).size).toBe(rows.length);
    expect(rows).toEqual(expect.arrayContaining(['1-nofg', '1-fg', '4', '8-nofg', '10-fg', '15b', '10-balloon', '11d']));
  });

  it('holds scenarios an adapter could be sent: each matches the scenario schema', () => {
    for (const row of decisionTableRows) expect({ row: row.row, valid: validScenario(row.scenario), errors: validScenario.errors ?? null }).toEqual({ row: row.row, valid: true, errors: null });
  });

  it('writes every outcome in the table notation, and carries column C into D unless 7.2 differs', () => {
    for (const row of decisionTableRows) {
      for (const outcome of Object.values(row.expected)) expect(outcome).toMatch(/^(OOPS|N|ENODEV|G\(\d+\))$/);
    }
    const byRow = new Map(decisionTableRows.map((row) => [row.row, row.expected]));
    expect(byRow.get('1-nofg')).toEqual({ A: 'OOPS', B: 'G(0)', C: 'N', D: 'N' });
    expect(byRow.get('10-cells0')).toEqual({ A: 'G(3)', B: 'G(3)', C: 'G(3)', D: 'N' });
  });

  it('splits rows that hold for any force-grant setting into both variants, with the kernel option set accordingly', () => {
    const variants = decisionTableRows.filter((row) => row.row.startsWith('3a-'));
    expect(variants.map((row) => [row.row, row.scenario.guest.kernel.forceGrant])).toEqual([
      ['3a-nofg', false],
      ['3a-fg', true],
    ]);
  });

  it('marks only the platforms no real system produces', () => {
    expect(decisionTableRows.filter((row) => row.notProducible !== undefined).map((row) => row.row)).toEqual(['2-nofg', '2-fg']);
  });
});
