/**
 * Static checks of the capability list and of every virtio structure capability (VS13 §4.1.4 ff.):
 * a well-formed list, cap_len, alignment, presence of each required structure, notification rules,
 * shared memory ids, vendor data, the MSI-X table size and the legacy I/O BAR0.
 */
import { PCI_BASE_ADDRESS_SPACE_IO } from '../../../generated/ts/pci/pci-bar-mem32.ts';
import { PciCapId } from '../../../generated/ts/pci/pci-cap-header.ts';
import { PCI_CAPABILITY_LIST } from '../../../generated/ts/pci/pci-constants.ts';
import { decodePciMsixCap, PCI_MSIX_CAP_OFFSETS, PCI_MSIX_CAP_SIZE, PCI_MSIX_TABLE_SIZE_MAX } from '../../../generated/ts/pci/pci-msix-cap.ts';
import { PCI_TYPE0_HEADER_OFFSETS, PciStatus } from '../../../generated/ts/pci/pci-type0-header.ts';
import { layoutCodecs } from '../../../generated/ts/registry.ts';
import { VIRTIO_PCI_CAP_OFFSETS, VirtioPciCfgType, virtioPciCfgTypeNames } from '../../../generated/ts/virtio/virtio-pci-cap.ts';
import { VIRTIO_PCI_NOTIFY_CAP_OFFSETS } from '../../../generated/ts/virtio/virtio-pci-notify-cap.ts';
import { VIRTIO_PCI_BAR_MAX, VIRTIO_PCI_VENDOR_ID } from '../../../generated/ts/virtio/virtio-pci-constants.ts';
import { virtioPciVndrDataLayout, VIRTIO_PCI_VNDR_DATA_OFFSETS } from '../../../generated/ts/virtio/virtio-pci-vndr-data.ts';
import { VirtioFeatures } from '../../../generated/ts/virtio/virtio-core.ts';
import { VIRTIO_PCI_COMMON_CFG_OFFSETS, virtioPciCommonCfgLayout } from '../../../generated/ts/virtio/virtio-pci-common-cfg.ts';
import type { WalkIssue } from '../../../reference-impl/pci/index.ts';
import { commonConfigLength, compareVersions } from '../../../reference-impl/virtio/index.ts';
import { capabilitiesOfType, capabilityListAbsent, isTransitional, notVirtioReason, type FunctionView, type VirtioCapabilityAt } from './function-view.ts';
import { EVIDENCE_ROW_BYTES, bytesEvidence, combine, fail, hexNumber, inapplicable, pass, type CheckFinding } from './verdict.ts';

/** Walk issues that mean the list itself is malformed (not merely cut short by the data, nor a reserved value). */
const malformedListIssues: ReadonlySet<WalkIssue['code']> = new Set([
  'pointer-below-header',
  'pointer-unaligned',
  'loop',
  'ttl-exceeded',
  'id-ff',
  'cap-past-end',
  'ext-pointer-below-0x100',
  'ext-pointer-unaligned',
  'ext-loop',
]);

/** The first spec version of the common configuration structure: the fields every device has. */
const OLDEST_COMMON_CONFIG_VERSION: string = virtioPciCommonCfgLayout.fields
  .flatMap((field) => (field.since === undefined ? [] : [field.since]))
  .reduce((oldest, since) => (compareVersions(since, oldest) < 0 ? since : oldest));

function typeName(cfgType: number): string {
  return virtioPciCfgTypeNames[String(cfgType)] ?? `cfg_type ${cfgType}`;
}

/** Inapplicable when the function is not judged as virtio. */
function guard(view: FunctionView): CheckFinding | undefined {
  const notVirtio = notVirtioReason(view);
  return notVirtio === undefined ? undefined : inapplicable(notVirtio);
}

