/**
 * Static checks of the IDs in the type-0 header (VS13 §4.1.2.1, §4.1.2.3): vendor, device ID,
 * revision and subsystem rules for modern and transitional functions.
 */
import { PCI_BASE_ADDRESS_SPACE_IO } from '../../../generated/ts/pci/pci-bar-mem32.ts';
import { PCI_TYPE0_HEADER_OFFSETS, PciHeaderType } from '../../../generated/ts/pci/pci-type0-header.ts';
import {
  VIRTIO_PCI_MODERN_DEVICE_ID_BASE,
  VIRTIO_PCI_MODERN_DEVICE_ID_MAX,
  VIRTIO_PCI_MODERN_REVISION_MIN,
  VIRTIO_PCI_MODERN_SUBSYSTEM_ID_MIN,
  VIRTIO_PCI_TRANSITIONAL_DEVICE_ID_MAX,
  VIRTIO_PCI_TRANSITIONAL_DEVICE_ID_MIN,
  VIRTIO_PCI_TRANSITIONAL_REVISION,
  VIRTIO_PCI_VENDOR_ID,
  virtioPciTransitionalDeviceIdNames,
} from '../../../generated/ts/virtio/virtio-pci-constants.ts';
import { isTransitional, notVirtioReason, virtioDeviceType, type FunctionView } from './function-view.ts';
import { bytesEvidence, fail, hexNumber, inapplicable, pass, type CheckFinding } from './verdict.ts';

const HEADER_ID_BYTES = PCI_TYPE0_HEADER_OFFSETS.revisionId + 1;

/** Inapplicable when the function is not virtio or its header is missing from the data. */
function guard(view: FunctionView, lastByte: number): CheckFinding | undefined {
  if (view.config.length <= lastByte) return inapplicable(`the data ends after ${view.config.length} bytes, before header offset ${hexNumber(lastByte)}`);
  const notVirtio = notVirtioReason(view);
  return notVirtio === undefined ? undefined : inapplicable(notVirtio);
}

function headerEvidence(view: FunctionView, field: keyof typeof PCI_TYPE0_HEADER_OFFSETS, width: number, expected: string, actual: string) {
  const at = PCI_TYPE0_HEADER_OFFSETS[field];
  return bytesEvidence(view.functionId, 'config', view.config, 0, Math.max(HEADER_ID_BYTES, at + width), Array.from({ length: width }, (_, i) => at + i), expected, actual);
}

function subsystemEvidence(view: FunctionView, expected: string, actual: string) {
  const at = PCI_TYPE0_HEADER_OFFSETS.subsystemVendorId;
  const id = PCI_TYPE0_HEADER_OFFSETS.subsystemId;
  return bytesEvidence(view.functionId, 'config', view.config, at, id + 2 - at, [id, id + 1], expected, actual);
}

/** PCI-DEV-01 (header part): a virtio function is an endpoint with a type-0 header. */
export function checkHeaderType(view: FunctionView): CheckFinding {
  const skip = guard(view, PCI_TYPE0_HEADER_OFFSETS.headerLayout);
  if (skip) return skip;
  if (view.header.headerLayout !== PciHeaderType.NORMAL) {
    return fail(
      { code: 'header-type', at: PCI_TYPE0_HEADER_OFFSETS.headerLayout, actual: view.header.headerLayout, expected: PciHeaderType.NORMAL },
      headerEvidence(view, 'headerLayout', 1, String(PciHeaderType.NORMAL), String(view.header.headerLayout)),
    );
  }
  return pass();
}

/** PCI-DEV-02: vendor ID 0x1AF4. */
export function checkVendorId(view: FunctionView): CheckFinding {
  const skip = guard(view, PCI_TYPE0_HEADER_OFFSETS.vendorId + 1);
  if (skip) return skip;
  if (view.header.vendorId !== VIRTIO_PCI_VENDOR_ID) {
    return fail(
      { code: 'vendor-id', at: PCI_TYPE0_HEADER_OFFSETS.vendorId, actual: view.header.vendorId, expected: VIRTIO_PCI_VENDOR_ID },
      headerEvidence(view, 'vendorId', 2, hexNumber(VIRTIO_PCI_VENDOR_ID), hexNumber(view.header.vendorId)),
    );
  }
  return pass();
}

