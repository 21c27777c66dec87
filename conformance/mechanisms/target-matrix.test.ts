/**
 * A frontend target's own mechanism matrix: every mechanism it declares, judged from its answers,
 * every other one published to see that it is ignored. Expectations come from the catalogue (who
 * writes each value) and from what each built-in frontend reads, not from an earlier run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mechanisms } from '../../generated/ts/mechanisms.ts';
import type { Frontend } from '../../reference-impl/frontend/index.ts';
import { frontends } from '../../reference-impl/frontend/registry.ts';
import { referenceDecide } from '../../reference-impl/frontend/reference-frontend.ts';
import { discoveryMechanisms } from '../../reference-impl/discovery/registry.ts';
import { mapForDecision } from '../../reference-impl/frontend/grant-mapper.ts';
import { propertySeed } from '../../test-support/fast-check-seed.ts';
import { disagreementPartners, mechanismDisagreementCases, mechanismIgnoredCases } from './arbitraries.ts';
import { discoveryMechanism } from './matrix.ts';
import { computeTargetMatrix, declares, runTargetMechanismCell, targetMatrixCells } from './target-matrix.ts';
import { targetMatrixCases } from './target-matrix-cases.ts';

const settings = { seed: propertySeed, numRuns: 60 };
const asTarget = (frontend: Pick<Frontend, 'decide' | 'map'>) => ({ decide: async (scenario: Parameters<Frontend['decide']>[0]) => frontend.decide(scenario), map: async (scenario: Parameters<Frontend['map']>[0], request: Parameters<Frontend['map']>[1]) => frontend.map(scenario, request) });
const failing = async (frontend: Frontend, declared: readonly string[] = frontend.mechanisms) =>
  (await computeTargetMatrix(asTarget(frontend), declared, settings)).filter((cell) => cell.run.kind !== 'pass').map((cell) => `${cell.mechanism} ${cell.property} ${cell.run.kind}`).sort();

describe("a frontend target's mechanism matrix", () => {
  it('has every declared mechanism against the columns that apply and every other one against ignores-undeclared', () => {
    const cells = targetMatrixCells(['dt-iommus', 'dt-iommu-map', 'dom0-default']);
    const rows = new Set(cells.map((cell) => cell.mechanism));
    expect([...rows].sort()).toEqual(mechanisms.map((mechanism) => mechanism.id).filter((id) => discoveryMechanisms[id].modelled).sort());
    for (const cell of cells) expect(cell.declared, `${cell.mechanism} ${cell.property}`).toBe(cell.property !== 'ignores-undeclared');
    // The dom0less map Xen would write reuses the iommu-map format: reading one reads the other.
    expect(cells.filter((cell) => cell.mechanism === 'dt-iommu-map-dom0less').map((cell) => cell.property)).toContain('trusted-source');
    expect(cells.filter((cell) => cell.mechanism === 'xenstore').map((cell) => cell.property)).toEqual(['ignores-undeclared']);
    expect(cells.find((cell) => cell.mechanism === 'device-register')!.requirements).toEqual(['XEN-INV-23', 'XEN-INV-01']);
    expect(declares(['dt-iommu-map'], { id: 'dt-iommu-map-dom0less', sameFormatAs: 'dt-iommu-map' })).toBe(true);
  });

  it('the reference is red only where the mechanism itself is: the dom0less map and the one-for-all boot parameter miss the toolstack assignment', async () => {
    expect(await failing(frontends.reference)).toEqual(['boot-parameter toolstack-assignment fail', 'dt-iommu-map-dom0less toolstack-assignment fail']);
  });

  it('Linux: the device-tree paths keep reserved domids and self grants, the dom0 fallback is no toolstack assignment, everything undeclared is ignored', async () => {
    const linux = await failing(frontends['linux-6.5']);
    expect(linux).toEqual(expect.arrayContaining(['dom0-default toolstack-assignment fail', 'dt-iommus valid-domid fail', 'dt-iommu-map no-self-grant fail']));
    expect(linux.filter((cell) => cell.includes('ignores-undeclared'))).toEqual([]);
  });

  it('a frontend that reads a mechanism it does not declare fails ignores-undeclared with a counterexample', async () => {
    // The reference reads every trusted source; declared as reading the device tree only, xenstore gives it away.
    const run = await runTargetMechanismCell(asTarget(frontends.reference), ['dt-iommus', 'dt-iommu-map'], 'xenstore', 'ignores-undeclared', settings);
    expect(run.kind).toBe('fail');
    if (run.kind === 'fail') expect(run.violation.code).toBe('decision-changed');
    const honest = await runTargetMechanismCell(asTarget(frontends['linux-2026']), frontends['linux-2026'].mechanisms, 'xenstore', 'ignores-undeclared', settings);
    expect(honest.kind).toBe('pass');
  });

  it('two declared trusted sources that disagree: refusing passes, trusting the first one fails', async () => {
    const xenstore = discoveryMechanism('xenstore')!;
    const partners = disagreementPartners(xenstore, frontends.reference.mechanisms.map((id) => discoveryMechanism(id)!));
    expect(partners.map((partner) => partner.id)).toEqual(expect.arrayContaining(['boot-parameter', 'acpi-table']));
    const firstWins: Frontend = {
      name: 'first-wins',
      mechanisms: frontends.reference.mechanisms,
      decide: (scenario) =>
        scenario.devices.map((device) => {
          for (const id of frontends.reference.mechanisms) {
            const reading = discoveryMechanisms[id].read(scenario, device);
            if (reading.kind === 'domid') return referenceDecide({ ...scenario, channels: {}, guest: { ...scenario.guest, bootParameters: [`xen_virtio.backend_domid=${reading.domid}`] } }, device);
          }
          return referenceDecide(scenario, device);
        }),
      map: (scenario, request) => mapForDecision(scenario, undefined, request),
    };
    expect((await runTargetMechanismCell(asTarget(frontends.reference), frontends.reference.mechanisms, 'xenstore', 'disagreeing-sources', settings)).kind).toBe('pass');
    expect((await runTargetMechanismCell(asTarget(firstWins), frontends.reference.mechanisms, 'xenstore', 'disagreeing-sources', settings)).kind).toBe('fail');
    // Linux reads no two sources that can describe one device: the column does not apply to it.
    expect(targetMatrixCells(frontends['linux-6.5'].mechanisms).some((cell) => cell.property === 'disagreeing-sources')).toBe(false);
  });

  it('shows a target PV guests where a toolstack could make them, and only the channels a guest has', () => {
    const xenstoreCases = fc.sample(mechanismIgnoredCases(discoveryMechanism('xenstore')!), { seed: propertySeed, numRuns: 200 });
    expect(xenstoreCases.some((testCase) => testCase.scenario.guest.type === 'pv' && testCase.scenario.guest.arch === 'x86')).toBe(true);
    const acpiCases = fc.sample(mechanismIgnoredCases(discoveryMechanism('acpi-table')!), { seed: propertySeed, numRuns: 200 });
    expect(acpiCases.some((testCase) => testCase.scenario.guest.type === 'pv' && !testCase.scenario.guest.initialDomain)).toBe(false);
    const disagreement = fc.sample(mechanismDisagreementCases(discoveryMechanism('xenstore')!, [discoveryMechanism('boot-parameter')!]), { seed: propertySeed, numRuns: 100 });
    expect(disagreement.some((testCase) => Object.values(testCase.expectations).some((expectation) => expectation.malformedTrusted?.startsWith('trusted sources disagree')))).toBe(true);
  });

  it('as cases: each carries its mechanism and property, names undeclared rows, and runs to a result', async () => {
    const target = { ...asTarget(frontends['linux-7.2']), metadata: { spec: 'model:linux-7.2', kind: 'model' as const, role: 'frontend' as const, implementation: 'x', mechanisms: [...frontends['linux-7.2'].mechanisms] } };
    const cases = targetMatrixCases('model:linux-7.2', target, settings);
    expect(cases.length).toBe(targetMatrixCells(frontends['linux-7.2'].mechanisms).length);
    const undeclared = cases.find((testCase) => testCase.mechanism === 'xenstore')!;
    expect(undeclared).toMatchObject({ suite: 'frontend', target: 'model:linux-7.2', property: 'ignores-undeclared', requirements: ['XEN-INV-23'] });
    expect((await undeclared.run()).outcome).toBe('pass');
    // The dom0 default cannot give the toolstack's assignment by design: not the target's fault.
    const fallback = cases.find((testCase) => testCase.mechanism === 'dom0-default' && testCase.property === 'toolstack-assignment')!;
    expect((await fallback.run()).outcome).toBe('inapplicable');
    const reserved = cases.find((testCase) => testCase.mechanism === 'dt-iommus' && testCase.property === 'valid-domid')!;
    const result = await reserved.run();
    expect(result.outcome).toBe('fail');
    expect(result.targetMetadata?.mechanisms).toEqual(['dt-iommus', 'dt-iommu-map', 'dom0-default']);
  });
});