/**
 * Inapplicable when no virtio capability can be judged for a reason another row reports once: the
 * function is not virtio, the Capabilities List bit is clear (PCI-DEV-12 reports it), or its vendor
 * ID is not the virtio one (PCI-DEV-02 reports it; a driver reads no virtio structures then).
 */
function capabilityGuard(view: FunctionView): CheckFinding | undefined {
  const skip = guard(view);
  if (skip) return skip;
  if (capabilityListAbsent(view)) return inapplicable('the Capabilities List bit of the status register is clear, so the function has no capabilities: reported once, under PCI-DEV-12');
  if (view.header.vendorId !== VIRTIO_PCI_VENDOR_ID) {
    return inapplicable(`vendor ID ${hexNumber(view.header.vendorId)} is not the virtio vendor ID (reported under PCI-DEV-02): a driver reads no virtio structure capabilities from it`);
  }
  return undefined;
}

/** Size of the structure a capability's cfg_type selects (the generated union variant's layout). */
export function structureSize(capability: VirtioCapabilityAt): number {
  return layoutCodecs[capability.virtio.decoded.variant]?.meta.size ?? 0;
}

/** Bytes of the whole capability (at least its structure), with `field` (relative offset, width) highlighted. */
export function capabilityEvidence(view: FunctionView, capability: VirtioCapabilityAt, field: number, width: number, expected?: string, actual?: string) {
  const length = Math.max(capability.capLen, structureSize(capability));
  const highlight = Array.from({ length: width }, (_, i) => capability.offset + field + i);
  return bytesEvidence(view.functionId, 'config', view.config, capability.offset, length, highlight, expected, actual);
}

/** True when the bytes of a field of the capability are inside the data. */
function fieldPresent(view: FunctionView, capability: VirtioCapabilityAt, field: number, width: number): boolean {
  return capability.offset + field + width <= view.config.length;
}

/** PCI-DEV-01 (list part): the capability lists are well formed and bounded. */
export function checkCapabilityList(view: FunctionView): CheckFinding {
  const skip = guard(view);
  if (skip) return skip;
  const bad = view.walk.issues.filter((issue) => malformedListIssues.has(issue.code));
  if (bad.length > 0) {
    return fail(
      { code: 'capability-list-malformed', issues: bad.map((issue) => ({ code: issue.code, offset: issue.offset, message: issue.message })) },
      ...bad.map((issue) => {
        const start = issue.offset - (issue.offset % EVIDENCE_ROW_BYTES);
        return bytesEvidence(view.functionId, 'config', view.config, start, EVIDENCE_ROW_BYTES, [issue.offset], 'a well-formed capability list', issue.code);
      }),
    );
  }
  const cut = view.walk.issues.find((issue) => issue.code === 'truncated');
  if (cut !== undefined && view.walk.capabilities.length === 0) return inapplicable(`the data ends before the first capability: ${cut.message}`);
  if (cut !== undefined) return pass(`checked up to the end of the data: ${cut.message}`);
  return pass();
}

/** Why no capability of `cfgType` was judged: none exists, or none is within truncated data. */
function noneFound(view: FunctionView, cfgType: number): string {
  return `no ${typeName(cfgType)} capability${view.truncated ? ' in the truncated data' : ''}`;
}

/** PCI-DEV-09: cap_len of every virtio capability covers the structure its cfg_type defines. */
export function checkCapLen(view: FunctionView): CheckFinding {
  const skip = capabilityGuard(view);
  if (skip) return skip;
  const verdicts = view.virtioCapabilities
    .filter((capability) => String(capability.virtio.cfgType) in virtioPciCfgTypeNames)
    .map((capability) => {
      const minimum = structureSize(capability);
      if (capability.capLen >= minimum) return pass();
      return fail(
        { code: 'cap-len-short', capability: capability.offset, structure: typeName(capability.virtio.cfgType), capLen: capability.capLen, minimum },
        capabilityEvidence(view, capability, VIRTIO_PCI_CAP_OFFSETS.capLen, 1, `>= ${minimum}`, String(capability.capLen)),
      );
    });
  return combine(verdicts, 'no virtio capabilities');
}

