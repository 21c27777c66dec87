/**
 * What the matrix must show (issue 4 point 5), with expectations from the catalogue and the digest
 * (§3.10 observation, §7 INV-01), not from running the matrix: every backend-written mechanism fails
 * trusted source, with a counterexample where xvc models the channel; the device tree, a dom0-run
 * virtio-iommu and a hypervisor-emulated root-complex register pass it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mechanisms } from '../../generated/ts/mechanisms.ts';
import { frontends } from '../../reference-impl/frontend/registry.ts';
import { propertySeed } from '../../test-support/fast-check-seed.ts';
import { answerCase } from '../frontend/evaluate.ts';
import { checkTrustedSource } from '../frontend/invariants.ts';
import fc from 'fast-check';
import { hexToBytes } from '../../reference-impl/discovery/hex-bytes.ts';
import { walkCapabilities } from '../../reference-impl/pci/capability-walker.ts';
import { mechanismForeignVendorCases } from './arbitraries.ts';
import { computeMechanismMatrix, discoveryMechanism, mechanismProperties, sharedMechanismCases, type MatrixCell, type MechanismMatrix } from './matrix.ts';
import { mechanismPlatformCases } from './arbitraries.ts';
import { targetMatrixColumns } from './target-matrix.ts';

let matrix: MechanismMatrix;
beforeAll(() => {
  matrix = computeMechanismMatrix({ seed: propertySeed, runs: 100 });
});

const cell = (mechanism: string, property: string): MatrixCell => {
  const found = matrix.cells.find((candidate) => candidate.mechanism === mechanism && candidate.property === property);
  if (!found) throw new Error(`no cell ${mechanism} × ${property}`);
  return found;
};

describe('mechanism matrix', () => {
  it('has one row per catalogue mechanism and every column for each', () => {
    expect(matrix.mechanisms.map((mechanism) => mechanism.id)).toEqual(mechanisms.map((mechanism) => mechanism.id));
    expect(matrix.cells).toHaveLength(mechanisms.length * matrix.properties.length);
  });

  it('every mechanism the backend writes fails trusted source, with a replayable counterexample', () => {
    const backendWritten = ['device-register', 'common-config-field', 'virtio-capability', 'vendor-data-capability', 'virtio-iommu-backend'];
    expect(mechanisms.filter((mechanism) => mechanism.writer === 'backend').map((mechanism) => mechanism.id).sort()).toEqual([...backendWritten].sort());
    for (const id of backendWritten) expect(cell(id, 'trusted-source').outcome, id).toBe('fail');
    for (const id of backendWritten) {
      const counterexample = cell(id, 'trusted-source').counterexample;
      expect(counterexample, id).toBeDefined();
      expect(counterexample!.violation.code).toBe('backend-controlled-domid');
      expect(counterexample!.scenario.variant).toBeDefined();
    }
    expect(cell('vendor-data-capability', 'trusted-source').requirements).toContain('XEN-INV-09');
    // A backend that publishes its own choice also breaks the toolstack assignment.
    for (const id of backendWritten) expect(cell(id, 'toolstack-assignment').outcome, id).toBe('fail');
  });

  it('the device tree, a dom0-run virtio-iommu and a hypervisor root-complex register pass trusted source', () => {
    for (const id of ['dt-iommus', 'dt-iommu-map', 'virtio-iommu-trusted', 'root-complex-register']) expect(cell(id, 'trusted-source').outcome, id).toBe('pass');
    for (const id of ['acpi-table', 'xenstore', 'dummy-pci-device', 'boot-parameter', 'dom0-default']) expect(cell(id, 'trusted-source').outcome, id).toBe('pass');
  });

  it('the dom0 constant is backend-independent but not the toolstack assignment (digest §5.9: an assumption, not a discovery)', () => {
    expect(cell('dom0-default', 'toolstack-assignment').outcome).toBe('fail');
    for (const id of ['dt-iommus', 'dt-iommu-map', 'xenstore', 'acpi-table', 'root-complex-register', 'dummy-pci-device', 'virtio-iommu-trusted']) {
      expect(cell(id, 'toolstack-assignment').outcome, id).toBe('pass');
    }
  });

  it("the dom0less map Xen would write (2024 series) is trusted yet names each function's requester id: red toolstack assignment with a counterexample", () => {
    expect(cell('dt-iommu-map-dom0less', 'trusted-source').outcome).toBe('pass');
    const assignment = cell('dt-iommu-map-dom0less', 'toolstack-assignment');
    expect(assignment.outcome).toBe('fail');
    const { scenario, expectations } = assignment.counterexample!.scenario;
    const violation = assignment.counterexample!.violation;
    if (violation.code !== 'not-toolstack-assignment') throw new Error(`unexpected ${violation.code}`);
    const device = scenario.devices.find((candidate) => candidate.id === violation.deviceId)!;
    // The domid the policy used is the function's RID, (bus << 8) | (device << 3) | function.
    expect(violation.decided).toBe(`grants(${(device.bdf!.bus << 8) | (device.bdf!.device << 3) | device.bdf!.function})`);
    expect(violation.expected).not.toBe(violation.decided);
    expect(expectations[device.id]!.grantUsage === true || violation.expected === 'no-grants').toBe(true);
  });

  it('the reference policy keeps the other invariants whatever the mechanism says', () => {
    for (const property of ['no-self-grant', 'valid-domid', 'platform-access', 'grant-scope']) {
      for (const mechanism of mechanisms) expect(['pass', 'inapplicable'], `${mechanism.id} ${property}`).toContain(cell(mechanism.id, property).outcome);
    }
  });

  it('static columns are the catalogue facts', () => {
    expect(cell('dt-iommus', 'needs-device-tree').outcome).toBe('yes');
    expect(cell('xenstore', 'needs-xenstore').outcome).toBe('yes');
    expect(cell('acpi-table', 'needs-acpi').outcome).toBe('yes');
    expect(cell('vendor-data-capability', 'virtio-spec-change').outcome).toBe('yes');
    expect(cell('dt-iommus', 'architectures').value).toBe('arm');
    expect(cell('root-complex-register', 'writer').value).toBe('hypervisor');
    expect(cell('device-register', 'trusted').outcome).toBe('no');
  });

  it('a trusted-source counterexample is one a backend-trusting frontend also fails', () => {
    const counterexample = cell('vendor-data-capability', 'trusted-source').counterexample!;
    expect(checkTrustedSource(counterexample.scenario, answerCase(frontends['trusts-vendor-data'], counterexample.scenario))).toBeDefined();
    expect(checkTrustedSource(counterexample.scenario, answerCase(frontends.reference, counterexample.scenario))).toBeUndefined();
  });

  it("another vendor's vendor data, listed first, does not fool the vendor-data reader (PCI-DRV-22)", () => {
    expect(cell('vendor-data-capability', 'foreign-vendor-id')).toMatchObject({ outcome: 'pass', requirements: ['PCI-DRV-22'] });
    expect(cell('dt-iommus', 'foreign-vendor-id').outcome).toBe('inapplicable');
    const mechanism = discoveryMechanism('vendor-data-capability')!;
    const [sample] = fc.sample(mechanismForeignVendorCases(mechanism).filter((testCase) => testCase.scenario.devices.some((device) => device.transport === 'pci' && testCase.expectations[device.id]!.grantUsage)), { seed: 5, numRuns: 1 });
    const device = sample!.variant!.devices.find((candidate) => candidate.transport === 'pci' && sample!.expectations[candidate.id]!.grantUsage)!;
    const walk = walkCapabilities(hexToBytes(device.configSpace!)!);
    const vendors = walk.capabilities.filter((capability) => capability.virtio?.cfgType === 9).map((capability) => capability.virtio!.vendorId);
    expect(vendors).toHaveLength(2);
    expect(vendors[0]).not.toBe(0x5853);
    expect(vendors[1]).toBe(0x5853);
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(matrix))).toEqual(matrix);
  });
});

describe('arbitraries shared between the matrices', () => {
  it('are built once per generator and mechanism, so the mechanism matrix and every target matrix judge the same generated cases', () => {
    const mechanism = discoveryMechanism('dt-iommu-map')!;
    expect(sharedMechanismCases(mechanismPlatformCases, mechanism)).toBe(sharedMechanismCases(mechanismPlatformCases, mechanism));
    expect(sharedMechanismCases(mechanismPlatformCases, mechanism)).not.toBe(sharedMechanismCases(mechanismPlatformCases, discoveryMechanism('dt-iommus')!));
    const byId = (id: string) => mechanismProperties.find((property) => property.id === id)!;
    // Two columns drawn from one generator share its cases.
    expect(byId('toolstack-assignment').cases(mechanism)).toBe(byId('platform-access').cases(mechanism));
    for (const property of mechanismProperties.filter((candidate) => !candidate.appliesTo || candidate.appliesTo(mechanism.entry))) {
      const column = targetMatrixColumns.find((candidate) => candidate.id === property.id)!;
      expect(column.cases(mechanism, []), property.id).toBe(property.cases(mechanism));
    }
  });
});
