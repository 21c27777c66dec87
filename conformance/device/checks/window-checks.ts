/**
 * Live checks of the PCI configuration access capability (VS13 §4.1.4.9.1): reads and writes of
 * pci_cfg_data reach BAR `cap.bar` at `cap.offset`. Every structure is reached through the window
 * with its own capability's bar, so a device that routes window accesses by offset alone (as if all
 * structures shared one BAR) is caught as soon as two structures live in different BARs.
 */
import { VirtioFeatures } from '../../../generated/ts/virtio/virtio-core.ts';
import { VIRTIO_PCI_CFG_CAP_OFFSETS } from '../../../generated/ts/virtio/virtio-pci-cfg-cap.ts';
import { VirtioPciCfgType, virtioPciCfgTypeNames } from '../../../generated/ts/virtio/virtio-pci-cap.ts';
import { VIRTIO_PCI_COMMON_CFG_OFFSETS, virtioPciCommonCfgLayout } from '../../../generated/ts/virtio/virtio-pci-common-cfg.ts';
import type { Evidence } from '../../../generated/ts/schema/results.ts';
import type { AccessWidth } from '../../../targets/device-target.ts';
import type { FunctionView, VirtioCapabilityAt } from './function-view.ts';
import { preferredCapabilities, type CommonConfig, type LiveAccess } from './live-access.ts';
import { bytesEvidence, fail, hexNumber, inapplicable, pass, withCondition, type CheckFinding } from './verdict.ts';

/** Bytes of each structure compared through the window. */
const WINDOW_COMPARE_BYTES = 16;
/** Value left in the feature select registers while the window is read, so misrouted reads of another BAR show it. */
const SELECT_SEED = 1;
/** Narrowest notification a notify structure accepts (VS13 §4.1.4.4). */
const NOTIFY_WIDTH: AccessWidth = 2;
const locating = new Set<number>([VirtioPciCfgType.COMMON_CFG, VirtioPciCfgType.NOTIFY_CFG, VirtioPciCfgType.ISR_CFG, VirtioPciCfgType.DEVICE_CFG]);

function structureName(capability: VirtioCapabilityAt): string {
  const name = virtioPciCfgTypeNames[String(capability.virtio.cfgType)] ?? `cfg_type ${capability.virtio.cfgType}`;
  return `${name} at config ${hexNumber(capability.offset)} (BAR${capability.virtio.bar})`;
}

/**
 * Every structure a driver may reach through the window: each capability that locates one in a BAR
 * and, with known BAR sizes, lies inside it (one that does not is PCI-DEV-01's to report; a driver
 * may not address bytes outside the BAR ranges, PCI-DRV-24).
 */
export function windowTargets(view: FunctionView, barSizes?: readonly number[]): VirtioCapabilityAt[] {
  return view.virtioCapabilities.filter((capability) => {
    if (capability.virtio.reserved || !locating.has(capability.virtio.cfgType) || Number(capability.virtio.length) === 0) return false;
    const size = barSizes?.[capability.virtio.bar];
    return size === undefined || BigInt(capability.virtio.offset) + BigInt(capability.virtio.length) <= BigInt(size);
  });
}

/** Programs the PCI_CFG window (bar, length, offset) through config writes. */
async function programWindow(access: LiveAccess, window: VirtioCapabilityAt, bar: number, length: AccessWidth, offset: number): Promise<void> {
  await access.writeConfig(window.offset + VIRTIO_PCI_CFG_CAP_OFFSETS.bar, 1, bar);
  await access.writeConfig(window.offset + VIRTIO_PCI_CFG_CAP_OFFSETS.length, 4, length);
  await access.writeConfig(window.offset + VIRTIO_PCI_CFG_CAP_OFFSETS.offset, 4, offset);
}

