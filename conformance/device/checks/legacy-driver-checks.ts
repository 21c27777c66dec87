/**
 * PCI-DEV-44 (VS13 §4.1.4.11.0.1): a non-transitional device that a legacy driver could bind
 * presents an I/O BAR0, and once that driver writes a single zero byte to the legacy status register
 * (BAR0 offset 18) the device reads as zeroes on every BAR and ignores writes, so the legacy driver
 * fails cleanly. The check is destructive by design: it leaves the device in that state.
 */
import { VIRTIO_PCI_LEGACY_CFG_OFFSETS } from '../../../generated/ts/virtio/virtio-pci-legacy-cfg.ts';
import { barSlots } from './bar-checks.ts';
import { isTransitional, type FunctionView } from './function-view.ts';
import type { CommonConfig } from './live-access.ts';
import { bytesEvidence, fail, hexNumber, inapplicable, pass, type CheckFinding } from './verdict.ts';

const LEGACY_BAR = 0;
/** Bytes read from the start of each BAR after the legacy reset. */
const PROBE_BYTES = 64;
const DWORD = 4;

/** PCI-DEV-44: after a one-byte zero write at BAR0 offset 18, every BAR reads zero and writes are ignored. */
export async function checkLegacyDriverFendOff(view: FunctionView, common: CommonConfig, sizes?: readonly number[]): Promise<CheckFinding> {
  if (isTransitional(view)) return inapplicable('transitional device: it serves legacy drivers instead of fending them off');
  const slot = barSlots(view.config)[LEGACY_BAR];
  if (slot?.kind !== 'io' || sizes === undefined || (sizes[LEGACY_BAR] ?? 0) === 0) {
    return inapplicable('no I/O BAR0: whether a legacy driver ever matched these PCI IDs (the condition of this rule) is not visible to xvc');
  }
  await common.access.writeBar(LEGACY_BAR, VIRTIO_PCI_LEGACY_CFG_OFFSETS.deviceStatus, 1, 0);
  for (let bar = 0; bar < sizes.length; bar++) {
    const size = sizes[bar] ?? 0;
    const image = new Uint8Array(Math.min(size, PROBE_BYTES));
    for (let at = 0; at + DWORD <= image.length; at += DWORD) new DataView(image.buffer).setUint32(at, (await common.access.readBar(bar, at, DWORD)) >>> 0, true);
    const nonZero = image.findIndex((byte) => byte !== 0);
    if (nonZero >= 0) {
      return fail(
        { code: 'legacy-not-quiet', bar, at: nonZero, value: image[nonZero]! },
        bytesEvidence(common.access.id, `bar${bar}`, image, 0, image.length, [nonZero], '0', hexNumber(image[nonZero]!)),
      );
    }
  }
  await common.write('deviceFeatureSelect', 1);
  const after = await common.read('deviceFeatureSelect');
  if (after !== 0) return fail({ code: 'legacy-writes-honoured', value: after }, await common.evidence(['deviceFeatureSelect'], '0', String(after)));
  return pass();
}