/**
 * PCI-DEV-12/23/28/41: at least one capability of `cfgType` that a driver would use. A structure
 * capability naming a reserved BAR does not count: every driver ignores it (PCI-DRV-10). The
 * PCI_CFG capability's bar is the driver's to write, so its initial value does not matter. When the
 * Capabilities List bit is clear, the COMMON_CFG row reports that once and the others are
 * inapplicable.
 */
export function checkPresence(view: FunctionView, cfgType: number): CheckFinding {
  const skip = guard(view);
  if (skip) return skip;
  if (capabilityListAbsent(view)) {
    if (cfgType !== VirtioPciCfgType.COMMON_CFG) return capabilityGuard(view)!;
    const at = PCI_TYPE0_HEADER_OFFSETS.status;
    return fail(
      { code: 'capability-list-absent', statusAt: at, status: view.header.status },
      bytesEvidence(view.functionId, 'config', view.config, at, 2, [at], `Capabilities List bit (${hexNumber(PciStatus.CAP_LIST)}) set`, hexNumber(view.header.status)),
    );
  }
  const vendor = capabilityGuard(view);
  if (vendor) return vendor;
  const candidates = capabilitiesOfType(view, cfgType);
  const usable = candidates.filter((capability) => cfgType === VirtioPciCfgType.PCI_CFG || capability.virtio.bar <= VIRTIO_PCI_BAR_MAX);
  if (usable.length > 0) return pass();
  const cut = view.walk.issues.find((issue) => issue.code === 'truncated');
  if (cut !== undefined && view.truncated) return inapplicable(`the dump is truncated before the list ends (${cut.message}); a ${typeName(cfgType)} capability may lie beyond it`);
  const found = view.virtioCapabilities.map((capability) => `${typeName(capability.virtio.cfgType)} at ${hexNumber(capability.offset)}`);
  const ignored = candidates.map((capability) => `the one at ${hexNumber(capability.offset)} (reserved BAR ${capability.virtio.bar})`);
  return fail(
    { code: 'capability-missing', structure: typeName(cfgType), found, ignored },
    listEvidence(view, `a ${typeName(cfgType)} capability`, found.join(', ') || 'none'),
  );
}

/** The capability region (0x34 pointer through the last capability), the cfg_type byte of each virtio capability highlighted. */
function listEvidence(view: FunctionView, expected: string, actual: string) {
  const ends = view.virtioCapabilities.map((capability) => capability.offset + Math.max(capability.capLen, structureSize(capability)));
  const end = Math.max(PCI_CAPABILITY_LIST + 1, ...ends, ...view.walk.capabilities.map((capability) => capability.offset + 2));
  const highlight = [PCI_CAPABILITY_LIST, ...view.virtioCapabilities.map((capability) => capability.offset + VIRTIO_PCI_CAP_OFFSETS.cfgType)];
  return bytesEvidence(view.functionId, 'config', view.config, PCI_CAPABILITY_LIST, end - PCI_CAPABILITY_LIST, highlight, expected, actual);
}

/** Common-configuration fields that exist only when a feature is negotiated, by that feature (VS13 §4.1.4.3). */
const featureFields: readonly { feature: keyof typeof VirtioFeatures; field: keyof typeof VIRTIO_PCI_COMMON_CFG_OFFSETS }[] = [
  { feature: 'NOTIF_CONFIG_DATA', field: 'queueNotifConfigData' },
  { feature: 'RING_RESET', field: 'queueReset' },
  { feature: 'ADMIN_VQ', field: 'adminQueueNum' },
];

/** End of a common-configuration field, from the generated layout. */
function commonFieldEnd(field: keyof typeof VIRTIO_PCI_COMMON_CFG_OFFSETS): number {
  const meta = virtioPciCommonCfgLayout.fields.find((candidate) => candidate.name === field)!;
  return meta.offset + Math.ceil((meta.bit + meta.bits) / 8);
}

