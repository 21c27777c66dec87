/**
 * How the driver touches the device layout (VS13 §4.1.3.1, §4.1.4.1, §4.1.4.9.2): natural widths and
 * alignment in the common configuration, the ISR and the device configuration; capability fields not
 * written (but the PCI configuration access window's); the window's offset aligned to its length and
 * aimed only at a structure another capability describes.
 */
import type { LayoutMeta } from '../../../core/codec-runtime.ts';
import { virtioPciCap64Layout } from '../../../generated/ts/virtio/virtio-pci-cap64.ts';
import { virtioPciCapLayout, VirtioPciCfgType } from '../../../generated/ts/virtio/virtio-pci-cap.ts';
import { virtioPciCfgCapLayout } from '../../../generated/ts/virtio/virtio-pci-cfg-cap.ts';
import { virtioPciCommonCfgLayout } from '../../../generated/ts/virtio/virtio-pci-common-cfg.ts';
import { virtioPciNotifyCapLayout } from '../../../generated/ts/virtio/virtio-pci-notify-cap.ts';
import type { TraceAccess, TraceCapability } from '../../../targets/driver-trace.ts';
import { firstViolation, hex, notApplicable, passed, violation, type DriverCheckInput, type DriverFinding } from '../driver-finding.ts';

const BYTE_BITS = 8;
const DWORD_BYTES = 4;

/** The access shape PCI-DRV-05 asks for at `offset` of the common configuration, or why the access is wrong. */
function commonAccessProblem(access: TraceAccess): string | undefined {
  const width = access.width;
  if (width === undefined) return undefined;
  const field = virtioPciCommonCfgLayout.fields.find((f) => access.offset >= f.offset && access.offset < f.offset + f.bits / BYTE_BITS);
  if (!field) return undefined;
  const bytes = field.bits / BYTE_BITS;
  const wanted = Math.min(bytes, DWORD_BYTES);
  const start = bytes > DWORD_BYTES ? field.offset + Math.floor((access.offset - field.offset) / DWORD_BYTES) * DWORD_BYTES : field.offset;
  if (width !== wanted || access.offset !== start) return `a ${width}-byte access at ${hex(access.offset)} to ${field.specName} (${bytes * BYTE_BITS}-bit field: ${wanted}-byte accesses at ${hex(start)}${bytes > DWORD_BYTES ? ` or ${hex(start + DWORD_BYTES)}` : ''})`;
  return undefined;
}

/** PCI-DRV-05: natural-width, aligned accesses to the common configuration, the ISR and the device configuration. */
export function checkAccessWidths({ session }: DriverCheckInput): DriverFinding {
  const findings: DriverFinding[] = [];
  for (const access of session.scope) {
    if (access.width === undefined) continue;
    let problem: string | undefined;
    if (access.structure === 'common') problem = commonAccessProblem(access);
    else if (access.structure === 'isr') problem = access.width === 1 ? undefined : `a ${access.width}-byte access to the 8-bit ISR status`;
    else if (access.structure === 'device') problem = access.offset % access.width === 0 ? undefined : `a ${access.width}-byte access at unaligned device configuration offset ${hex(access.offset)}`;
    else continue;
    findings.push(problem === undefined ? passed() : violation(problem, [access.index]));
  }
  return firstViolation(findings, 'the driver made no access to the common configuration, ISR or device configuration');
}

function capabilityLayout(cap: TraceCapability): LayoutMeta {
  if (cap.cfgType === VirtioPciCfgType.NOTIFY_CFG) return virtioPciNotifyCapLayout;
  if (cap.cfgType === VirtioPciCfgType.PCI_CFG) return virtioPciCfgCapLayout;
  if (cap.cfgType === VirtioPciCfgType.SHARED_MEMORY_CFG) return virtioPciCap64Layout;
  return virtioPciCapLayout;
}

/** The bytes a capability covers: cap_len when the trace shows it, else its structure's size. */
function capabilityEnd(cap: TraceCapability): number {
  return cap.capOffset + (cap.capLen ?? capabilityLayout(cap).size);
}