/** PCI-DEV-03: the device ID is 0x1040 + a virtio device ID, or a transitional ID of the table. */
export function checkDeviceId(view: FunctionView): CheckFinding {
  const skip = guard(view, PCI_TYPE0_HEADER_OFFSETS.deviceId + 1);
  if (skip) return skip;
  const id = view.header.deviceId;
  const modern = id > VIRTIO_PCI_MODERN_DEVICE_ID_BASE && id <= VIRTIO_PCI_MODERN_DEVICE_ID_MAX;
  const transitional = virtioPciTransitionalDeviceIdNames[String(id)] !== undefined;
  if (!modern && !transitional) {
    return fail(
      { code: 'device-id', at: PCI_TYPE0_HEADER_OFFSETS.deviceId, actual: id, modernMin: VIRTIO_PCI_MODERN_DEVICE_ID_BASE + 1, modernMax: VIRTIO_PCI_MODERN_DEVICE_ID_MAX },
      headerEvidence(view, 'deviceId', 2, `${hexNumber(VIRTIO_PCI_MODERN_DEVICE_ID_BASE + 1)}..${hexNumber(VIRTIO_PCI_MODERN_DEVICE_ID_MAX)} or a transitional ID`, hexNumber(id)),
    );
  }
  return pass();
}

/** BAR0 is an I/O BAR: the legacy interface a transitional device serves legacy drivers through. */
function hasIoBar0(view: FunctionView): boolean {
  return view.config.length >= PCI_TYPE0_HEADER_OFFSETS.bar0 + 4 && (view.header.bar0 & PCI_BASE_ADDRESS_SPACE_IO) !== 0;
}

/**
 * PCI-DEV-05: a non-transitional device uses an ID in 0x1040..0x107F. A function with a transitional
 * ID but no I/O BAR0 cannot serve a legacy driver, so it presents as non-transitional and is held to
 * this (its transitional rules, PCI-LEG-*, are judged as well); one with an I/O BAR0 is transitional.
 */
export function checkModernDeviceIdRange(view: FunctionView): CheckFinding {
  const skip = guard(view, PCI_TYPE0_HEADER_OFFSETS.bar0 + 3);
  if (skip) return skip;
  if (isTransitional(view) && hasIoBar0(view)) return inapplicable('transitional device (transitional ID and an I/O BAR0): PCI-DEV-05 applies to non-transitional devices');
  const id = view.header.deviceId;
  if (id < VIRTIO_PCI_MODERN_DEVICE_ID_BASE || id > VIRTIO_PCI_MODERN_DEVICE_ID_MAX) {
    return fail(
      { code: 'modern-device-id-range', at: PCI_TYPE0_HEADER_OFFSETS.deviceId, actual: id, min: VIRTIO_PCI_MODERN_DEVICE_ID_BASE, max: VIRTIO_PCI_MODERN_DEVICE_ID_MAX },
      headerEvidence(view, 'deviceId', 2, `${hexNumber(VIRTIO_PCI_MODERN_DEVICE_ID_BASE)}..${hexNumber(VIRTIO_PCI_MODERN_DEVICE_ID_MAX)}`, hexNumber(id)),
    );
  }
  return pass();
}

/** PCI-DEV-06: a non-transitional device reports revision ID >= 1. */
export function checkModernRevision(view: FunctionView): CheckFinding {
  const skip = guard(view, PCI_TYPE0_HEADER_OFFSETS.revisionId);
  if (skip) return skip;
  if (isTransitional(view)) return inapplicable('transitional device: PCI-DEV-06 applies to non-transitional devices');
  if (view.header.revisionId < VIRTIO_PCI_MODERN_REVISION_MIN) {
    return fail(
      { code: 'modern-revision', at: PCI_TYPE0_HEADER_OFFSETS.revisionId, actual: view.header.revisionId, min: VIRTIO_PCI_MODERN_REVISION_MIN },
      headerEvidence(view, 'revisionId', 1, `>= ${VIRTIO_PCI_MODERN_REVISION_MIN}`, String(view.header.revisionId)),
    );
  }
  return pass();
}

