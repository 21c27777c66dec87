/**
 * `xvc decode PATH [--json]`: decodes every function of a dump (lspci text, raw binary, or a directory of
 * them): the type-0 header, every capability (virtio structure capabilities with cfg_type, BAR, offset,
 * length, notify multiplier) and the extended capabilities, plus every problem found on the way.
 */
import { categoryExitCodes } from '../../core/diagnostics.ts';
import { terminalSafe, terminalSafeJson } from '../../core/terminal-text.ts';
import { pciCapIdNames } from '../../generated/ts/pci/pci-cap-header.ts';
import type { PciType0Header } from '../../generated/ts/pci/pci-type0-header.ts';
import { pciExtCapIdNames } from '../../generated/ts/pci/pci-ext-cap-header.ts';
import { virtioPciCfgTypeNames } from '../../generated/ts/virtio/virtio-pci-cap.ts';
import { streamDecodedDump, type DecodedCapability, type DecodedDevice } from '../../targets/dump.ts';
import type { CommandIo } from '../main.ts';
import { commandUsage, parseCommandArgs } from '../command-options.ts';

/** Help text of `xvc decode` (spec/commands.yaml). */
export const usage = commandUsage('decode');

/** The JSON document `--json` prints. */
export interface DecodeJson {
  devices: Array<Omit<DecodedDevice, 'header'>>;
  /** Reader problems not tied to one device (unreadable files, stray lines). */
  problems: Array<Record<string, unknown>>;
}


/** Characters of decoded output gathered before they are written. */
const OUTPUT_BATCH_CHARS = 64 * 1024;

/** Runs `xvc decode`. */
export async function run(args: string[], io: CommandIo): Promise<number> {
  const parsed = parseCommandArgs('decode', args);
  if (!parsed.ok) {
    io.stderr(`xvc decode: ${terminalSafe(parsed.message)}\n${usage}`);
    return categoryExitCodes.usage;
  }
  if (parsed.values.help) {
    io.stdout(usage);
    return 0;
  }
  const json = parsed.values.json ?? false;
  const paths = parsed.positionals;
  if (paths.length !== 1) {
    io.stderr(`xvc decode: expected exactly one PATH\n${usage}`);
    return categoryExitCodes.usage;
  }
  // Streamed: each device is printed as soon as its file is read, so a directory of thousands of
  // dumps is decoded in the memory of one file. The JSON document is written piece by piece.
  const loose: Record<string, unknown>[] = [];
  let devices = 0;
  let malformed = false;
  // Devices are printed in batches: a write per device was a seventh of decoding 12,000 of them.
  let pending = '';
  const print = (text: string): void => {
    pending += text;
    if (pending.length >= OUTPUT_BATCH_CHARS) flush();
  };
  const flush = (): void => {
    if (pending !== '') io.stdout(pending);
    pending = '';
  };
  print(json ? '{\n "devices": [' : '');
  for (const item of streamDecodedDump(paths[0]!)) {
    if (item.kind === 'problem') {
      // What was printed before a problem is shown before it.
      flush();
      io.stderr(`${terminalSafe(item.problem.located)}\n`);
      if (item.problem.severity === 'error') malformed = true;
      if (!item.attached) loose.push(item.problem.toJSON());
      continue;
    }
    const { header: _header, ...device } = item.device;
    if (json) print(`${devices === 0 ? '' : ','}\n  ${terminalSafeJson(JSON.stringify(device, null, 1)).replaceAll('\n', '\n  ')}`);
    else print(`${devices === 0 ? '' : '\n'}${formatDevice(item.device)}`);
    devices += 1;
  }
  flush();
  if (json) io.stdout(`${devices === 0 ? '' : '\n '}],\n "problems": ${terminalSafeJson(JSON.stringify(loose, null, 1)).replaceAll('\n', '\n ')}\n}\n`);
  return malformed || devices === 0 ? categoryExitCodes.input : 0;
}

/** Strips control characters from untrusted text before it reaches a terminal. */
function plain(text: string): string {
  return terminalSafe(text);
}

function capabilityName(cap: DecodedCapability): string {
  return pciCapIdNames[String(cap.id)] ?? 'unknown';
}

