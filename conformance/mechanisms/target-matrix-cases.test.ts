import { describe, expect, it } from 'vitest';
import { openFrontendTarget } from '../../targets/create-target.ts';
import { parseTargetSpec } from '../../targets/target-spec.ts';
import { targetMatrixCases } from './target-matrix-cases.ts';

const settings = { seed: 24601, numRuns: 20 };

describe('targetMatrixCases', () => {
  it("does not blame a target for a property its mechanism cannot meet: xvc's own reader fails it too", async () => {
    const target = await openFrontendTarget(parseTargetSpec('reference'));
    const cases = targetMatrixCases('reference', target, settings);
    const bootParameter = cases.find((testCase) => testCase.mechanism === 'boot-parameter' && testCase.property === 'toolstack-assignment');
    expect(bootParameter, 'the reference declares boot-parameter').toBeDefined();
    const result = await bootParameter!.run();
    expect(result).toMatchObject({ outcome: 'inapplicable' });
    expect(result.outcome === 'inapplicable' && result.note).toContain('see mechanism:boot-parameter');
    await target.close();
  });

  it('judges a declared mechanism the design allows to be read right', async () => {
    const target = await openFrontendTarget(parseTargetSpec('reference'));
    const cell = targetMatrixCases('reference', target, settings).find((testCase) => testCase.mechanism === 'dt-iommus' && testCase.property === 'toolstack-assignment');
    expect(await cell!.run()).toMatchObject({ outcome: 'pass' });
    await target.close();
  });

  it('still fails a target that reads a well-designed mechanism wrongly', async () => {
    const target = await openFrontendTarget(parseTargetSpec('model:linux-6.5'));
    const cell = targetMatrixCases('model:linux-6.5', target, { ...settings, numRuns: 100 }).find((testCase) => testCase.mechanism === 'dt-iommus' && testCase.property === 'valid-domid');
    expect(await cell!.run()).toMatchObject({ outcome: 'fail' });
    await target.close();
  });
});
