/**
 * Live checks of feature negotiation (VS13 §2.2, §4.1.4.3.1, ch. 6): the device_feature windows, the
 * driver_feature read-back, FEATURES_OK for valid and invalid subsets, re-negotiation after reset,
 * and the feature bits a device must, should or must not offer. Each leaves the device reset.
 */
import {
  VIRTIO_F_ALLOCATED_END,
  VIRTIO_F_FUTURE_RESERVED_END,
  VIRTIO_F_FUTURE_RESERVED_START,
  VIRTIO_FEATURE_WINDOW_BITS,
  VIRTIO_TRANSPORT_F_END,
  VIRTIO_TRANSPORT_F_START,
  VirtioDeviceStatus,
  VirtioFeatures,
  VirtioFeaturesBits,
} from '../../../generated/ts/virtio/virtio-core.ts';
import type { TargetDeclarations } from './declarations.ts';
import { isTransitional, type FunctionView } from './function-view.ts';
import { CommonConfig, featureText } from './live-access.ts';
import { combine, fail, hexNumber, inapplicable, pass, withCondition, type CheckFinding } from './verdict.ts';

const ACK_DRIVER = VirtioDeviceStatus.ACKNOWLEDGE | VirtioDeviceStatus.DRIVER;
/** Largest value of the 32-bit device_feature_select register. */
const SELECT_MAX = 0xffff_ffff;
/** Feature windows whose bits some version up to 1.4 allocates (0 to 127). */
const ALLOCATED_WINDOWS = VIRTIO_F_ALLOCATED_END / VIRTIO_FEATURE_WINDOW_BITS;
/** Selects PCI-DEV-13 reads twice each, in two orders: every allocated window, the first reserved ones and the ends of the register. */
const WINDOW_SELECTS: readonly number[] = [...Array(ALLOCATED_WINDOWS + 2).keys(), 0xff, SELECT_MAX];
/** Selects whose 32 bits are all reserved for future extensions in every version xvc knows. */
const FUTURE_SELECTS: readonly number[] = [ALLOCATED_WINDOWS, ALLOCATED_WINDOWS + 1, 0xff, SELECT_MAX];

function featureRef(name: keyof typeof VirtioFeaturesBits): { name: string; bit: number } {
  return { name: `VIRTIO_F_${name}`, bit: VirtioFeaturesBits[name] };
}

async function offerEvidence(common: CommonConfig, expected: string, offered: bigint) {
  return common.evidence(['deviceFeatureSelect', 'deviceFeature'], expected, featureText(offered));
}

/**
 * PCI-DEV-13: device_feature shows, for every select, the same 32 bits whatever was selected before:
 * windows 0 to 5 and the largest selects are each read twice, first in ascending then in descending
 * order. Which bits a window may hold is not judged here (windows 2 and 3 carry device-type bits
 * from 1.2 on, and virtio-net defines some in 1.4); offered reserved bits are VIRTIO-DEV-05's.
 */
export async function checkDeviceFeatureWindows(common: CommonConfig): Promise<CheckFinding> {
  const first = new Map<number, number>();
  for (const select of WINDOW_SELECTS) first.set(select, await common.featureWindow(select));
  let before: number | undefined;
  for (const select of [...WINDOW_SELECTS].reverse()) {
    const second = await common.featureWindow(select);
    const value = first.get(select)!;
    if (second !== value) {
      const evidence = await common.evidence(['deviceFeatureSelect', 'deviceFeature'], hexNumber(value), hexNumber(second));
      await common.write('deviceFeatureSelect', 0);
      return fail({ code: 'feature-window-unstable', select, first: value, second, ...(before === undefined ? {} : { before }) }, evidence);
    }
    before = select;
  }
  await common.write('deviceFeatureSelect', 0);
  return pass(`windows ${WINDOW_SELECTS.map((select) => hexNumber(select)).join(', ')} read the same in both orders`);
}

/** PCI-DEV-14: driver_feature reads back, per window, the valid (offered) bits the driver wrote. */
export async function checkDriverFeatureWindows(common: CommonConfig): Promise<CheckFinding> {
  const offered = await common.offeredFeatures();
  if (!(await common.reset())) return inapplicable('the device did not reset (see PCI-DEV-16)');
  await common.write('deviceStatus', VirtioDeviceStatus.ACKNOWLEDGE);
  await common.write('deviceStatus', ACK_DRIVER);
  await common.writeDriverFeatures(offered);
  const readBack = await common.driverFeatures();
  const evidence = (readBack & offered) !== offered ? await common.evidence(['driverFeatureSelect', 'driverFeature'], featureText(offered), featureText(readBack)) : undefined;
  await common.reset();
  if (evidence !== undefined) return fail({ code: 'driver-feature-missing', written: featureText(offered), readBack: featureText(readBack), missing: featureText(offered & ~readBack) }, evidence);
  return pass();
}