/** Human-readable text of one device; a field whose bytes are not in the dump prints as `??`. */
export function formatDevice(device: DecodedDevice): string {
  // Only the fields whose bytes are all in the dump: the others print as ??. A whole dump has none
  // absent, and then the header is used as it is (a copy per device was a fifth of decoding 12,000).
  const h: Partial<PciType0Header> = device.absentHeaderFields.length === 0 ? device.header : withoutFields(device.header, device.absentHeaderFields);
  const lines: string[] = [];
  lines.push(`${plain(device.bdf)}${device.description ? `  ${plain(device.description)}` : ''}`);
  const where = device.source && device.source.line > 0 ? `${plain(device.source.file)}:${device.source.line}` : device.source?.file;
  lines.push(`  ${device.configSize} bytes${device.truncated ? ' (truncated: decoded as far as it goes)' : ''}${where ? `, from ${plain(where)}` : ''}`);
  lines.push(
    `  vendor ${hex(h.vendorId, 4)}  device ${hex(h.deviceId, 4)}  revision ${hex(h.revisionId, 2)}  class ${hex(h.baseClass, 2)}${hex(h.subClass, 2)}${hex(h.progIf, 2)}  header type ${hex(h.headerLayout, 2)}${h.multiFunction ? ' (multi-function)' : ''}`,
  );
  lines.push(`  subsystem ${hex(h.subsystemVendorId, 4)}:${hex(h.subsystemId, 4)}  command ${hex(h.command, 4)}  status ${hex(h.status, 4)}  capabilities pointer ${hex(h.capabilitiesPointer, 2)}  interrupt pin ${h.interruptPin ?? '??'}`);
  lines.push(`  BARs ${[h.bar0, h.bar1, h.bar2, h.bar3, h.bar4, h.bar5].map((b) => hex(b, 8)).join(' ')}`);
  lines.push(device.capabilities.length === 0 ? '  capabilities: none' : '  capabilities:');
  for (const cap of device.capabilities) {
    let text = `    [${hex(cap.offset, 2)}] ${hex(cap.id, 2)} ${capabilityName(cap)}  next ${hex(cap.next, 2)}`;
    if (cap.capLen !== undefined) text += `  cap_len ${cap.capLen}`;
    if (cap.msix !== undefined) {
      const msix = cap.msix;
      text += `  table size ${msix.vectors}  table BAR ${msix.tableBar} offset 0x${hex(msix.tableOffset)}  PBA BAR ${msix.pbaBar} offset 0x${hex(msix.pbaOffset)}`;
      text += `${msix.enabled ? '  enabled' : '  disabled'}${msix.functionMask ? '  function masked' : ''}`;
    }
    if (cap.cfgType !== undefined) {
      text += `  virtio ${virtioPciCfgTypeNames[String(cap.cfgType)] ?? `reserved cfg_type ${cap.cfgType}`}`;
      if (cap.bar !== undefined) text += `  bar ${cap.bar}`;
      if (cap.barOffset !== undefined) text += `  offset 0x${hexOf(cap.barOffset)}`;
      if (cap.length !== undefined) text += `  length 0x${hexOf(cap.length)}`;
      if (cap.virtioId !== undefined) text += `  id ${cap.virtioId}`;
      if (cap.notifyOffMultiplier !== undefined) text += `  notify_off_multiplier ${cap.notifyOffMultiplier}`;
      if (cap.vendorId !== undefined) text += `  vendor_id ${hex(cap.vendorId, 4)}`;
      if (cap.reserved) text += '  (reserved: a driver ignores it)';
    }
    lines.push(text);
  }
  if (device.configSize > 256) {
    lines.push(device.extendedCapabilities.length === 0 ? '  extended capabilities: none' : '  extended capabilities:');
    for (const ext of device.extendedCapabilities) lines.push(`    [${hex(ext.offset, 3)}] ${hex(ext.id, 4)} ${pciExtCapIdNames[String(ext.id)] ?? ''} version ${ext.version}`.trimEnd());
  }
  lines.push(device.issues.length === 0 ? '  issues: none' : '  issues:');
  for (const issue of device.issues) lines.push(`    ${issue.source} ${issue.code}${issue.offset !== undefined ? ` at 0x${hex(issue.offset)}` : ''}: ${plain(issue.message)}`);
  return `${lines.join('\n')}\n`;
}

/** `header` without `absent`, so that those print as unknown. */
function withoutFields(header: PciType0Header, absent: readonly (keyof PciType0Header)[]): Partial<PciType0Header> {
  const copy: Partial<PciType0Header> = { ...header };
  for (const name of absent) delete copy[name];
  return copy;
}

/** `value` in hex, at least `digits` wide; `?`s when the dump does not hold it. */
function hex(value: number | boolean | undefined, digits = 0): string {
  return typeof value === 'number' ? value.toString(16).padStart(digits, '0') : '?'.repeat(Math.max(2, digits));
}

function hexOf(value: number | string): string {
  return typeof value === 'number' ? value.toString(16) : BigInt(value).toString(16);
}
