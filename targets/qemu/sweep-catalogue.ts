import { execFile } from 'node:child_process';
import { TargetError } from '../device-target.ts';
import { formatQemuDeviceSpec, type QemuPlacement } from './device-spec.ts';
import { resolveQemuBinary } from './qemu-binary.ts';

/** The variants every device is swept in. */
export type QemuSweepVariant = 'modern' | 'transitional' | 'pcie' | 'iommu-platform';

/** One entry of the `qemu:all` sweep: a device type in one variant, as a target spec. */
export interface QemuSweepTarget {
  /** `virtio-net-pci/modern`. */
  id: string;
  /** `qemu:virtio-net-pci,disable-legacy=on`, ready for `createQemuTarget`. */
  spec: string;
  /** Base device type. */
  device: string;
  variant: QemuSweepVariant;
}

/** A device type of `-device help` left out of the sweep, and why. */
export interface SkippedDevice {
  device: string;
  reason: string;
}

/** What `qemu:all` expands to for one QEMU binary. */
export interface QemuSweepCatalogue {
  binary: string;
  targets: QemuSweepTarget[];
  skipped: SkippedDevice[];
}

/**
 * Device types that cannot start without a host resource, with the resource. Everything else that
 * `-device help` lists as `virtio-*-pci` is swept, with the backend `device-spec.ts` supplies.
 */
const NEEDS_HOST_RESOURCE: Array<[RegExp, string]> = [
  [/-gl-pci$/, 'needs host OpenGL (virgl) rendering'],
  [/^virtio-input-host-pci$/, 'needs a host evdev input device'],
  [/^vhost-/, 'needs a vhost backend on the host'],
  [/^virtio-.*-(non-)?transitional$/, 'variant of a base type (swept as its variant)'],
];

/** Device types QEMU accepts only on the root bus, so they have no PCI Express (behind a root port) variant. */
const ROOT_BUS_ONLY: Record<string, string> = {
  'virtio-iommu-pci': 'QEMU plugs virtio-iommu-pci only on the root bus (no PCI Express variant behind a root port)',
};

const HELP_TIMEOUT_MS = 15_000;
const DEVICE_LINE = /^name "([^"]+)", bus PCI/;

/** Device names on `bus PCI` in `-device help` output. */
export function parsePciDeviceHelp(help: string): string[] {
  const names: string[] = [];
  for (const line of help.split('\n')) {
    const match = DEVICE_LINE.exec(line.trim());
    if (match) names.push(match[1]!);
  }
  return names;
}

/**
 * Builds the catalogue from `-device help` text: every `virtio-*-pci` type that needs no host resource,
 * in the modern variant (`disable-legacy=on`), the transitional variant (where QEMU has a
 * `-transitional` type), behind a PCI Express root port, and with `iommu_platform=on`.
 */
export function catalogueFromHelp(help: string, binary: string): QemuSweepCatalogue {
  const names = parsePciDeviceHelp(help);
  const available = new Set(names);
  const targets: QemuSweepTarget[] = [];
  const skipped: SkippedDevice[] = [];
  for (const device of names.filter((name) => /^virtio-.*-pci(-(non-)?transitional)?$/.test(name)).sort()) {
    const excluded = NEEDS_HOST_RESOURCE.find(([pattern]) => pattern.test(device));
    if (excluded) {
      skipped.push({ device, reason: excluded[1] });
      continue;
    }
    const add = (variant: QemuSweepVariant, name: string, props: string[], placement: QemuPlacement): void => {
      targets.push({ id: `${device}/${variant}`, spec: formatQemuDeviceSpec({ device: name, props, placement, runMode: 'paused' }), device, variant });
    };
    add('modern', device, ['disable-legacy=on'], 'root-bus');
    if (available.has(`${device}-transitional`)) add('transitional', `${device}-transitional`, [], 'root-bus');
    const rootBusOnly = ROOT_BUS_ONLY[device];
    if (rootBusOnly) skipped.push({ device: `${device}/pcie`, reason: rootBusOnly });
    else add('pcie', device, [], 'root-port');
    add('iommu-platform', device, ['disable-legacy=on', 'iommu_platform=on'], 'root-bus');
  }
  return { binary, targets, skipped };
}

/**
 * The `qemu:all` catalogue for the QEMU xvc would use (`qemuPath`, `XVC_QEMU`, or PATH): runs
 * `-device help` once. Use {@link probeQemuSweepTargets} to drop entries this build cannot start.
 */
export async function listQemuSweepTargets(options: { qemuPath?: string } = {}): Promise<QemuSweepCatalogue> {
  const binary = await resolveQemuBinary(options.qemuPath);
  const help = await new Promise<string>((resolve, reject) => {
    execFile(binary, ['-machine', 'none', '-device', 'help'], { timeout: HELP_TIMEOUT_MS, maxBuffer: 4 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new TargetError('targetUnavailable', `'${binary} -device help' failed: ${error.message}`, { stderr: String(stderr) }));
      else resolve(`${stdout}\n${stderr}`);
    });
  });
  return catalogueFromHelp(help, binary);
}

/**
 * Starts every entry once (in parallel, bounded) and splits the catalogue into the entries that start and
 * those that do not, with QEMU's first error line as the reason.
 */
export async function probeQemuSweepTargets(catalogue: QemuSweepCatalogue, options: { concurrency?: number } = {}): Promise<QemuSweepCatalogue> {
  const { runQemuSweep } = await import('./sweep-runner.ts');
  const outcomes = await runQemuSweep(catalogue.targets, async () => true, { qemuPath: catalogue.binary, ...options });
  const targets: QemuSweepTarget[] = [];
  const skipped = [...catalogue.skipped];
  for (const outcome of outcomes) {
    if (outcome.error === undefined) targets.push(outcome.entry);
    else {
      const why = outcome.error.details.stderr?.split('\n').find((line) => line.includes('qemu-system')) ?? outcome.error.message;
      skipped.push({ device: outcome.entry.id, reason: `does not start: ${why.trim()}` });
    }
  }
  return { binary: catalogue.binary, targets, skipped };
}
