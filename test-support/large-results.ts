/**
 * Results the size of a `qemu:all` run, synthesised: one record per device check row and requirement
 * on each of 51 QEMU device variants (as the sweep starts them), mostly passes and inapplicable
 * checks, with a few failures carrying bytes, a warning and expected failures per target, plus one
 * frontend target with its own mechanism matrix. For the report page's layout tests and benchmarks,
 * where the size of a real sweep matters and starting 51 QEMUs does not.
 */
import { liveRows, rowName, staticRows } from '../conformance/device/index.ts';
import { requirementById } from '../generated/ts/requirements.ts';
import { recordsSha256 } from '../results/records-hash.ts';
import { buildMechanismMatrix } from '../results/mechanism-matrix.ts';
import type { Outcome, ResultRecord, RunResults } from '../results/result-model.ts';
import { withReplayCommands } from '../results/replay-command.ts';
import { sampleMetadata, sampleRecords } from './sample-results.ts';

/** Device variants of a `qemu:all` sweep (51, as QEMU 7.2 starts them). */
export const sweepTargets: readonly string[] = Array.from({ length: 51 }, (_, index) => {
  const devices = ['virtio-net-pci', 'virtio-blk-pci', 'virtio-scsi-pci', 'virtio-rng-pci', 'virtio-balloon-pci', 'virtio-serial-pci', 'virtio-gpu-pci', 'virtio-input-host-pci', 'virtio-9p-pci', 'virtio-crypto-pci', 'virtio-iommu-pci', 'virtio-mem-pci', 'vhost-vsock-pci'];
  const variants = ['disable-legacy=on', 'disable-legacy=off', 'disable-legacy=on@pcie', 'iommu_platform=on,disable-legacy=on'];
  return `qemu:${devices[index % devices.length]},${variants[Math.floor(index / devices.length) % variants.length]}`;
});

/** The outcome of check `row` on target `target`: mostly pass, some inapplicable, a rare fail or warning. */
function outcomeOf(targetIndex: number, rowIndex: number): Outcome {
  const spread = (targetIndex * 31 + rowIndex * 17) % 97;
  if (spread === 3 && targetIndex % 5 === 0) return 'fail';
  if (spread === 11 && targetIndex % 7 === 0) return 'warning';
  if (spread === 5) return 'xfail';
  if (spread < 28) return 'inapplicable';
  return 'pass';
}

/** Results shaped like a `qemu:all` run (about 3,500 records). */
export function qemuAllSizedResults(): RunResults {
  const rows = [...staticRows, ...liveRows];
  const records: ResultRecord[] = [];
  sweepTargets.forEach((target, targetIndex) => {
    rows.forEach((row, rowIndex) => {
      for (const requirement of row.ids) {
        const entry = requirementById.get(requirement);
        const drawn = outcomeOf(targetIndex, rowIndex);
        // A SHOULD statement not met is a warning, never a failure.
        const outcome = drawn === 'fail' && entry !== undefined && entry.level.startsWith('SHOULD') ? 'warning' : drawn;
        const name = rowName(row, { exhaustiveQueues: false });
        const test = `device ${target} > 00:02.0 > ${name}`;
        records.push({
          id: `device:${test}#${requirement}`,
          requirement,
          target,
          suite: 'device',
          test,
          outcome,
          message: outcome === 'pass' ? '' : outcome === 'inapplicable' ? 'the function has no such structure' : `00:02.0: ${name} does not hold at 0x40`,
          ...(entry !== undefined && { title: entry.title, level: entry.level, side: entry.side, ref: entry.ref, statement: entry.text }),
          ...(outcome === 'fail' || outcome === 'warning' || outcome === 'xfail' ? { condition: `${name}, on function 00:02.0` } : {}),
          evidence:
            outcome === 'fail' || outcome === 'warning' || outcome === 'xfail'
              ? [{ kind: 'bytes', functionId: '00:02.0', offset: 0x40, length: 16, space: 'config', bytes: '09 50 10 01 03 00 00 00 00 00 00 00 00 10 00 00', highlight: [0x44], expected: '0x1', actual: '0x3' }]
              : [],
          durationMs: 0.4,
          ...(outcome === 'xfail' && { expectation: { target, requirement, reason: 'known in this QEMU version', link: 'https://gitlab.com/qemu-project/qemu/-/issues/1' } }),
        });
      }
    });
  });
  // A frontend target with counterexamples and its own mechanism matrix, as a default run has.
  for (const record of sampleRecords()) if (record.suite !== 'device') records.push(record);
  const withReplays = withReplayCommands(records, 'xvc-report');
  const metadata = sampleMetadata();
  const matrix = buildMechanismMatrix(withReplays);
  return {
    format: 'xvc-results/1',
    metadata: {
      ...metadata,
      targets: [...metadata.targets, ...sweepTargets.map((spec) => ({ spec, kind: 'qemu' as const, role: 'device' as const, implementation: 'QEMU', version: '7.2.22' }))],
      commandLine: ['xvc', 'run', '--target', 'qemu:all'],
      recordsSha256: recordsSha256(withReplays),
    },
    records: withReplays,
    runErrors: [],
    ...(matrix !== undefined && { mechanismMatrix: matrix }),
  };
}
