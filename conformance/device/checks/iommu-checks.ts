/**
 * Live checks of a virtio-iommu function (VS13 §5.13): the features it offers and its page size
 * mask and bypass field, read through the DEVICE_CFG structure. Other device types: inapplicable.
 */
import { VirtioDeviceId, VirtioDeviceStatus, VirtioFeatures } from '../../../generated/ts/virtio/virtio-core.ts';
import { VIRTIO_IOMMU_CONFIG_OFFSETS, VirtioIommuFeatures, VirtioIommuFeaturesBits } from '../../../generated/ts/virtio/virtio-iommu-config.ts';
import { VirtioPciCfgType } from '../../../generated/ts/virtio/virtio-pci-cap.ts';
import { virtioDeviceType, type FunctionView } from './function-view.ts';
import { CommonConfig, featureText, preferredCapabilities } from './live-access.ts';
import { fail, inapplicable, pass, regionEvidence, type CheckFinding } from './verdict.ts';

const DWORD = 4;

function notIommu(view: FunctionView): CheckFinding | undefined {
  return virtioDeviceType(view) === VirtioDeviceId.IOMMU ? undefined : inapplicable('not a virtio-iommu device');
}

async function featureEvidence(common: CommonConfig, expected: string, offered: bigint) {
  return common.evidence(['deviceFeatureSelect', 'deviceFeature'], expected, featureText(offered));
}

/** VIOMMU-DEV-01: MAP_UNMAP is offered. */
export async function checkMapUnmapOffered(view: FunctionView, common: CommonConfig): Promise<CheckFinding> {
  const skip = notIommu(view);
  if (skip) return skip;
  const offered = await common.offeredFeatures();
  if ((offered & BigInt(VirtioIommuFeatures.MAP_UNMAP)) !== 0n) return pass();
  return fail(
    { code: 'feature-missing', feature: { name: 'VIRTIO_IOMMU_F_MAP_UNMAP', bit: VirtioIommuFeaturesBits.MAP_UNMAP }, offered: featureText(offered), why: 'a virtio-iommu should offer map and unmap requests' },
    await featureEvidence(common, 'MAP_UNMAP set', offered),
  );
}

/** VIOMMU-DEV-02/03: the superseded BYPASS is not offered, and never together with BYPASS_CONFIG. */
export async function checkBypassFeatures(view: FunctionView, common: CommonConfig, rule: 'superseded' | 'exclusive'): Promise<CheckFinding> {
  const skip = notIommu(view);
  if (skip) return skip;
  const offered = await common.offeredFeatures();
  const bypass = (offered & BigInt(VirtioIommuFeatures.BYPASS)) !== 0n;
  const config = (offered & BigInt(VirtioIommuFeatures.BYPASS_CONFIG)) !== 0n;
  const bypassRef = { name: 'VIRTIO_IOMMU_F_BYPASS', bit: VirtioIommuFeaturesBits.BYPASS };
  if (rule === 'superseded' && bypass) {
    return fail({ code: 'feature-offered', feature: bypassRef, offered: featureText(offered), why: 'superseded by BYPASS_CONFIG; new devices should not offer it' }, await featureEvidence(common, 'BYPASS clear', offered));
  }
  if (rule === 'exclusive' && bypass && config) {
    return fail(
      { code: 'features-together', first: bypassRef, second: { name: 'VIRTIO_IOMMU_F_BYPASS_CONFIG', bit: VirtioIommuFeaturesBits.BYPASS_CONFIG }, offered: featureText(offered) },
      await featureEvidence(common, 'not both', offered),
    );
  }
  return pass();
}

/** The device configuration structure's BAR and offset, or why it cannot be read. */
function deviceConfig(view: FunctionView): { bar: number; base: number; length: number } | string {
  const capability = preferredCapabilities(view).get(VirtioPciCfgType.DEVICE_CFG);
  if (capability === undefined) return 'no usable DEVICE_CFG capability';
  return { bar: capability.virtio.bar, base: Number(capability.virtio.offset), length: Number(capability.virtio.length) };
}

/** VIOMMU-DEV-04: page_size_mask has at least one bit set. */
export async function checkPageSizeMask(view: FunctionView, common: CommonConfig): Promise<CheckFinding> {
  const skip = notIommu(view);
  if (skip) return skip;
  const config = deviceConfig(view);
  if (typeof config === 'string') return inapplicable(config);
  const at = config.base + VIRTIO_IOMMU_CONFIG_OFFSETS.pageSizeMask;
  const low = await common.access.readBar(config.bar, at, DWORD);
  const high = await common.access.readBar(config.bar, at + DWORD, DWORD);
  if (low !== 0 || high !== 0) return pass();
  return fail({ code: 'page-size-mask-zero', bar: config.bar, at }, regionEvidence(common.access.id, `bar${config.bar}`, at, new Uint8Array(2 * DWORD), [at], 'at least one bit set', '0'));
}

/** VIOMMU-DEV-05/06: with BYPASS_CONFIG offered, bypass reads 0 or 1, and a device reset leaves it unchanged. */
export async function checkBypassField(view: FunctionView, common: CommonConfig, rule: 'range' | 'reset'): Promise<CheckFinding> {
  const skip = notIommu(view);
  if (skip) return skip;
  const offered = await common.offeredFeatures();
  if ((offered & BigInt(VirtioIommuFeatures.BYPASS_CONFIG)) === 0n) return inapplicable('BYPASS_CONFIG is not offered');
  const config = deviceConfig(view);
  if (typeof config === 'string') return inapplicable(config);
  const at = config.base + VIRTIO_IOMMU_CONFIG_OFFSETS.bypass;
  const evidence = (value: number, expected: string) => regionEvidence(common.access.id, `bar${config.bar}`, at, Uint8Array.of(value), [at], expected, String(value));
  const initial = await common.access.readBar(config.bar, at, 1);
  if (rule === 'range') {
    return initial <= 1 ? pass() : fail({ code: 'bypass-range', bar: config.bar, at, value: initial }, evidence(initial, '0 or 1'));
  }
  const status = await common.negotiate(CommonConfig.required(offered) | BigInt(VirtioIommuFeatures.BYPASS_CONFIG));
  if (status === undefined || (status & VirtioDeviceStatus.FEATURES_OK) === 0) {
    await common.reset();
    return inapplicable('the device did not accept BYPASS_CONFIG (see VIRTIO-DEV-04)');
  }
  const written = initial === 0 ? 1 : 0;
  await common.access.writeBar(config.bar, at, 1, written);
  const before = await common.access.readBar(config.bar, at, 1);
  await common.reset();
  const after = await common.access.readBar(config.bar, at, 1);
  if (after === before) return pass(before === written ? undefined : 'the device did not take the bypass write; the value it kept survived the reset');
  return fail({ code: 'bypass-reset', bar: config.bar, at, before, after }, evidence(after, String(before)));
}
