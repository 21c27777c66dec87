/**
 * Live checks of the legacy interface in I/O BAR0 of a transitional device (VS13 §4.1.4.10): device
 * configuration right after the 20- or 24-byte header, and the same data whatever the access width.
 */
import { PciCapId } from '../../../generated/ts/pci/pci-cap-header.ts';
import { decodePciMsixCap, encodePciMsixCap, PCI_MSIX_CAP_OFFSETS, PCI_MSIX_CAP_SIZE } from '../../../generated/ts/pci/pci-msix-cap.ts';
import { VirtioPciCfgType } from '../../../generated/ts/virtio/virtio-pci-cap.ts';
import { VIRTIO_PCI_LEGACY_CONFIG_OFFSET, VIRTIO_PCI_LEGACY_CONFIG_OFFSET_MSIX } from '../../../generated/ts/virtio/virtio-pci-legacy-cfg.ts';
import { isTransitional, type FunctionView } from './function-view.ts';
import { preferredCapabilities, type LiveAccess } from './live-access.ts';
import { bytesEvidence, fail, hexNumber, inapplicable, pass, type CheckFinding } from './verdict.ts';

const LEGACY_BAR = 0;
/** Device-configuration bytes compared at most; enough to cover every field of the common device types' first words. */
const COMPARE_LIMIT = 64;
const MESSAGE_CONTROL_BYTES = 2;

function legacyGuard(view: FunctionView, sizes: readonly number[] | undefined): CheckFinding | number {
  if (!isTransitional(view)) return inapplicable('not a transitional device');
  if (sizes === undefined) return inapplicable('BAR sizes unknown: the legacy BAR0 cannot be bounded');
  const size = sizes[LEGACY_BAR] ?? 0;
  if (size <= VIRTIO_PCI_LEGACY_CONFIG_OFFSET_MSIX) return inapplicable(`BAR0 of ${size} bytes holds no device configuration past the legacy header (see PCI-LEG-04)`);
  return size;
}

/** Turns the MSI-X enable bit on or off through Message Control; returns false without MSI-X. */
async function setMsix(view: FunctionView, access: LiveAccess, enable: boolean): Promise<boolean> {
  const msix = view.walk.capabilities.find((capability) => capability.id === PciCapId.MSIX);
  if (msix === undefined) return false;
  const bytes = new Uint8Array(PCI_MSIX_CAP_SIZE);
  for (let i = 0; i < PCI_MSIX_CAP_SIZE; i++) bytes[i] = await access.readConfig(msix.offset + i, 1);
  const decoded = decodePciMsixCap(bytes).value;
  encodePciMsixCap({ ...decoded, enable }, bytes);
  const at = PCI_MSIX_CAP_OFFSETS.tableSize;
  await access.writeConfig(msix.offset + at, MESSAGE_CONTROL_BYTES, bytes[at]! | (bytes[at + 1]! << 8));
  return true;
}

async function compareAt(view: FunctionView, access: LiveAccess, legacyStart: number, legacySize: number, msix: boolean): Promise<CheckFinding> {
  const device = preferredCapabilities(view).get(VirtioPciCfgType.DEVICE_CFG)!;
  const count = Math.min(COMPARE_LIMIT, Number(device.virtio.length), legacySize - legacyStart);
  const legacy = new Uint8Array(legacyStart + count);
  for (let i = 0; i < count; i++) {
    const modern = await access.readBar(device.virtio.bar, Number(device.virtio.offset) + i, 1);
    legacy[legacyStart + i] = await access.readBar(LEGACY_BAR, legacyStart + i, 1);
    if (legacy[legacyStart + i] !== modern) {
      return fail(
        { code: 'legacy-config-offset', msix, legacyStart, byte: i, legacy: legacy[legacyStart + i]!, modern },
        bytesEvidence(access.id, `bar${LEGACY_BAR}`, legacy, legacyStart, count, [legacyStart + i], hexNumber(modern), hexNumber(legacy[legacyStart + i]!)),
      );
    }
  }
  return pass();
}

/** PCI-LEG-07: legacy device configuration starts at 20 with MSI-X disabled and at 24 with it enabled. */
export async function checkLegacyConfigOffset(view: FunctionView, access: LiveAccess, sizes?: readonly number[]): Promise<CheckFinding> {
  const size = legacyGuard(view, sizes);
  if (typeof size !== 'number') return size;
  if (preferredCapabilities(view).get(VirtioPciCfgType.DEVICE_CFG) === undefined) return inapplicable('no device configuration to compare with');
  const without = await compareAt(view, access, VIRTIO_PCI_LEGACY_CONFIG_OFFSET, size, false);
  if (without.outcome === 'fail') return without;
  if (!(await setMsix(view, access, true))) return pass('the device has no MSI-X capability: only the 20-byte header was checked');
  try {
    return await compareAt(view, access, VIRTIO_PCI_LEGACY_CONFIG_OFFSET_MSIX, size, true);
  } finally {
    await setMsix(view, access, false);
  }
}

/** A dword at `at` of `bar` read whole, as two words and as four bytes. */
async function widths(access: LiveAccess, bar: number, at: number): Promise<{ dword: number; words: number; bytes: number }> {
  const dword = (await access.readBar(bar, at, 4)) >>> 0;
  const words = (await access.readBar(bar, at, 2)) + (await access.readBar(bar, at + 2, 2)) * 0x1_0000;
  let bytes = 0;
  for (let i = 3; i >= 0; i--) bytes = bytes * 0x100 + (await access.readBar(bar, at + i, 1));
  return { dword, words, bytes };
}

/**
 * PCI-LEG-06: legacy device configuration reads the same with 1-, 2- and 4-byte accesses. Only dwords
 * that lie inside the device configuration are compared; where that ends is taken from the modern
 * DEVICE_CFG structure (its length is often padded), as the first dword whose widths disagree there.
 */
export async function checkLegacyAccessWidths(view: FunctionView, access: LiveAccess, sizes?: readonly number[]): Promise<CheckFinding> {
  const size = legacyGuard(view, sizes);
  if (typeof size !== 'number') return size;
  const device = preferredCapabilities(view).get(VirtioPciCfgType.DEVICE_CFG);
  if (device === undefined) return inapplicable('no device configuration capability to bound the comparison');
  const span = Math.min(COMPARE_LIMIT, Number(device.virtio.length), size - VIRTIO_PCI_LEGACY_CONFIG_OFFSET);
  let compared = 0;
  for (let rel = 0; rel + 4 <= span; rel += 4) {
    const modern = await widths(access, device.virtio.bar, Number(device.virtio.offset) + rel);
    if (modern.dword !== modern.bytes || modern.words !== modern.bytes) break;
    const at = VIRTIO_PCI_LEGACY_CONFIG_OFFSET + rel;
    const { dword, words, bytes } = await widths(access, LEGACY_BAR, at);
    if (dword !== words || dword !== bytes) {
      const image = new Uint8Array(at + 4);
      new DataView(image.buffer).setUint32(at, bytes, true);
      return fail(
        { code: 'legacy-access-width', at, dword, words, bytes },
        bytesEvidence(access.id, `bar${LEGACY_BAR}`, image, at, 4, [at, at + 1, at + 2, at + 3], hexNumber(bytes), `${hexNumber(dword)} / ${hexNumber(words)}`),
      );
    }
    compared += 4;
  }
  return compared === 0 ? inapplicable('no dword of device configuration reads consistently through the modern interface to compare against') : pass(`${compared} bytes compared`);
}
