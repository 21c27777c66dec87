/**
 * PCI-DEV-40 (VS13 §4.1.4.8): driver reads of the vendor data capability have no side effects. A
 * side effect is something else the device shows changing because of the reads — another byte of
 * config space, or the state its common configuration shows. The vendor data itself may change from
 * one read to the next (a counter, a temperature): that is its value, not a side effect of reading it.
 */
import { VirtioPciCfgType } from '../../../generated/ts/virtio/virtio-pci-cap.ts';
import { VIRTIO_PCI_VNDR_DATA_SIZE } from '../../../generated/ts/virtio/virtio-pci-vndr-data.ts';
import { virtioPciCommonCfgLayout } from '../../../generated/ts/virtio/virtio-pci-common-cfg.ts';
import { capabilitiesOfType, type FunctionView } from './function-view.ts';
import type { CommonConfig, LiveAccess } from './live-access.ts';
import { EVIDENCE_ROW_BYTES, bytesEvidence, fail, hexNumber, inapplicable, pass, regionEvidence, type CheckFinding } from './verdict.ts';

/** How many times every vendor data byte is read. */
const READ_ROUNDS = 3;

/** What the device shows: config space and, on live targets, the common configuration. */
interface Shown {
  config: Uint8Array;
  common?: Uint8Array;
}

async function shown(snapshot: () => Promise<Uint8Array>, common: CommonConfig | undefined): Promise<Shown> {
  return { config: await snapshot(), ...(common === undefined ? {} : { common: await common.bytes() }) };
}

function differing(a: Uint8Array | undefined, b: Uint8Array | undefined): Set<number> {
  const out = new Set<number>();
  if (a === undefined || b === undefined) return out;
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) out.add(i);
  return out;
}

function commonFieldAt(offset: number): string {
  const field = virtioPciCommonCfgLayout.fields.find((candidate) => offset >= candidate.offset && offset < candidate.offset + Math.ceil((candidate.bit + candidate.bits) / 8));
  return field?.specName ?? `byte ${offset}`;
}

/**
 * PCI-DEV-40: reading every vendor data byte several times changes nothing else the device shows.
 * Bytes that change on their own (between two looks without vendor data reads) and the vendor data
 * bytes after each capability's header are left out.
 */
export async function checkVendorDataReads(view: FunctionView, access: LiveAccess, snapshot: () => Promise<Uint8Array>, common?: CommonConfig): Promise<CheckFinding> {
  const caps = capabilitiesOfType(view, VirtioPciCfgType.VENDOR_CFG);
  if (caps.length === 0) return inapplicable('the device has no vendor data capability');
  const first = await shown(snapshot, common);
  const second = await shown(snapshot, common);
  const volatileConfig = differing(first.config, second.config);
  const volatileCommon = differing(first.common, second.common);
  for (const capability of caps) for (let i = VIRTIO_PCI_VNDR_DATA_SIZE; i < capability.capLen; i++) volatileConfig.add(capability.offset + i);
  // cap_len is the device's word: reads stop at the end of the config space whatever it says.
  for (let round = 0; round < READ_ROUNDS; round++) {
    for (const capability of caps) for (let i = 0; i < capability.capLen && capability.offset + i < view.config.length; i++) await access.readConfig(capability.offset + i, 1);
  }
  const after = await shown(snapshot, common);
  const changed = [...differing(second.config, after.config)].find((offset) => !volatileConfig.has(offset));
  if (changed !== undefined) {
    const before = second.config[changed]!;
    const now = after.config[changed]!;
    return fail(
      { code: 'vendor-data-read-side-effect', where: `config byte ${hexNumber(changed)}`, before, after: now },
      bytesEvidence(access.id, 'config', after.config, changed - (changed % EVIDENCE_ROW_BYTES), EVIDENCE_ROW_BYTES, [changed], hexNumber(before), hexNumber(now)),
    );
  }
  const changedCommon = [...differing(second.common, after.common)].find((offset) => !volatileCommon.has(offset));
  if (changedCommon !== undefined && common !== undefined) {
    const before = second.common![changedCommon]!;
    const now = after.common![changedCommon]!;
    return fail(
      { code: 'vendor-data-read-side-effect', where: `${commonFieldAt(changedCommon)} in the common configuration`, before, after: now },
      regionEvidence(access.id, `bar${common.bar}`, common.base, after.common!, [common.base + changedCommon], hexNumber(before), hexNumber(now)),
    );
  }
  const ignored = volatileConfig.size + volatileCommon.size;
  return pass(`${READ_ROUNDS} reads of ${caps.length} vendor data capability(ies); ${ignored} byte(s) that may change by themselves were left out`);
}
