/**
 * Realistic results for the writers' tests: every outcome, every evidence kind, a mechanism matrix,
 * and hostile strings in every place a target can put text (implementation name, description,
 * adapter message, evidence), so that each writer is tested against injection.
 */
import { recordsSha256 } from '../results/records-hash.ts';
import { resultsFormat, type ResultRecord, type RunMetadata, type RunResults } from '../results/result-model.ts';

/** An HTML payload that runs script if rendered as markup. */
export const htmlPayload = '<img src=x onerror=alert(1)>';
/** A payload that closes an inline script element and opens a new one. */
export const scriptPayload = '</script><script>window.__xvcPwned=1</script>';
/** Characters that are not allowed in XML 1.0 and must not reach a JUnit file raw. */
export const controlPayload = 'NUL\u0000 BEL\u0007 ESC\u001b ]]> & "quotes" \'apos\'';

/** Metadata of the sample run. */
export function sampleMetadata(): RunMetadata {
  return {
    xvcVersion: '0.1.0',
    xvcCommit: '06b3d3e5a1b2c3d4e5f60718293a4b5c6d7e8f90',
    specVersions: { virtio: ['1.0', '1.1', '1.2', '1.3', '1.4'], xen: ['4.17', '4.18'] },
    targets: [
      { spec: 'reference', kind: 'reference', role: 'frontend', implementation: 'xvc reference implementations (device and frontend)' },
      { spec: 'model:linux-6.2', kind: 'model', role: 'frontend', implementation: 'xvc model of linux-6.2' },
      {
        spec: 'dump:fixtures/hostile.txt',
        kind: 'dump',
        role: 'device',
        implementation: `EvilNIC ${htmlPayload}`,
        capturedBy: 'lspci -xxx',
        description: `captured on a lab box ${scriptPayload}`,
      },
      {
        spec: 'qemu:virtio-net-pci',
        kind: 'qemu',
        role: 'device',
        implementation: 'QEMU',
        version: '9.2.0',
        commandLine: ['qemu-system-x86_64', '-S', '-nodefaults', '-device', 'virtio-net-pci'],
      },
      { spec: 'exec:./adapter', kind: 'exec', role: 'frontend', implementation: `adapter ${scriptPayload}`, commandLine: ['./adapter'] },
    ],
    seed: 24301,
    runs: 100,
    commandLine: ['xvc', 'run', '--target', 'dump:fixtures/hostile.txt', '--target', 'qemu:virtio-net-pci'],
    host: 'ci-runner-7',
    node: 'v20.19.0',
    startedAt: '2026-11-24T08:00:00.000Z',
    finishedAt: '2026-11-24T08:00:09.500Z',
    partial: false,
    recordsSha256: '0'.repeat(64),
  };
}