/** PCI-DRV-12: no configuration write lands in a virtio capability, but in the driver-writable fields of the PCI configuration access capability. */
export function checkCapabilityWrites({ session, trace }: DriverCheckInput): DriverFinding {
  const caps = trace.device.capabilities;
  const findings: DriverFinding[] = [];
  for (const access of session.scope) {
    if (access.structure !== 'config' || access.op !== 'write') continue;
    const end = access.offset + (access.width ?? 1);
    const cap = caps.find((c) => c.capOffset < end && capabilityEnd(c) > access.offset);
    if (!cap) continue;
    const layout = capabilityLayout(cap);
    const writable = cap.cfgType === VirtioPciCfgType.PCI_CFG && layout.fields.filter((f) => f.access === 'driver-writable').some((f) => access.offset >= cap.capOffset + f.offset && end <= cap.capOffset + f.offset + f.bits / BYTE_BITS);
    findings.push(writable ? passed() : violation(`wrote ${hex(access.value)} at configuration offset ${hex(access.offset)}, inside the ${layout.name} at ${hex(cap.capOffset)} (${access.field ?? 'no driver-writable field'})`, [access.index]));
  }
  return firstViolation(findings, 'the driver wrote no virtio capability');
}

/** The PCI configuration access window's field `name` as configuration-space offset and width. */
function windowField(cap: TraceCapability, name: string): { offset: number; bytes: number } {
  const field = virtioPciCfgCapLayout.fields.find((f) => f.specName === name)!;
  return { offset: cap.capOffset + field.offset, bytes: field.bits / BYTE_BITS };
}

interface WindowUse {
  access: TraceAccess;
  kind: 'offset-write' | 'data';
  bar?: number;
  offset?: number;
  length?: number;
}

/** Follows the window's bar/offset/length as the driver writes them, and lists offset writes and data accesses. */
function windowUses(session: DriverCheckInput['session'], cap: TraceCapability): WindowUse[] {
  const bar = windowField(cap, 'bar');
  const offset = windowField(cap, 'offset');
  const length = windowField(cap, 'length');
  const data = windowField(cap, 'pci_cfg_data');
  const state: { bar?: number; offset?: number; length?: number } = {};
  const uses: WindowUse[] = [];
  for (const access of session.scope) {
    if (access.structure !== 'config') continue;
    const at = (field: { offset: number; bytes: number }): boolean => access.offset === field.offset;
    if (access.op === 'write' && at(bar)) state.bar = access.value & 0xff;
    else if (at(length)) state.length = access.value;
    else if (at(offset)) {
      state.offset = access.value;
      if (access.op === 'write') uses.push({ access, kind: 'offset-write', ...state });
    } else if (access.offset >= data.offset && access.offset < data.offset + data.bytes) uses.push({ access, kind: 'data', ...state });
  }
  return uses;
}

function windowCap(trace: DriverCheckInput['trace']): TraceCapability | undefined {
  return trace.device.capabilities.find((c) => c.cfgType === VirtioPciCfgType.PCI_CFG && !c.reserved);
}

/** PCI-DRV-23: the window's offset is a multiple of its length. */
export function checkWindowAlignment({ session, trace }: DriverCheckInput): DriverFinding {
  const cap = windowCap(trace);
  if (!cap) return notApplicable('the device has no PCI configuration access capability');
  const uses = windowUses(session, cap).filter((use) => use.kind === 'offset-write' || use.kind === 'data');
  if (uses.length === 0) return notApplicable('the driver did not use the PCI configuration access window');
  return firstViolation(
    uses.map((use) => (use.length === undefined || use.offset === undefined || (use.length > 0 && use.offset % use.length === 0) ? passed() : violation(`window offset ${hex(use.offset)} is not a multiple of its length ${use.length}`, [use.access.index]))),
    'the driver did not use the PCI configuration access window',
  );
}

/** PCI-DRV-24: pci_cfg_data is used only onto bytes another virtio capability describes. */
export function checkWindowTarget({ session, trace }: DriverCheckInput): DriverFinding {
  const cap = windowCap(trace);
  if (!cap) return notApplicable('the device has no PCI configuration access capability');
  const uses = windowUses(session, cap).filter((use) => use.kind === 'data');
  if (uses.length === 0) return notApplicable('the driver never accessed pci_cfg_data');
  const described = trace.device.capabilities.filter((c) => c.cfgType !== VirtioPciCfgType.PCI_CFG && c.cfgType !== VirtioPciCfgType.VENDOR_CFG && !c.reserved);
  return firstViolation(
    uses.map((use) => {
      const { bar, offset, length } = use;
      if (bar === undefined || offset === undefined || length === undefined) return violation('pci_cfg_data accessed before the window\'s bar, offset and length were all set', [use.access.index]);
      const inside = described.some((c) => c.bar === bar && offset >= c.offset && offset + length <= c.offset + c.length);
      return inside ? passed() : violation(`pci_cfg_data accessed with the window on BAR ${bar} ${hex(offset)}+${length}, which no other virtio capability describes`, [use.access.index]);
    }),
    'the driver never accessed pci_cfg_data',
  );
}
