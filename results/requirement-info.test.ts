import { describe, expect, it } from 'vitest';
import { sampleRecords } from '../test-support/sample-results.ts';
import { withRequirementInfo } from './requirement-info.ts';

describe('withRequirementInfo', () => {
  it('copies the statement a verdict rests on from the catalogue', () => {
    const { title: _t, level: _l, side: _s, ref: _r, statement: _st, ...bare } = sampleRecords().find((record) => record.requirement === 'PCI-DEV-02')!;
    const filled = withRequirementInfo(bare);
    expect(filled.level).toBe('MUST');
    expect(filled.side).toBe('device');
    expect(filled.ref).toMatch(/§4\.1/);
    expect(filled.statement).toMatch(/0x1AF4/i);
  });

  it('keeps what the record already says and leaves unknown ids alone', () => {
    const record = { ...sampleRecords()[0]!, title: 'own title', statement: 'own text' };
    expect(withRequirementInfo(record)).toMatchObject({ title: 'own title', statement: 'own text' });
    const unknown = { ...sampleRecords()[0]!, requirement: 'UNTRACED' };
    expect(withRequirementInfo(unknown)).toBe(unknown);
  });
});