/** Records of the sample run (a fresh array on every call). */
export function sampleRecords(): ResultRecord[] {
  const vendorIdFail: ResultRecord = {
    id: 'suites/device/checks/pci-header.suite.ts#vendor id#PCI-DEV-02',
    requirement: 'PCI-DEV-02',
    target: 'dump:fixtures/hostile.txt',
    suite: 'device',
    test: 'vendor id is 0x1AF4',
    file: 'suites/device/checks/pci-header.suite.ts',
    outcome: 'fail',
    message: `vendor id 0x8086 at 00:03.0 — device said ${htmlPayload}`,
    title: 'Vendor ID is 0x1AF4',
    level: 'MUST',
    side: 'device',
    ref: 'VS13 §4.1.2.1 Device Requirements: PCI Device Discovery',
    evidence: [
      {
        kind: 'bytes',
        functionId: '00:03.0',
        offset: 0,
        length: 32,
        space: 'config',
        bytes: '86 80 41 10 07 05 10 00 01 00 00 02 00 00 00 00 04 00 00 fe 00 00 00 00 00 00 00 00 00 00 00 00',
        highlight: [0, 1],
        expected: '0x1af4',
        actual: '0x8086',
      },
    ],
    durationMs: 3.2,
  };
  const capLenFail: ResultRecord = {
    id: 'suites/device/checks/caps.suite.ts#cap_len#PCI-DEV-09',
    requirement: 'PCI-DEV-09',
    target: 'qemu:virtio-net-pci',
    suite: 'device',
    test: 'cap_len covers the whole capability',
    outcome: 'fail',
    message: `cap_len 0x0c shorter than the 0x10 the structure needs ${controlPayload}`,
    title: 'cap_len covers the whole capability',
    level: 'MUST',
    side: 'device',
    ref: 'VS13 §4.1.4.2 Device Requirements: Virtio Structure PCI Capabilities',
    evidence: [
      {
        kind: 'bytes',
        functionId: 'virtio-net-pci',
        offset: 0x40,
        length: 16,
        space: 'config',
        bytes: '09500c0104000000000000000010000000',
        highlight: [0x42],
        expected: '>= 0x10',
        actual: '0x0c',
      },
    ],
    durationMs: 11,
  };
  const noSelfGrant: ResultRecord = {
    id: 'suites/mechanisms/invariants.suite.ts#dom0-default no self grant#XEN-INV-03',
    requirement: 'XEN-INV-03',
    target: 'model:linux-6.2',
    suite: 'mechanisms',
    test: 'dom0-default: no grant to own domid',
    outcome: 'fail',
    message: 'frontend in dom0 granted to domid 0 (its own)',
    title: "No grant to the guest's own domid",
    level: 'MUST NOT',
    side: 'frontend',
    ref: 'xvc invariant (digest §7 INV-03, DERIVED from the 2023 dom0 hang)',
    evidence: [
      {
        kind: 'counterexample',
        scenario: { self: { domid: 0, initial: true }, devices: [{ id: 'net0', backendDomid: 0, note: htmlPayload }] },
        seed: 24301,
        path: '3:1:0',
        replay: "xvc replay --target model:linux-6.2 --requirement XEN-INV-03 --seed 24301 --path '3:1:0'",
      },
    ],
    durationMs: 412,
    mechanism: 'dom0-default',
    property: 'no-self-grant',
  };
  const trusted: ResultRecord = {
    id: 'suites/mechanisms/invariants.suite.ts#vendor-data trusted#XEN-INV-01',
    requirement: 'XEN-INV-01',
    target: 'reference',
    suite: 'mechanisms',
    test: 'vendor-data-capability: trusted source',
    outcome: 'xfail',
    message: 'domid follows backend-written vendor data',
    title: 'Backend domid from trusted sources only',
    level: 'MUST',
    side: 'frontend',
    ref: 'xvc invariant (digest §7 INV-01)',
    evidence: [
      {
        kind: 'counterexample',
        scenario: { devices: [{ id: 'blk0', vendorData: '09 00 ff 7f' }] },
        seed: 24301,
        path: '0:0',
        replay: "xvc replay --target reference --requirement XEN-INV-01 --seed 24301 --path '0:0'",
      },
    ],
    durationMs: 120,
    mechanism: 'vendor-data-capability',
    property: 'trusted-source',
    expectation: { target: 'reference', requirement: 'XEN-INV-01', reason: 'vendor data is backend-written by design', link: 'https://example.invalid/xvc/issues/12', source: 'xvc-expect.yaml:3:5' },
  };
  const adapterCrash: ResultRecord = {
    id: 'suites/frontend/decisions.suite.ts#valid domid#XEN-INV-06',
    requirement: 'XEN-INV-06',
    target: 'exec:./adapter',
    suite: 'frontend',
    test: 'backend domid below DOMID_FIRST_RESERVED',
    outcome: 'error',
    message: `adapter replied with malformed JSON: ${scriptPayload}`,
    title: 'Backend domid below DOMID_FIRST_RESERVED',
    level: 'MUST NOT',
    side: 'frontend',
    ref: 'xvc invariant (digest §7 INV-06)',
    evidence: [{ kind: 'harness', code: 'XVC_ADAPTER_MALFORMED', stderr: `panic: ${htmlPayload}\n${scriptPayload}` }],
    durationMs: 5000,
  };
  const passes: ResultRecord[] = ['reference', 'model:linux-6.2', 'qemu:virtio-net-pci'].map((target, index) => ({
    id: `suites/device/checks/pci-header.suite.ts#vendor id#PCI-DEV-02@${target}`,
    requirement: index === 2 ? 'PCI-DEV-12' : 'XEN-INV-06',
    target,
    suite: index === 2 ? 'device' : 'frontend',
    test: index === 2 ? 'common configuration capability present' : 'backend domid below DOMID_FIRST_RESERVED',
    outcome: 'pass' as const,
    message: '',
    level: 'MUST',
    side: index === 2 ? 'device' : 'frontend',
    ref: 'VS13 §4.1.4.3.1',
    evidence: [],
    durationMs: 1.5 + index,
    ...(index < 2 && { mechanism: 'dt-iommus', property: 'valid-domid' }),
  }));
  const skipped: ResultRecord = {
    id: 'suites/device/live.suite.ts#reset#PCI-DEV-16',
    requirement: 'PCI-DEV-16',
    target: 'dump:fixtures/hostile.txt',
    suite: 'device',
    test: 'writing 0 to device_status resets',
    outcome: 'inapplicable',
    message: 'a dump is read-only: live checks need a live target',
    level: 'MUST',
    side: 'device',
    ref: 'VS13 §4.1.4.3.1',
    evidence: [],
    durationMs: 0,
  };
  const shouldSkip: ResultRecord = {
    id: 'suites/device/checks/pci-header.suite.ts#revision#PCI-DEV-06',
    requirement: 'PCI-DEV-06',
    target: 'qemu:virtio-net-pci',
    suite: 'device',
    test: 'non-transitional revision id',
    outcome: 'skip',
    message: 'transitional device',
    level: 'SHOULD',
    side: 'device',
    ref: 'VS13 §4.1.2.1',
    evidence: [{ kind: 'text', text: `revision 0 ${htmlPayload}` }],
    durationMs: 0.4,
  };
  return [vendorIdFail, capLenFail, noSelfGrant, trusted, adapterCrash, ...passes, skipped, shouldSkip];
}