/** The highest feature bit below 64 the device does not offer. */
function unofferedBit(offered: bigint): bigint | undefined {
  for (let bit = 63n; bit >= 0n; bit--) if ((offered & (1n << bit)) === 0n) return 1n << bit;
  return undefined;
}

function featuresOk(status: number | undefined): boolean {
  return status !== undefined && (status & VirtioDeviceStatus.FEATURES_OK) !== 0;
}

/**
 * VIRTIO-DEV-04 (SHOULD): the device keeps FEATURES_OK for valid subsets of what it offers — the
 * whole offer, and the smallest subset a driver may accept (only the features a device may require,
 * VS13 §6.2).
 */
export async function checkValidSubsetsAccepted(common: CommonConfig): Promise<CheckFinding> {
  const offered = await common.offeredFeatures();
  const findings: CheckFinding[] = [];
  for (const subset of new Set([offered, CommonConfig.required(offered)])) {
    const status = await common.negotiate(subset);
    if (status === undefined) {
      findings.push(inapplicable('the device did not reset (see PCI-DEV-16)'));
      break;
    }
    if (!featuresOk(status)) findings.push(fail({ code: 'features-ok-refused', features: featureText(subset), status }, await common.evidence(['deviceStatus'], 'FEATURES_OK set', hexNumber(status))));
    else findings.push(pass());
  }
  await common.reset();
  return combine(findings, 'no subset was tried');
}

/**
 * VIRTIO-DEV-13 (non-normative): FEATURES_OK is refused when the driver accepts a bit the device did
 * not offer. Only the initialisation sequence (VS13 §3.1.1, step 6) suggests a device would; no
 * device requirement says so, and the driver must never write such a set (§2.2.1).
 */
export async function checkUnofferedBitRefused(common: CommonConfig): Promise<CheckFinding> {
  const offered = await common.offeredFeatures();
  const extra = unofferedBit(offered);
  if (extra === undefined) return inapplicable('the device offers every bit below 64: no unoffered bit to accept');
  const base = await common.negotiate(offered);
  if (!featuresOk(base)) {
    await common.reset();
    return inapplicable('the device did not keep FEATURES_OK for its own offer (see VIRTIO-DEV-04)');
  }
  const status = await common.negotiate(offered | extra);
  const evidence = featuresOk(status) ? await common.evidence(['deviceStatus', 'driverFeature'], 'FEATURES_OK clear', hexNumber(status!)) : undefined;
  await common.reset();
  if (evidence === undefined) return pass();
  const bit = extra.toString(2).length - 1;
  return withCondition(
    fail({ code: 'features-ok-unoffered', bit, status: status! }, evidence),
    `the driver accepted bit ${bit}, which the device does not offer. VS13 §2.2.2 obliges the device to refuse FEATURES_OK only for a subset it does not accept ("otherwise it MUST fail to set the FEATURES_OK"), and §2.2.1 forbids the driver to accept an unoffered bit; only §3.1.1 step 6 (descriptive) presents FEATURES_OK clearing as the answer`,
  );
}

/** VIRTIO-DEV-06: after a reset the device accepts again the feature set it accepted before. */
export async function checkRenegotiation(common: CommonConfig): Promise<CheckFinding> {
  const offered = await common.offeredFeatures();
  const first = await common.negotiate(offered);
  if (!featuresOk(first)) {
    await common.reset();
    return inapplicable('the device did not accept the offered feature set the first time (see VIRTIO-DEV-04)');
  }
  const again = await common.negotiate(offered);
  const evidence = featuresOk(again) ? undefined : await common.evidence(['deviceStatus'], 'FEATURES_OK set', hexNumber(again ?? 0));
  await common.reset();
  if (evidence !== undefined) return fail({ code: 'renegotiation-refused', features: featureText(offered), status: again ?? 0 }, evidence);
  return pass();
}

/** VIRTIO-DEV-10: a non-transitional device offers VERSION_1. */
export async function checkVersion1Offered(view: FunctionView, common: CommonConfig): Promise<CheckFinding> {
  if (isTransitional(view)) return inapplicable('transitional device: may serve legacy drivers without VERSION_1');
  const offered = await common.offeredFeatures();
  if ((offered & VirtioFeatures.VERSION_1) !== 0n) return pass();
  return fail({ code: 'feature-missing', feature: featureRef('VERSION_1'), offered: featureText(offered), why: 'a non-transitional device must offer it' }, await offerEvidence(common, 'bit 32 set', offered));
}

