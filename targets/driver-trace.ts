/**
 * A driver trace: what a real driver did to one virtio PCI function, as an ordered list of decoded
 * accesses (configuration space or a structure in a BAR, offset, width, read or write, value, and
 * the field the generated layouts name there). A driver target (`guest:`) produces it; the driver
 * checks of conformance/driver judge it. Everything in it came from an untrusted guest and QEMU:
 * names are data, values are whatever was seen.
 */

/** Where an access landed. `config` is configuration space; the others are parts of a BAR. */
export type TraceStructure = 'config' | 'common' | 'notify' | 'isr' | 'device' | 'msix-table' | 'msix-pba' | 'legacy' | 'bar';

/**
 * How far the guest's init had got when an access happened, from the markers it prints: `boot`
 * (firmware and the kernel's PCI enumeration), `probe` (modules loaded, driver initialising the
 * device), `exercise` (device in use), `unbind` (driver removed), `rebind` (driver bound again),
 * `settled`, `shutdown` (power-off).
 */
export type GuestPhase = 'boot' | 'probe' | 'exercise' | 'unbind' | 'rebind' | 'settled' | 'shutdown';

/** One read or write of the device under test. */
export interface TraceAccess {
  /** Position in {@link DriverTrace.accesses}. */
  readonly index: number;
  /** Line of QEMU's trace file it was decoded from. */
  readonly line: number;
  readonly phase: GuestPhase;
  readonly op: 'read' | 'write';
  readonly structure: TraceStructure;
  /** BAR index, for accesses to a BAR. */
  readonly bar?: number;
  /** Offset inside the BAR, for accesses to a BAR. */
  readonly barOffset?: number;
  /** Offset inside the structure; for `config`, the configuration-space offset. */
  readonly offset: number;
  /** Access width in bytes; undefined when QEMU's trace did not say (a config access it could not pair). */
  readonly width?: number;
  /** The value read or written (8-byte values above 2^53 lose their low bits). */
  readonly value: number;
  /** The field the access touches, named after the layouts (`device_status`, `queue_desc[31:0]`, `virtio_pci_notify_cap.notify_off_multiplier`). */
  readonly field?: string;
}

/** A virtio structure capability as configuration space showed it. */
export interface TraceCapability {
  /** Offset of the capability in configuration space. */
  readonly capOffset: number;
  /** cap_len, when the guest read it (a driver need not). */
  readonly capLen?: number;
  readonly cfgType: number;
  readonly bar: number;
  readonly id: number;
  readonly offset: number;
  readonly length: number;
  /** NOTIFY_CFG only. */
  readonly notifyOffMultiplier?: number;
  /** A reserved cfg_type or BAR index: a driver ignores it. */
  readonly reserved: boolean;
}

/** The MSI-X capability. */
export interface TraceMsix {
  readonly capOffset: number;
  /** Table Size field (entries minus one). */
  readonly tableSize: number;
  /** Where the table and the PBA are, when the guest read those registers of the capability. */
  readonly tableBar?: number;
  readonly tableOffset?: number;
  readonly pbaBar?: number;
  readonly pbaOffset?: number;
}

/** One BAR of the device, as the guest programmed it last. */
export interface TraceBar {
  readonly index: number;
  readonly io: boolean;
  readonly base: number;
  /** Size learnt from the sizing probe, when the trace shows one. */
  readonly size?: number;
}

/** The device under test, as its configuration space and QEMU's names show it. */
export interface TraceDevice {
  /** QEMU's device type (`virtio-net-pci`). */
  readonly qemuType: string;
  /** Bus/device/function as the guest addressed it (`01:00.0`). */
  readonly bdf?: string;
  readonly vendorId?: number;
  readonly deviceId?: number;
  readonly revisionId?: number;
  readonly subsystemId?: number;
  /** Virtio device type, from the PCI device ID. */
  readonly virtioDeviceId?: number;
  /** Device ID in the transitional range 0x1000..0x103F. */
  readonly transitional: boolean;
  readonly capabilities: readonly TraceCapability[];
  readonly msix?: TraceMsix;
  readonly bars: readonly TraceBar[];
}

/** A line the guest's init printed through the kernel log (`xvc-guest: ready device=virtio0 status=0x0000000f`). */
export interface GuestMarker {
  /** `load`, `ready`, `stuck`, `exercised`, `unbound`, `rebound`, `done`, `insmod-failed`, `no-device`, `no-driver`, ... */
  readonly name: string;
  /** The rest of the line (`device=virtio0 status=0x0000000f`). */
  readonly detail: string;
  /** Number of accesses before it: the marker sits between `accesses[at - 1]` and `accesses[at]`. */
  readonly at: number;
}

/** A status value the device model took (QEMU's `virtio_set_status`), as the device saw it. */
export interface DeviceStatusEvent {
  /** Number of accesses before it. */
  readonly at: number;
  readonly line: number;
  readonly value: number;
}

/** A message-signalled interrupt the device sent (a device-initiated write to the MSI address window). */
export interface TraceInterrupt {
  /** Number of accesses before it. */
  readonly at: number;
  readonly line: number;
  readonly address: number;
  readonly data: number;
}

/** What the driver did to the device, decoded. */
export interface DriverTrace {
  readonly device: TraceDevice;
  readonly accesses: readonly TraceAccess[];
  readonly markers: readonly GuestMarker[];
  readonly deviceStatus: readonly DeviceStatusEvent[];
  /** Interrupts the device sent, in order among the accesses. */
  readonly interrupts: readonly TraceInterrupt[];
  /** Lines of QEMU's trace file read. */
  readonly lines: number;
  /** Things that could not be decoded (unparsable lines, accesses outside every known region), as text. */
  readonly problems: readonly string[];
  /** The trace file was larger than xvc reads; the end is missing. */
  readonly truncated: boolean;
}
