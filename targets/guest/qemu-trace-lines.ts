/**
 * QEMU's trace lines (the `log` backend, `-trace ... -D FILE`) as typed events. Only the events the
 * guest target asks for are recognised; any other line, or a line cut short, is `undefined`. The
 * formats are those of QEMU's trace-events files:
 *
 *   pci_cfg_read DEV BB:DD.F @0xOFF -> 0xVAL          (hw/pci/trace-events)
 *   pci_cfg_write DEV BB:DD.F @0xOFF <- 0xVAL
 *   memory_region_ops_read cpu N mr 0xPTR addr 0xADDR value 0xVAL size N name 'REGION'   (softmmu/trace-events)
 *   memory_region_ops_write ...
 *   virtio_set_status vdev 0xPTR val N                (hw/virtio/trace-events)
 *
 * A line may carry the `PID@SECONDS.MICROS:` prefix QEMU adds with `-msg timestamp=on`.
 */

/** A configuration-space access QEMU's PCI host performed for a device (no width: QEMU does not trace it). */
export interface PciConfigEvent {
  readonly kind: 'pci-config';
  readonly op: 'read' | 'write';
  readonly device: string;
  readonly bus: number;
  readonly slot: number;
  readonly fn: number;
  readonly offset: number;
  readonly value: number;
}

/** A read or write of a memory region with callbacks (MMIO or port I/O); `cpu` is -1 for device-initiated ones. */
export interface RegionAccessEvent {
  readonly kind: 'region';
  readonly op: 'read' | 'write';
  readonly cpu: number;
  /** Absolute address (guest-physical, or the I/O port). */
  readonly address: number;
  readonly value: number;
  readonly size: number;
  readonly region: string;
}

/** The device model's status byte changed (driver write, reset, or QEMU itself). */
export interface SetStatusEvent {
  readonly kind: 'set-status';
  readonly value: number;
}

/** One recognised trace event. */
export type QemuTraceEvent = PciConfigEvent | RegionAccessEvent | SetStatusEvent;

/** Longest line parsed; QEMU's lines for these events are well under 300 characters. */
export const MAX_TRACE_LINE = 1024;

const PREFIX = /^(?:\d+@\d+\.\d+:)?/.source;
const PCI_CFG = new RegExp(`${PREFIX}pci_cfg_(read|write) (\\S+) ([0-9a-f]{2}):([0-9a-f]{2})\\.([0-7]) @0x([0-9a-f]+) (?:->|<-) 0x([0-9a-f]+)\\s*$`);
const REGION = new RegExp(`${PREFIX}memory_region_ops_(read|write) cpu (-?\\d+) mr 0x[0-9a-f]+ addr 0x([0-9a-f]+) value 0x([0-9a-f]+) size (\\d+) name '(.*)'\\s*$`);
const SET_STATUS = new RegExp(`${PREFIX}virtio_set_status vdev 0x[0-9a-f]+ val (\\d+)\\s*$`);

/** A hex number as a JS number; values past 2^53 keep their high bits only (no trace value we judge is that large). */
function hex(text: string): number {
  return text.length <= 13 ? Number.parseInt(text, 16) : Number(BigInt(`0x${text}`));
}

/** Parses one line; `undefined` for lines of other events, malformed lines and lines over {@link MAX_TRACE_LINE}. */
export function parseTraceLine(line: string): QemuTraceEvent | undefined {
  if (line.length > MAX_TRACE_LINE) return undefined;
  const at = line.indexOf('pci_cfg_') >= 0 ? 'pci' : line.indexOf('memory_region_ops_') >= 0 ? 'region' : line.indexOf('virtio_set_status') >= 0 ? 'status' : undefined;
  if (at === 'pci') {
    const match = PCI_CFG.exec(line);
    if (!match) return undefined;
    return {
      kind: 'pci-config',
      op: match[1] as 'read' | 'write',
      device: match[2]!,
      bus: hex(match[3]!),
      slot: hex(match[4]!),
      fn: Number(match[5]),
      offset: hex(match[6]!),
      value: hex(match[7]!),
    };
  }
  if (at === 'region') {
    const match = REGION.exec(line);
    if (!match) return undefined;
    return { kind: 'region', op: match[1] as 'read' | 'write', cpu: Number(match[2]), address: hex(match[3]!), value: hex(match[4]!), size: Number(match[5]), region: match[6]! };
  }
  if (at === 'status') {
    const match = SET_STATUS.exec(line);
    return match ? { kind: 'set-status', value: Number(match[1]) } : undefined;
  }
  return undefined;
}