async function windowEvidence(access: LiveAccess, view: FunctionView, window: VirtioCapabilityAt, expected: string, actual: string): Promise<Evidence> {
  const bytes = new Uint8Array(view.config.length);
  for (let i = 0; i < window.capLen && window.offset + i < bytes.length; i++) bytes[window.offset + i] = await access.readConfig(window.offset + i, 1);
  const data = window.offset + VIRTIO_PCI_CFG_CAP_OFFSETS.pciCfgData;
  return bytesEvidence(access.id, 'config', bytes, window.offset, window.capLen, [window.offset + VIRTIO_PCI_CFG_CAP_OFFSETS.bar, data, data + 1, data + 2, data + 3], expected, actual);
}

/**
 * PCI-DEV-43: reads through the window (cap.bar, cap.length 1/2/4, cap.offset) return what direct
 * BAR reads return, for the first bytes of every structure, each through its own capability's bar.
 * The feature select registers hold a non-zero value meanwhile, so a read the device routes to the
 * common configuration instead of the BAR named shows a difference.
 */
export async function checkWindowReads(view: FunctionView, common: CommonConfig, barSizes?: readonly number[]): Promise<CheckFinding> {
  const window = preferredCapabilities(view).get(VirtioPciCfgType.PCI_CFG);
  if (window === undefined) return inapplicable('no usable PCI_CFG capability (see PCI-DEV-41)');
  const targets = windowTargets(view, barSizes);
  if (targets.length === 0) return inapplicable('no structure to read through the window');
  if (!(await common.reset())) return inapplicable('the device did not reset (see PCI-DEV-16)');
  const access = common.access;
  await common.write('deviceFeatureSelect', SELECT_SEED);
  await common.write('driverFeatureSelect', SELECT_SEED);
  const data = window.offset + VIRTIO_PCI_CFG_CAP_OFFSETS.pciCfgData;
  try {
    for (const target of targets) {
      const bar = target.virtio.bar;
      const base = Number(target.virtio.offset);
      const bytes = Math.min(WINDOW_COMPARE_BYTES, Number(target.virtio.length));
      for (const width of [4, 2, 1] as const) {
        // A driver's window offset is a multiple of its length (PCI-DRV-23): misaligned bytes are read narrower.
        for (let at = base + ((width - (base % width)) % width); at + width <= base + bytes; at += width) {
          const rel = at - base;
          const direct = await access.readBar(bar, base + rel, width);
          await programWindow(access, window, bar, width, base + rel);
          const barBack = await access.readConfig(window.offset + VIRTIO_PCI_CFG_CAP_OFFSETS.bar, 1);
          if (barBack !== bar) {
            return fail({ code: 'window-bar-readback', capability: window.offset, written: bar, readBack: barBack }, await windowEvidence(access, view, window, String(bar), String(barBack)));
          }
          const through = await access.readConfig(data, width);
          if (through !== direct) {
            return withCondition(
              fail(
                { code: 'window-read-mismatch', bar, width, offset: base + rel, dataAt: data, through, direct, structure: structureName(target) },
                await windowEvidence(access, view, window, hexNumber(direct), hexNumber(through)),
              ),
              `the window was programmed with the bar of the structure's own capability (${bar}); VS13 §4.1.4.9.1 has the device read cap.length bytes "at BAR selected by cap.bar"`,
            );
          }
        }
      }
    }
  } finally {
    await common.reset();
  }
  const bars = new Set(targets.map((target) => target.virtio.bar));
  return pass(`${targets.length} structure(s) in BAR${[...bars].join(', BAR')} read through the window`);
}

/** The common-configuration field at byte `offset` of the structure. */
function commonFieldAt(offset: number): string {
  const field = virtioPciCommonCfgLayout.fields.find((candidate) => offset >= candidate.offset && offset < candidate.offset + Math.ceil((candidate.bit + candidate.bits) / 8));
  return field === undefined ? `common configuration byte ${offset}` : field.specName;
}