/** PCI-DEV-07: a non-transitional device reports subsystem device ID >= 0x40. */
export function checkModernSubsystemId(view: FunctionView): CheckFinding {
  const skip = guard(view, PCI_TYPE0_HEADER_OFFSETS.subsystemId + 1);
  if (skip) return skip;
  if (isTransitional(view)) return inapplicable('transitional device: PCI-DEV-07 applies to non-transitional devices');
  if (view.header.subsystemId < VIRTIO_PCI_MODERN_SUBSYSTEM_ID_MIN) {
    return fail(
      { code: 'modern-subsystem-id', at: PCI_TYPE0_HEADER_OFFSETS.subsystemId, actual: view.header.subsystemId, min: VIRTIO_PCI_MODERN_SUBSYSTEM_ID_MIN },
      subsystemEvidence(view, `>= ${hexNumber(VIRTIO_PCI_MODERN_SUBSYSTEM_ID_MIN)}`, hexNumber(view.header.subsystemId)),
    );
  }
  return pass();
}

/** PCI-LEG-01: a transitional device reports revision ID 0. */
export function checkTransitionalRevision(view: FunctionView): CheckFinding {
  const skip = guard(view, PCI_TYPE0_HEADER_OFFSETS.revisionId);
  if (skip) return skip;
  if (!isTransitional(view)) return inapplicable('not a transitional device');
  if (view.header.revisionId !== VIRTIO_PCI_TRANSITIONAL_REVISION) {
    return fail(
      { code: 'transitional-revision', at: PCI_TYPE0_HEADER_OFFSETS.revisionId, actual: view.header.revisionId, expected: VIRTIO_PCI_TRANSITIONAL_REVISION },
      headerEvidence(view, 'revisionId', 1, String(VIRTIO_PCI_TRANSITIONAL_REVISION), String(view.header.revisionId)),
    );
  }
  return pass();
}

/** PCI-LEG-02: a transitional device reports its virtio device ID as subsystem device ID. */
export function checkTransitionalSubsystemId(view: FunctionView): CheckFinding {
  const skip = guard(view, PCI_TYPE0_HEADER_OFFSETS.subsystemId + 1);
  if (skip) return skip;
  if (!isTransitional(view)) return inapplicable('not a transitional device');
  const type = virtioDeviceType(view);
  if (type === undefined) return inapplicable(`device ID ${hexNumber(view.header.deviceId)} names no virtio device type, so the expected subsystem ID is unknown (see PCI-DEV-03)`);
  if (view.header.subsystemId !== type) {
    return fail(
      { code: 'transitional-subsystem-id', at: PCI_TYPE0_HEADER_OFFSETS.subsystemId, actual: view.header.subsystemId, expected: type },
      subsystemEvidence(view, hexNumber(type), hexNumber(view.header.subsystemId)),
    );
  }
  return pass();
}

/**
 * PCI-LEG-03: a function that presents itself as transitional — a transitional-range ID, or the legacy
 * signature of revision 0 with an I/O BAR0 — uses a device ID in 0x1000..0x103F.
 */
export function checkTransitionalDeviceIdRange(view: FunctionView): CheckFinding {
  const skip = guard(view, PCI_TYPE0_HEADER_OFFSETS.bar0);
  if (skip) return skip;
  const legacySignature = view.header.revisionId === VIRTIO_PCI_TRANSITIONAL_REVISION && (view.header.bar0 & PCI_BASE_ADDRESS_SPACE_IO) !== 0;
  if (!isTransitional(view) && !legacySignature) return inapplicable('not a transitional device');
  const id = view.header.deviceId;
  if (id < VIRTIO_PCI_TRANSITIONAL_DEVICE_ID_MIN || id > VIRTIO_PCI_TRANSITIONAL_DEVICE_ID_MAX) {
    return fail(
      { code: 'transitional-device-id-range', at: PCI_TYPE0_HEADER_OFFSETS.deviceId, actual: id, min: VIRTIO_PCI_TRANSITIONAL_DEVICE_ID_MIN, max: VIRTIO_PCI_TRANSITIONAL_DEVICE_ID_MAX, legacySignature: !isTransitional(view) },
      headerEvidence(view, 'deviceId', 2, `${hexNumber(VIRTIO_PCI_TRANSITIONAL_DEVICE_ID_MIN)}..${hexNumber(VIRTIO_PCI_TRANSITIONAL_DEVICE_ID_MAX)}`, hexNumber(id)),
    );
  }
  return pass();
}
