/**
 * The value and width of an available-buffer notification (VS13 §4.1.5.2, digest §1.6): a 16-bit
 * write of the queue's notification value, or with VIRTIO_F_NOTIFICATION_DATA a 32-bit write that
 * also carries next_off and next_wrap. The value is the queue index, or queue_notif_config_data
 * with VIRTIO_F_NOTIF_CONFIG_DATA.
 */
import { VirtioFeatures } from '../../generated/ts/virtio/virtio-core.ts';
import { virtioPciCommonCfgLayout } from '../../generated/ts/virtio/virtio-pci-common-cfg.ts';
import type { AccessWidth } from '../pci/le-bytes.ts';
import { fieldMaxValue, layoutField } from './layout-fields.ts';

// The 32-bit notification-data word has no generated layout (spec/layouts has none yet); its shape is
// the digest's §1.6: the queue's value in the low bits, as wide as queue_notif_config_data, then
// next_off up to bit 30 and next_wrap in bit 31.
const valueField = layoutField(virtioPciCommonCfgLayout, 'queueNotifConfigData');
/** Width of a notification without NOTIFICATION_DATA: that of the value it carries (16-bit). */
const PLAIN_WIDTH = (valueField.bits / 8) as AccessWidth;
/** Width of a notification with NOTIFICATION_DATA (digest §1.6: a 32-bit LE value). */
const DATA_WIDTH: AccessWidth = 4;
const VALUE_MASK = fieldMaxValue(valueField);
const NEXT_OFF_SHIFT = valueField.bits;
const NEXT_WRAP_BIT = DATA_WIDTH * 8 - 1;
const NEXT_OFF_MASK = 2 ** (NEXT_WRAP_BIT - NEXT_OFF_SHIFT) - 1;

/** Width in bytes of a notification when `features` are negotiated; also the alignment the notify structure needs. */
export function notifyWidth(features: bigint): AccessWidth {
  return (features & VirtioFeatures.NOTIFICATION_DATA) !== 0n ? DATA_WIDTH : PLAIN_WIDTH;
}

/** Where the driver's ring stands, sent with NOTIFICATION_DATA. */
export interface NotificationData {
  /** Offset of the next available ring entry (15 bits). Default 0. */
  nextOff?: number;
  /** Wrap counter of the next available entry (packed rings). Default false. */
  nextWrap?: boolean;
}

/**
 * The value written for a notification of width `width`: `queueValue` alone for 16 bits; for 32 bits
 * also next_off and next_wrap. Out-of-range inputs are cut to their fields' widths.
 */
export function notificationValue(width: AccessWidth, queueValue: number, data: NotificationData = {}): number {
  const value = queueValue & VALUE_MASK;
  if (width !== DATA_WIDTH) return value;
  const nextOff = (data.nextOff ?? 0) & NEXT_OFF_MASK;
  // Arithmetic, not `<<`, so bit 31 does not turn the number negative.
  return value + nextOff * 2 ** NEXT_OFF_SHIFT + (data.nextWrap === true ? 2 ** NEXT_WRAP_BIT : 0);
}