/** The whole sample run, with its matrix and a correct records hash. */
export function sampleResults(): RunResults {
  const records = sampleRecords();
  const noSelfGrant = records[2]?.evidence[0];
  return {
    format: resultsFormat,
    metadata: { ...sampleMetadata(), recordsSha256: recordsSha256(records) },
    records,
    runErrors: [],
    mechanismMatrix: {
      mechanisms: [
        { id: 'dt-iommus', title: 'Device tree iommus to a xen,grant-dma node', writer: 'toolstack', trusted: true },
        { id: 'vendor-data-capability', title: 'Vendor data capability', writer: 'backend', trusted: false },
        { id: 'dom0-default', title: 'dom0 default', writer: 'constant', trusted: true },
      ],
      properties: [
        { id: 'trusted-source', requirement: 'XEN-INV-01', title: 'Trusted source' },
        { id: 'no-self-grant', requirement: 'XEN-INV-03', title: 'No self grant' },
        { id: 'valid-domid', requirement: 'XEN-INV-06', title: 'Valid domid' },
      ],
      cells: [
        { mechanism: 'dt-iommus', property: 'valid-domid', outcome: 'pass', target: 'reference' },
        { mechanism: 'vendor-data-capability', property: 'trusted-source', outcome: 'xfail', target: 'reference' },
        {
          mechanism: 'dom0-default',
          property: 'no-self-grant',
          outcome: 'fail',
          target: 'model:linux-6.2',
          ...(noSelfGrant?.kind === 'counterexample' && { counterexample: noSelfGrant }),
        },
      ],
      static: [
        { mechanism: 'dt-iommus', facts: [{ name: 'virtio spec change', value: 'no' }, { name: 'architectures', value: 'arm' }] },
        { mechanism: 'vendor-data-capability', facts: [{ name: 'virtio spec change', value: 'no' }] },
      ],
    },
  };
}

/** The sample run, where the exec: adapter crashed once during a test that then passed (as incidentEvidence records it). */
export function sampleResultsWithRecoveredCrash(stderr: string): RunResults {
  const results = sampleResults();
  const records = results.records.map((record, index) =>
    index === results.records.findIndex((candidate) => candidate.outcome === 'pass')
      ? {
          ...record,
          target: 'exec:./adapter',
          evidence: [
            { kind: 'harness' as const, code: 'XVC4011', stderr },
            { kind: 'text' as const, text: "crash (exit code 134): adapter './adapter' exited with code 134; 1 of 1 retried request(s) answered by a fresh process; in flight: decide (seq 3); at 2026-11-24T08:00:01.000Z, pid 4242" },
          ],
        }
      : record,
  );
  return { ...results, records, metadata: { ...results.metadata, recordsSha256: recordsSha256(records) } };
}