/**
 * PCI-DEV-54: the `length` of every usable COMMON_CFG capability covers the common configuration:
 * every field of the 1.0 layout, and, when the offered features are known (live targets), every
 * field a feature the device offers brings (queue_notif_config_data, queue_reset, the admin queue
 * fields).
 */
export function checkCommonLength(view: FunctionView, offered?: bigint): CheckFinding {
  const skip = capabilityGuard(view);
  if (skip) return skip;
  const base = commonConfigLength(OLDEST_COMMON_CONFIG_VERSION);
  const needed = [{ end: base, why: `the fields of the ${OLDEST_COMMON_CONFIG_VERSION} layout` }];
  for (const { feature, field } of featureFields) {
    if (offered !== undefined && (offered & VirtioFeatures[feature]) !== 0n) needed.push({ end: commonFieldEnd(field), why: `through ${field}, which VIRTIO_F_${feature} (offered) brings` });
  }
  const minimum = needed.reduce((widest, need) => (need.end > widest.end ? need : widest));
  const field = VIRTIO_PCI_CAP_OFFSETS.length;
  const caps = capabilitiesOfType(view, VirtioPciCfgType.COMMON_CFG).filter((capability) => capability.virtio.bar <= VIRTIO_PCI_BAR_MAX);
  const findings = caps.map((capability) => {
    if (!fieldPresent(view, capability, field, 4)) return inapplicable(`the data ends before the length field of the capability at ${hexNumber(capability.offset)}`);
    const length = Number(capability.virtio.length);
    if (length >= minimum.end) return pass();
    return fail(
      { code: 'common-length-short', capability: capability.offset, length, minimum: minimum.end, covers: minimum.why },
      capabilityEvidence(view, capability, field, 4, `>= ${minimum.end}`, String(length)),
    );
  });
  return combine(findings, noneFound(view, VirtioPciCfgType.COMMON_CFG));
}

/** PCI-DEV-11 (common, 4), PCI-DEV-33 (device, 4), PCI-DEV-24 (notify, 2 or 4): `offset` alignment of every capability of `cfgType`. */
export function checkOffsetAlignment(view: FunctionView, cfgType: number, alignment: number): CheckFinding {
  const skip = capabilityGuard(view);
  if (skip) return skip;
  const verdicts = capabilitiesOfType(view, cfgType).map((capability) => {
    const field = VIRTIO_PCI_CAP_OFFSETS.offset;
    if (!fieldPresent(view, capability, field, 4)) return inapplicable(`the data ends before the offset field of the capability at ${hexNumber(capability.offset)}`);
    const offset = Number(BigInt(capability.virtio.offset) & 0xffff_ffffn);
    if (offset % alignment === 0) return pass();
    return fail(
      { code: 'offset-unaligned', capability: capability.offset, structure: typeName(cfgType), offset, alignment },
      capabilityEvidence(view, capability, field, 4, `a multiple of ${alignment}`, hexNumber(offset)),
    );
  });
  return combine(verdicts, noneFound(view, cfgType));
}

/**
 * PCI-DEV-25: notify_off_multiplier is 0 or a power of two; with NOTIFICATION_DATA offered, also a
 * multiple of 4. Both readings of "even power of 2" are accepted (digest §1.6).
 */
