import type { LayoutIssue, LayoutMeta } from '../../core/codec-runtime.ts';
import { decodePciType0Header, pciType0HeaderLayout, type PciType0Header } from '../../generated/ts/pci/pci-type0-header.ts';
import { walkCapabilities, type WalkIssue } from '../../reference-impl/pci/index.ts';
import { VirtioPciCfgType, virtioPciCapLayout } from '../../generated/ts/virtio/virtio-pci-cap.ts';
import { virtioPciCap64Layout } from '../../generated/ts/virtio/virtio-pci-cap64.ts';
import { virtioPciNotifyCapLayout } from '../../generated/ts/virtio/virtio-pci-notify-cap.ts';
import { virtioPciVndrDataLayout } from '../../generated/ts/virtio/virtio-pci-vndr-data.ts';
import { decodePciMsixCap, PCI_MSIX_CAP_SIZE, pciMsixCapLayout } from '../../generated/ts/pci/pci-msix-cap.ts';
import { PciCapId } from '../../generated/ts/pci/pci-cap-header.ts';
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
  /** MSI-X capability, when all its bytes are in the data. */
  msix?: DecodedMsix;
}

/** An MSI-X capability: where its vector table and pending-bit array are and how many vectors it has. */
export interface DecodedMsix {
  /** Vectors in the table: the Table Size field plus one. */
  vectors: number;
  enabled: boolean;
  functionMask: boolean;
  tableBar: number;
  /** Byte offset of the vector table in its BAR. */
  tableOffset: number;
  pbaBar: number;
  /** Byte offset of the pending-bit array in its BAR. */
  pbaOffset: number;
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

/**
 * What `xvc decode` reports for one function. A value is reported only when every byte it is made of
 * is in the data: a short dump's missing fields are absent (`vendorId`, `deviceId`) or named in
 * `absentHeaderFields`, never filled with a made-up 0.
 */
export interface DecodedDevice {
  bdf: string;
  description?: string;
  source?: { file: string; line: number };
  configSize: number;
  truncated: boolean;
  vendorId?: number;
  deviceId?: number;
  /** The header as the codec decoded it; the fields in `absentHeaderFields` hold no data. */
  header: PciType0Header;
  /** Header fields with at least one byte past the end of the data. */
  absentHeaderFields: (keyof PciType0Header)[];
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

/** Offset and size in bytes of a field of a layout (from the generated metadata, never typed by hand). */
function fieldSpan(layout: LayoutMeta, name: string): { offset: number; size: number } {
  const field = layout.fields.find((candidate) => candidate.name === name);
  if (!field) throw new Error(`layout ${layout.name} has no field ${name}`);
  return { offset: field.offset, size: Math.max(1, Math.ceil((field.bit + field.bits) / 8)) };
}

/** Whether every byte of field `name` of a structure at `base` is in the data. */
function present(bytes: Uint8Array, base: number, layout: LayoutMeta, name: string): boolean {
  const { offset, size } = fieldSpan(layout, name);
  return base + offset + size <= bytes.length;
}

/** Bytes per unit of an MSI-X offset field: the BIR bits below it (from the layout, never typed by hand). */
function offsetUnit(name: 'tableOffset' | 'pbaOffset'): number {
  const field = pciMsixCapLayout.fields.find((candidate) => candidate.name === name);
  if (!field) throw new Error(`layout ${pciMsixCapLayout.name} has no field ${name}`);
  return 2 ** field.bit;
}

/** The MSI-X capability at `offset`, or undefined when some of its bytes are not in the data. */
export function decodeMsix(bytes: Uint8Array, offset: number): DecodedMsix | undefined {
  if (offset + PCI_MSIX_CAP_SIZE > bytes.length) return undefined;
  const { value } = decodePciMsixCap(bytes, offset);
  return {
    vectors: value.tableSize + 1,
    enabled: value.enable,
    functionMask: value.functionMask,
    tableBar: value.tableBir,
    tableOffset: value.tableOffset * offsetUnit('tableOffset'),
    pbaBar: value.pbaBir,
    pbaOffset: value.pbaOffset * offsetUnit('pbaOffset'),
  };
}

/**
 * Decodes one configuration space: the type-0 header with the generated codec, the capability lists with
 * the reference walker. Never throws; every anomaly is an issue. Nothing is reported for a byte past
 * the end of the data: such fields are left out, and issues about values made of such bytes (a
 * "reserved cfg_type 0" read from nothing) are dropped, the truncation itself being the issue.
 */
export function decodeConfigSpace(input: ConfigSpaceInput): DecodedDevice {
  const { bytes } = input;
  const header = decodePciType0Header(bytes);
  const walk = walkCapabilities(bytes);
  const capabilities: DecodedCapability[] = walk.capabilities.map((cap) => {
    const out: DecodedCapability = { offset: cap.offset, id: cap.id, next: cap.next };
    if (cap.length !== undefined && present(bytes, cap.offset, virtioPciCapLayout, 'capLen')) out.capLen = cap.length;
    const virtio = cap.virtio;
    if (virtio && present(bytes, cap.offset, virtioPciCapLayout, 'cfgType')) {
      const has = (layout: LayoutMeta, name: string): boolean => present(bytes, cap.offset, layout, name);
      out.cfgType = virtio.cfgType;
      if (virtio.cfgType === VirtioPciCfgType.VENDOR_CFG) {
        if (virtio.vendorId !== undefined && has(virtioPciVndrDataLayout, 'vendorId')) out.vendorId = virtio.vendorId;
      } else {
        const wide = virtio.cfgType === VirtioPciCfgType.SHARED_MEMORY_CFG;
        if (has(virtioPciCapLayout, 'bar')) out.bar = virtio.bar;
        if (has(virtioPciCapLayout, 'offset') && (!wide || has(virtioPciCap64Layout, 'offsetHi'))) out.barOffset = jsonNumber(virtio.offset);
        if (has(virtioPciCapLayout, 'length') && (!wide || has(virtioPciCap64Layout, 'lengthHi'))) out.length = jsonNumber(virtio.length);
        if (has(virtioPciCapLayout, 'id')) out.virtioId = virtio.id;
        if (virtio.notifyOffMultiplier !== undefined && has(virtioPciNotifyCapLayout, 'notifyOffMultiplier')) out.notifyOffMultiplier = virtio.notifyOffMultiplier;
      }
      // The cfg_type byte is there; a missing BAR byte decodes as 0, which is never a reserved BAR.
      if (virtio.reserved) out.reserved = true;
      out.complete = virtio.complete;
    } else if (virtio) {
      out.complete = false;
    }
    if (cap.id === PciCapId.MSIX) {
      const msix = decodeMsix(bytes, cap.offset);
      if (msix !== undefined) out.msix = msix;
    }
    return out;
  });
  // A function without a capability list (CAP_LIST clear, pointer 0: a host bridge, say) is no anomaly
  // for a decoder; one whose status and pointer disagree still is.
  const pointerAbsent = !present(bytes, 0, pciType0HeaderLayout, 'capabilitiesPointer') || header.value.capabilitiesPointer === 0;
  const walkIssues = walk.issues.filter(
    (issue: WalkIssue) => (issue.code === 'truncated' || issue.offset < bytes.length) && !(issue.code === 'no-capability-list' && pointerAbsent),
  );
  const issues: DecodeIssue[] = [
    ...(input.problems ?? []).map((p) => ({ source: 'dump' as const, ...(p.toJSON() as { code: string; message: string }) })),
    ...headerIssues(header.issues),
    ...walkIssues.map((issue: WalkIssue) => ({ source: 'capabilities' as const, ...issue })),
  ];
  const absentHeaderFields = pciType0HeaderLayout.fields
    .filter((field) => !present(bytes, 0, pciType0HeaderLayout, field.name))
    .map((field) => field.name as keyof PciType0Header);
  return {
    bdf: input.bdf,
    ...(input.description === undefined ? {} : { description: input.description }),
    ...(input.source === undefined ? {} : { source: input.source }),
    configSize: bytes.length,
    truncated: input.truncated ?? false,
    ...(present(bytes, 0, pciType0HeaderLayout, 'vendorId') && { vendorId: header.value.vendorId }),
    ...(present(bytes, 0, pciType0HeaderLayout, 'deviceId') && { deviceId: header.value.deviceId }),
    header: header.value,
    absentHeaderFields,
    capabilities,
    extendedCapabilities: walk.extended.map((ext) => ({ offset: ext.offset, id: ext.id, version: ext.version })),
    issues,
  };
}
