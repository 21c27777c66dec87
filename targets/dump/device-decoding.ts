import type { LayoutIssue } from '../../core/codec-runtime.ts';
import { decodePciType0Header, type PciType0Header } from '../../generated/ts/pci/pci-type0-header.ts';
import { walkCapabilities, type WalkIssue } from '../../reference-impl/pci/index.ts';
import { VirtioPciCfgType } from '../../generated/ts/virtio/virtio-pci-cap.ts';
import type { DumpParseError } from './dump-parse-error.ts';

/** One legacy capability as `xvc decode` reports it. Virtio fields only for virtio structure capabilities. */
export interface DecodedCapability {
  offset: number;
  id: number;
  /** Raw next pointer. */
  next: number;
  /** cap_len of a vendor-specific capability. */
  capLen?: number;
  cfgType?: number;
  bar?: number;
  /** Structure offset within the BAR (a decimal string when beyond 2^53, which only the 64-bit form can be). */
  barOffset?: number | string;
  /** Structure length (same rule as `barOffset`). */
  length?: number | string;
  /** The capability's `id` byte (which of several of the same cfg_type). */
  virtioId?: number;
  notifyOffMultiplier?: number;
  /** VENDOR_CFG: the vendor ID naming the data format. */
  vendorId?: number;
  /** Reserved cfg_type or BAR: a driver ignores the capability. */
  reserved?: boolean;
  /** Virtio capabilities: cap_len covers the structure and all of it lies inside the data (else see the issues). */
  complete?: boolean;
}

/** One extended capability. */
export interface DecodedExtendedCapability {
  offset: number;
  id: number;
  version: number;
}

/** An issue of a decoded device: from the dump reader, the header codec or the capability walk. */
export interface DecodeIssue {
  source: 'dump' | 'header' | 'capabilities';
  code: string;
  /** Config-space offset, when the issue is about bytes. */
  offset?: number;
  message: string;
  [extra: string]: unknown;
}

/** What `xvc decode` reports for one function. */
export interface DecodedDevice {
  bdf: string;
  description?: string;
  source?: { file: string; line: number };
  configSize: number;
  truncated: boolean;
  vendorId: number;
  deviceId: number;
  header: PciType0Header;
  capabilities: DecodedCapability[];
  extendedCapabilities: DecodedExtendedCapability[];
  issues: DecodeIssue[];
}

/** Input of {@link decodeConfigSpace}. */
export interface ConfigSpaceInput {
  bdf: string;
  bytes: Uint8Array;
  truncated?: boolean;
  description?: string;
  source?: { file: string; line: number };
  /** Reader problems that belong to this device. */
  problems?: readonly DumpParseError[];
}

/** Header codec issues; the per-field `truncated` issues of a short dump become one (the first field cut). */
function headerIssues(issues: readonly LayoutIssue[]): DecodeIssue[] {
  const out: DecodeIssue[] = [];
  let truncated = false;
  for (const issue of issues) {
    if (issue.code === 'truncated') {
      if (truncated) continue;
      truncated = true;
    }
    out.push({ source: 'header', code: issue.code, offset: issue.byteOffset, message: issue.message, layout: issue.layout });
  }
  return out;
}

function jsonNumber(value: number | bigint): number | string {
  return typeof value === 'bigint' ? (value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString()) : value;
}

/**
 * Decodes one configuration space: the type-0 header with the generated codec, the capability lists with
 * the reference walker. Never throws; every anomaly is an issue.
 */
export function decodeConfigSpace(input: ConfigSpaceInput): DecodedDevice {
  const { bytes } = input;
  const header = decodePciType0Header(bytes);
  const walk = walkCapabilities(bytes);
  const capabilities: DecodedCapability[] = walk.capabilities.map((cap) => {
    const out: DecodedCapability = { offset: cap.offset, id: cap.id, next: cap.next };
    if (cap.length !== undefined) out.capLen = cap.length;
    const virtio = cap.virtio;
    if (virtio) {
      out.cfgType = virtio.cfgType;
      if (virtio.cfgType === VirtioPciCfgType.VENDOR_CFG) {
        if (virtio.vendorId !== undefined) out.vendorId = virtio.vendorId;
      } else {
        out.bar = virtio.bar;
        out.barOffset = jsonNumber(virtio.offset);
        out.length = jsonNumber(virtio.length);
        out.virtioId = virtio.id;
        if (virtio.notifyOffMultiplier !== undefined) out.notifyOffMultiplier = virtio.notifyOffMultiplier;
      }
      if (virtio.reserved) out.reserved = true;
      out.complete = virtio.complete;
    }
    return out;
  });
  const issues: DecodeIssue[] = [
    ...(input.problems ?? []).map((p) => ({ source: 'dump' as const, ...(p.toJSON() as { code: string; message: string }) })),
    ...headerIssues(header.issues),
    ...walk.issues.map((issue: WalkIssue) => ({ source: 'capabilities' as const, ...issue })),
  ];
  return {
    bdf: input.bdf,
    ...(input.description === undefined ? {} : { description: input.description }),
    ...(input.source === undefined ? {} : { source: input.source }),
    configSize: bytes.length,
    truncated: input.truncated ?? false,
    vendorId: header.value.vendorId,
    deviceId: header.value.deviceId,
    header: header.value,
    capabilities,
    extendedCapabilities: walk.extended.map((ext) => ({ offset: ext.offset, id: ext.id, version: ext.version })),
    issues,
  };
}