export function checkNotifyMultiplier(view: FunctionView, cfgType: number, notificationData = false): CheckFinding {
  const skip = capabilityGuard(view);
  if (skip) return skip;
  const field = VIRTIO_PCI_NOTIFY_CAP_OFFSETS.notifyOffMultiplier;
  const verdicts = capabilitiesOfType(view, cfgType).map((capability) => {
    if (!fieldPresent(view, capability, field, 4)) return inapplicable(`the data ends before notify_off_multiplier of the capability at ${hexNumber(capability.offset)}`);
    if (capability.capLen < field + 4) return inapplicable(`cap_len ${capability.capLen} of the capability at ${hexNumber(capability.offset)} leaves out notify_off_multiplier (see PCI-DEV-09)`);
    const multiplier = capability.virtio.notifyOffMultiplier ?? 0;
    const powerOfTwo = multiplier !== 0 && (multiplier & (multiplier - 1)) === 0;
    const ok = multiplier === 0 || (powerOfTwo && (!notificationData || multiplier % 4 === 0));
    if (ok) return pass();
    const rule = notificationData ? '0 or a power of two that is a multiple of 4 (NOTIFICATION_DATA offered)' : '0 or a power of two';
    return fail(
      { code: 'notify-multiplier', capability: capability.offset, multiplier, notificationData },
      capabilityEvidence(view, capability, field, 4, rule, String(multiplier)),
    );
  });
  return combine(verdicts, noneFound(view, cfgType));
}

/** PCI-DEV-26: the notification structure's length is at least 2 (4 with NOTIFICATION_DATA). */
export function checkNotifyLength(view: FunctionView, cfgType: number, notificationData = false): CheckFinding {
  const skip = capabilityGuard(view);
  if (skip) return skip;
  const minimum = notificationData ? 4 : 2;
  const field = VIRTIO_PCI_CAP_OFFSETS.length;
  const verdicts = capabilitiesOfType(view, cfgType).map((capability) => {
    if (!fieldPresent(view, capability, field, 4)) return inapplicable(`the data ends before the length field of the capability at ${hexNumber(capability.offset)}`);
    const length = Number(capability.virtio.length);
    if (length >= minimum) return pass();
    return fail(
      { code: 'notify-length-short', capability: capability.offset, length, minimum },
      capabilityEvidence(view, capability, field, 4, `>= ${minimum}`, String(length)),
    );
  });
  return combine(verdicts, noneFound(view, cfgType));
}

/** PCI-DEV-35: no two shared memory capabilities carry the same id. */
export function checkSharedMemoryIds(view: FunctionView, cfgType: number): CheckFinding {
  const skip = capabilityGuard(view);
  if (skip) return skip;
  const regions = capabilitiesOfType(view, cfgType);
  if (regions.length === 0) return inapplicable('the device has no shared memory capability');
  const seen = new Map<number, VirtioCapabilityAt>();
  const verdicts = regions.map((capability) => {
    const first = seen.get(capability.virtio.id);
    if (first === undefined) {
      seen.set(capability.virtio.id, capability);
      return pass();
    }
    const field = VIRTIO_PCI_CAP_OFFSETS.id;
    return fail(
      { code: 'shared-memory-id-duplicate', first: first.offset, second: capability.offset, id: capability.virtio.id },
      capabilityEvidence(view, first, field, 1, 'an id no other region uses', String(first.virtio.id)),
      capabilityEvidence(view, capability, field, 1, 'an id no other region uses', String(capability.virtio.id)),
    );
  });
  return combine(verdicts, 'no shared memory capability');
}

/** PCI-DEV-38: vendor_id of a vendor data capability is never 0x1AF4. */
export function checkVendorDataVendorId(view: FunctionView, cfgType: number): CheckFinding {
  const skip = capabilityGuard(view);
  if (skip) return skip;
  const field = VIRTIO_PCI_VNDR_DATA_OFFSETS.vendorId;
  const caps = capabilitiesOfType(view, cfgType);
  if (caps.length === 0) return inapplicable('the device has no vendor data capability');
  return combine(
    caps.map((capability) => {
      if (!fieldPresent(view, capability, field, 2)) return inapplicable(`the data ends before vendor_id of the capability at ${hexNumber(capability.offset)}`);
      if (capability.virtio.vendorId !== VIRTIO_PCI_VENDOR_ID) return pass();
      return fail(
        { code: 'vendor-data-vendor-id', capability: capability.offset, vendorId: VIRTIO_PCI_VENDOR_ID },
        capabilityEvidence(view, capability, field, 2, `not ${hexNumber(VIRTIO_PCI_VENDOR_ID)}`, hexNumber(VIRTIO_PCI_VENDOR_ID)),
      );
    }),
    'no vendor data capability',
  );
}

