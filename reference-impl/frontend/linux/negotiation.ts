/**
 * What Linux negotiates, as opposed to what a device offers: virtio_features_ok() judges the
 * features left after the driver's validate() callback, and virtio-balloon's validate
 * (virtballoon_validate) clears VIRTIO_F_ACCESS_PLATFORM whatever the device offers, so a balloon
 * that would be driven through grants fails its probe with -ENODEV. The device type of a PCI
 * function comes from its config-space device ID (modern 0x1040 + type, or the transitional table).
 */
import type { ScenarioDevice } from '../../../generated/ts/schema/scenario.ts';
import { PCI_TYPE0_HEADER_OFFSETS } from '../../../generated/ts/pci/pci-type0-header.ts';
import { VirtioDeviceId, VirtioFeatures } from '../../../generated/ts/virtio/virtio-core.ts';
import {
  VIRTIO_PCI_MODERN_DEVICE_ID_BASE,
  VIRTIO_PCI_MODERN_DEVICE_ID_MAX,
  VirtioPciTransitionalDeviceId,
} from '../../../generated/ts/virtio/virtio-pci-constants.ts';
import { hexToBytes } from '../../discovery/hex-bytes.ts';
import { readLe } from '../../pci/le-bytes.ts';
import { parseFeatures } from '../features.ts';

/** The virtio device type a PCI function's device ID names; undefined for mmio or an ID outside the virtio ranges. */
export function virtioDeviceTypeOf(device: ScenarioDevice): number | undefined {
  if (device.transport !== 'pci' || device.configSpace === undefined) return undefined;
  const config = hexToBytes(device.configSpace);
  if (!config || config.length < PCI_TYPE0_HEADER_OFFSETS.deviceId + 2) return undefined;
  const pciDeviceId = readLe(config, PCI_TYPE0_HEADER_OFFSETS.deviceId, 2);
  if (pciDeviceId >= VIRTIO_PCI_MODERN_DEVICE_ID_BASE && pciDeviceId <= VIRTIO_PCI_MODERN_DEVICE_ID_MAX) return pciDeviceId - VIRTIO_PCI_MODERN_DEVICE_ID_BASE;
  const transitional = Object.entries(VirtioPciTransitionalDeviceId).find(([, id]) => id === pciDeviceId)?.[0];
  return transitional === undefined ? undefined : (VirtioDeviceId as Readonly<Record<string, number>>)[transitional];
}

/** Feature bits a Linux driver's validate() clears before negotiation, by device type. */
export function featuresClearedByDriver(deviceType: number | undefined): bigint {
  return deviceType === VirtioDeviceId.BALLOON ? VirtioFeatures.ACCESS_PLATFORM : 0n;
}

/** The feature bits Linux ends up negotiating with a device: what it offers minus what its driver clears. */
export function negotiatedFeatures(device: ScenarioDevice): bigint {
  const offered = parseFeatures(device.deviceFeatures) ?? 0n;
  return offered & ~featuresClearedByDriver(virtioDeviceTypeOf(device));
}
