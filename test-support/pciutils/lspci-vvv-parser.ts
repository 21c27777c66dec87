/**
 * Reads what `lspci -F FILE -vvv` (pciutils 3.9) prints, keeping only what the differential test
 * compares: each device's capability offsets and IDs, the virtio details pciutils decodes, and the
 * extended capabilities' offsets and versions. lspci prints capability names, not IDs; the table below
 * maps the names lspci's `show_caps` prints back to the IDs it switched on.
 */

/** The virtio fields lspci prints for a vendor-specific capability of a virtio device. */
export interface LspciVirtio {
  /** `CommonCfg`, `Notify`, `ISR`, `DeviceCfg`, `<unknown>` (3.9 prints every other cfg_type so). */
  typeName: string;
  bar?: number;
  offset?: number;
  size?: number;
  multiplier?: number;
}

/** One legacy capability line. */
export interface LspciCapability {
  offset: number;
  /** The capability ID, recovered from the name; undefined when the name is not in the table. */
  id: number | undefined;
  text: string;
  virtio?: LspciVirtio;
}

/** One extended capability line (`[100 v1] Name`). */
export interface LspciExtendedCapability {
  offset: number;
  version: number;
  text: string;
}

/** One device of the listing. */
export interface LspciDevice {
  /** Address with a domain: `0000:00:03.0`. */
  address: string;
  capabilities: LspciCapability[];
  extended: LspciExtendedCapability[];
  /** How the legacy walk ended when lspci said so: `<chain looped>`, `<chain broken>`, `<access denied>`. */
  terminator?: string;
}

/** Names lspci 3.9 prints per capability ID (its `show_caps` switch). */
const CAPABILITY_NAMES: Array<[RegExp, number]> = [
  [/^Power Management version/, 0x01],
  [/^AGP version/, 0x02],
  [/^Vital Product Data/, 0x03],
  [/^Slot ID:/, 0x04],
  [/^MSI:/, 0x05],
  [/^CompactPCI hot-swap/, 0x06],
  [/^PCI-X (non-)?bridge device/, 0x07],
  [/^HyperTransport/, 0x08],
  [/^Vendor Specific Information/, 0x09],
  [/^VirtIO:/, 0x09], // pciutils before 3.8 printed virtio capabilities without the prefix
  [/^Debug port/, 0x0a],
  [/^CompactPCI central resource control/, 0x0b],
  [/^Hot-plug capable/, 0x0c],
  [/^Subsystem:/, 0x0d],
  [/^AGP3/, 0x0e],
  [/^Secure device/, 0x0f],
  [/^Express /, 0x10],
  [/^MSI-X:/, 0x11],
  [/^SATA HBA/, 0x12],
  [/^PCI Advanced Features/, 0x13],
  [/^Enhanced Allocation/, 0x14],
];

const DEVICE_LINE = /^(?:([0-9a-f]{4,5}):)?([0-9a-f]{2}):([0-9a-f]{2})\.([0-7]) /;
const CAPABILITY_LINE = /^\tCapabilities: \[([0-9a-f]{2})\] (.*)$/;
const EXTENDED_LINE = /^\tCapabilities: \[([0-9a-f]{3}) v(\d+)\] (.*)$/;
const ACCESS_DENIED = /^\tCapabilities: <access denied>/;
const VIRTIO_NAME = /VirtIO: (.*)$/;
const VIRTIO_FIELDS = /^\t\tBAR=(\d+) offset=([0-9a-f]+) size=([0-9a-f]+)(?: multiplier=([0-9a-f]+))?/;
const VIRTIO_MULTIPLIER = /^\t\tmultiplier=([0-9a-f]+)/;

/** Maps a capability's printed text to its ID. */
export function capabilityIdFromText(text: string): number | undefined {
  const unknown = /^#([0-9a-f]{2}) \[/.exec(text);
  if (unknown) return parseInt(unknown[1]!, 16);
  return CAPABILITY_NAMES.find(([pattern]) => pattern.test(text))?.[1];
}

/** Parses the whole `lspci -vvv` output. Never throws; lines it does not know are skipped. */
export function parseLspciVerbose(output: string): LspciDevice[] {
  const devices: LspciDevice[] = [];
  let device: LspciDevice | undefined;
  let lastVirtio: LspciVirtio | undefined;
  for (const line of output.split('\n')) {
    const header = DEVICE_LINE.exec(line);
    if (header) {
      device = { address: `${(header[1] ?? '0000').padStart(4, '0')}:${header[2]}:${header[3]}.${header[4]}`, capabilities: [], extended: [] };
      devices.push(device);
      lastVirtio = undefined;
      continue;
    }
    if (!device) continue;
    const extended = EXTENDED_LINE.exec(line);
    if (extended) {
      device.extended.push({ offset: parseInt(extended[1]!, 16), version: Number(extended[2]), text: extended[3]! });
      lastVirtio = undefined;
      continue;
    }
    const capability = CAPABILITY_LINE.exec(line);
    if (capability) {
      const text = capability[2]!;
      lastVirtio = undefined;
      if (text.startsWith('<chain')) {
        device.terminator = text;
        continue;
      }
      const entry: LspciCapability = { offset: parseInt(capability[1]!, 16), id: capabilityIdFromText(text), text };
      const virtio = VIRTIO_NAME.exec(text);
      if (virtio) {
        entry.virtio = { typeName: virtio[1]!.trim() };
        lastVirtio = entry.virtio;
      }
      device.capabilities.push(entry);
      continue;
    }
    if (ACCESS_DENIED.test(line)) {
      device.terminator = '<access denied>';
      continue;
    }
    if (lastVirtio) {
      const fields = VIRTIO_FIELDS.exec(line);
      if (fields) {
        lastVirtio.bar = Number(fields[1]);
        lastVirtio.offset = parseInt(fields[2]!, 16);
        lastVirtio.size = parseInt(fields[3]!, 16);
        if (fields[4] !== undefined) lastVirtio.multiplier = parseInt(fields[4], 16);
        continue;
      }
      const multiplier = VIRTIO_MULTIPLIER.exec(line);
      if (multiplier) lastVirtio.multiplier = parseInt(multiplier[1]!, 16);
    }
  }
  return devices;
}

/** The cfg_type lspci 3.9 names, or undefined for `<unknown>` (any other value). */
export function lspciVirtioCfgType(typeName: string): number | undefined {
  return { CommonCfg: 1, Notify: 2, ISR: 3, DeviceCfg: 4 }[typeName];
}