/** PCI-DEV-39: the size (cap_len) of a vendor data capability is a multiple of 4. */
export function checkVendorDataSize(view: FunctionView, cfgType: number): CheckFinding {
  const skip = capabilityGuard(view);
  if (skip) return skip;
  const multiple = virtioPciVndrDataLayout.sizeMultipleOf ?? 1;
  const caps = capabilitiesOfType(view, cfgType);
  if (caps.length === 0) return inapplicable('the device has no vendor data capability');
  return combine(
    caps.map((capability) => {
      if (capability.capLen % multiple === 0) return pass();
      return fail(
        { code: 'vendor-data-size', capability: capability.offset, capLen: capability.capLen, multiple },
        capabilityEvidence(view, capability, VIRTIO_PCI_CAP_OFFSETS.capLen, 1, `a multiple of ${multiple}`, String(capability.capLen)),
      );
    }),
    'no vendor data capability',
  );
}

/** PCI-DEV-45: a device with MSI-X supports 2..0x800 vectors (Table Size + 1). */
export function checkMsixTableSize(view: FunctionView): CheckFinding {
  const skip = guard(view);
  if (skip) return skip;
  const msix = view.walk.capabilities.find((capability) => capability.id === PciCapId.MSIX);
  if (msix === undefined) return inapplicable('the device has no MSI-X capability');
  if (msix.offset + PCI_MSIX_CAP_SIZE > view.config.length) return inapplicable(`the data ends inside the MSI-X capability at ${hexNumber(msix.offset)}`);
  const vectors = decodePciMsixCap(view.config, msix.offset).value.tableSize + 1;
  if (vectors >= 2 && vectors <= PCI_MSIX_TABLE_SIZE_MAX + 1) return pass();
  const at = msix.offset + PCI_MSIX_CAP_OFFSETS.tableSize;
  return fail(
    { code: 'msix-table-size', capability: msix.offset, vectors, min: 2, max: PCI_MSIX_TABLE_SIZE_MAX + 1 },
    bytesEvidence(view.functionId, 'config', view.config, msix.offset, PCI_MSIX_CAP_SIZE, [at, at + 1], `2..${PCI_MSIX_TABLE_SIZE_MAX + 1} vectors`, String(vectors)),
  );
}

/** PCI-LEG-04 / PCI-LEG-09: a transitional device's BAR0 is an I/O BAR (holding the legacy registers). */
export function checkLegacyIoBar0(view: FunctionView, barSizes?: readonly number[]): CheckFinding {
  const skip = guard(view);
  if (skip) return skip;
  if (!isTransitional(view)) return inapplicable('not a transitional device');
  const at = PCI_TYPE0_HEADER_OFFSETS.bar0;
  if (view.config.length < at + 4) return inapplicable('the data ends before BAR0');
  const bar0 = view.header.bar0;
  if ((bar0 & PCI_BASE_ADDRESS_SPACE_IO) === 0) {
    return fail(
      { code: 'legacy-bar0-not-io', bar0 },
      bytesEvidence(view.functionId, 'config', view.config, at, 4, [at], 'an I/O BAR (bit 0 set)', hexNumber(bar0)),
    );
  }
  if (barSizes !== undefined && (barSizes[0] ?? 0) === 0) {
    return fail(
      { code: 'legacy-bar0-empty' },
      bytesEvidence(view.functionId, 'config', view.config, at, 4, [at], 'an implemented I/O BAR', 'size 0'),
    );
  }
  return pass();
}