/**
 * VIRTIO-DEV-11: a device whose memory accesses go through platform translation offers
 * ACCESS_PLATFORM. Whether they do is not visible in the device: the target declares it (a Xen grant
 * backend, or a device behind an IOMMU); without such a declaration the rule is inapplicable.
 */
export async function checkAccessPlatformOffered(common: CommonConfig, declared: TargetDeclarations): Promise<CheckFinding> {
  const uses = [...(declared.grants ? ['used with Xen grant mappings'] : []), ...(declared.iommu ? ['behind an IOMMU'] : [])];
  if (uses.length === 0) {
    return inapplicable(
      `applies only to a device used with Xen grants or behind an IOMMU, and ${declared.source} (declare it with QEMU's iommu_platform=on, the qemu target option grants=on, or deviceUse in an adapter's start answer)`,
    );
  }
  const condition = `the device is ${uses.join(' and ')} (${declared.source})`;
  const offered = await common.offeredFeatures();
  if ((offered & VirtioFeatures.ACCESS_PLATFORM) !== 0n) return pass(undefined, condition);
  return {
    ...fail(
      { code: 'feature-missing', feature: featureRef('ACCESS_PLATFORM'), offered: featureText(offered), why: `the device is ${uses.join(' and ')}, so its memory accesses go through platform translation` },
      await offerEvidence(common, 'bit 33 set', offered),
    ),
    condition,
  };
}

/**
 * VIRTIO-DEV-05: no offered bit is one that virtio `judgedVersion` reserves and no later version xvc
 * knows allocates: undefined bits of the transport range, bits 44 to 49, and every bit from 128 on
 * (feature windows 4 and up). Bits a newer version defines (42 and 43 in 1.4, device-type bits 50
 * to 127) are never held against a device.
 */
export async function checkReservedFeatures(common: CommonConfig, judgedVersion: string): Promise<CheckFinding> {
  const offered = await common.offeredFeatures();
  const defined = new Set<number>(Object.values(VirtioFeaturesBits));
  const reserved: number[] = [];
  for (let bit = VIRTIO_TRANSPORT_F_START; bit < VIRTIO_TRANSPORT_F_END; bit++) {
    if ((offered & (1n << BigInt(bit))) !== 0n && !defined.has(bit)) reserved.push(bit);
  }
  for (let bit = VIRTIO_F_FUTURE_RESERVED_START; bit < VIRTIO_F_FUTURE_RESERVED_END; bit++) {
    if ((offered & (1n << BigInt(bit))) !== 0n) reserved.push(bit);
  }
  for (const select of FUTURE_SELECTS) {
    const window = await common.featureWindow(select);
    for (let bit = 0; bit < VIRTIO_FEATURE_WINDOW_BITS; bit++) if (((window >>> bit) & 1) === 1) reserved.push(select * VIRTIO_FEATURE_WINDOW_BITS + bit);
  }
  const evidence = reserved.length > 0 ? await common.evidence(['deviceFeatureSelect', 'deviceFeature'], 'no reserved bits', featureText(offered)) : undefined;
  await common.write('deviceFeatureSelect', 0);
  if (evidence !== undefined) return fail({ code: 'reserved-features-offered', bits: reserved, judgedVersion }, evidence);
  return pass(undefined, `judged against virtio ${judgedVersion} and every later version xvc knows`);
}

/**
 * VIRTIO-DEV-12: SR_IOV is offered only by a PCI Express function with an SR-IOV capability. The
 * generated layouts name no SR-IOV extended capability ID, so an offer is judged only where it is
 * certainly wrong: a function without any extended capability cannot have one.
 */
export async function checkSrIovOffer(view: FunctionView, common: CommonConfig): Promise<CheckFinding> {
  const offered = await common.offeredFeatures();
  if ((offered & VirtioFeatures.SR_IOV) === 0n) return pass('SR_IOV not offered (whether an SR-IOV capability exists, which would call for offering it, is not checked)');
  if (view.walk.extended.length === 0) {
    return fail(
      { code: 'feature-offered', feature: featureRef('SR_IOV'), offered: featureText(offered), why: 'the function has no extended capabilities, so no SR-IOV capability' },
      await offerEvidence(common, 'bit 37 clear', offered),
    );
  }
  return inapplicable('SR_IOV offered alongside extended capabilities; xvc has no SR-IOV capability ID in its layouts to confirm one');
}