/**
 * PCI-DEV-42: writes through the window reach BAR `cap.bar`: device_feature_select (4 bytes) and
 * queue_select (2 bytes) written through it read back directly. When a notification structure
 * lives in another BAR than the common configuration, a notification naming no queue (the index
 * num_queues, which the device has no queue for) is written through the window with that
 * structure's bar, and the common configuration must not change: a device that ignores cap.bar
 * lands the write there.
 */
export async function checkWindowWrites(view: FunctionView, common: CommonConfig, barSizes?: readonly number[]): Promise<CheckFinding> {
  const window = preferredCapabilities(view).get(VirtioPciCfgType.PCI_CFG);
  if (window === undefined) return inapplicable('no usable PCI_CFG capability (see PCI-DEV-41)');
  if (!(await common.reset())) return inapplicable('the device did not reset (see PCI-DEV-16)');
  const access = common.access;
  const data = window.offset + VIRTIO_PCI_CFG_CAP_OFFSETS.pciCfgData;
  const writes: { field: 'deviceFeatureSelect' | 'queueSelect'; width: AccessWidth; value: number }[] = [
    { field: 'deviceFeatureSelect', width: 4, value: 1 },
    { field: 'queueSelect', width: 2, value: 1 },
  ];
  for (const write of writes) {
    // A driver's window offset is a multiple of its length (PCI-DRV-23); a misaligned field is not written through it.
    if (common.at(write.field) % write.width !== 0) continue;
    await common.write(write.field, 0);
    await programWindow(access, window, common.bar, write.width, common.at(write.field));
    await access.writeConfig(data, write.width, write.value);
    const direct = await common.read(write.field);
    await common.write(write.field, 0);
    if (direct !== write.value) {
      return fail(
        { code: 'window-write-lost', bar: common.bar, width: write.width, offset: common.at(write.field), field: commonFieldName(write.field), value: write.value, readBack: direct },
        await windowEvidence(access, view, window, String(write.value), String(direct)),
        await common.evidence([write.field], String(write.value), String(direct)),
      );
    }
  }
  const elsewhere = windowTargets(view, barSizes).filter((target) => target.virtio.cfgType === VirtioPciCfgType.NOTIFY_CFG && target.virtio.bar !== common.bar && Number(target.virtio.length) >= NOTIFY_WIDTH);
  if (elsewhere.length === 0) return pass('every notification structure shares the common configuration BAR: only common configuration writes were made');
  const queues = await common.read('numQueues');
  const value = Math.max(queues, 1);
  const offered = await common.offeredFeatures();
  for (const target of elsewhere) {
    const before = await common.bytes();
    await programWindow(access, window, target.virtio.bar, NOTIFY_WIDTH, Number(target.virtio.offset));
    await access.writeConfig(data, NOTIFY_WIDTH, value);
    const after = await common.bytes();
    const changed = before.findIndex((byte, i) => after[i] !== byte);
    if (changed >= 0) {
      await common.reset();
      return {
        ...fail(
          { code: 'window-write-misrouted', bar: target.virtio.bar, width: NOTIFY_WIDTH, offset: Number(target.virtio.offset), structure: structureName(target), value, landed: commonFieldAt(changed), before: before[changed]!, after: after[changed]! },
          await windowEvidence(access, view, window, `BAR${target.virtio.bar}`, `the common configuration in BAR${common.bar}`),
          await common.evidence([], hexNumber(before[changed]!), hexNumber(after[changed]!)),
        ),
        condition: `a notification naming queue ${value}, past num_queues ${queues}${(offered & VirtioFeatures.NOTIFICATION_DATA) !== 0n ? ' (NOTIFICATION_DATA offered but not negotiated)' : ''}, written through the window to BAR${target.virtio.bar}; VS13 §4.1.4.9.1 has the device write "at offset cap.offset at BAR selected by cap.bar"`,
      };
    }
  }
  await common.reset();
  return pass();
}

function commonFieldName(field: keyof typeof VIRTIO_PCI_COMMON_CFG_OFFSETS): string {
  return virtioPciCommonCfgLayout.fields.find((candidate) => candidate.name === field)?.specName ?? field;
}
