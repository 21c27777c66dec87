import { TargetError } from '../device-target.ts';

/** Where the device sits: on the q35 root bus (conventional PCI, 256 bytes) or behind a `pcie-root-port` (PCI Express, 4 KiB). */
export type QemuPlacement = 'root-bus' | 'root-port';
/**
 * How the guest CPU is kept out of the way: `paused` (`-S`, the default), or `halted` (no `-S`; a 64 KiB
 * BIOS of HLT bytes parks the CPU), for devices that drop data-path requests while the VM is stopped.
 */
export type QemuRunMode = 'paused' | 'halted';

/** How `readBar`/`writeBar` reach the BARs: memory and port I/O cycles, or the virtio PCI_CFG window in config space. */
export type QemuBarAccess = 'mmio' | 'pci-cfg';

/** A parsed `qemu:DEVICE[,props][,grants=on][@pcie][@halted][@pcicfg]` target spec. */
export interface QemuDeviceSpec {
  /** The spec as written, with the `qemu:` prefix. */
  spec: string;
  /** QEMU device type, e.g. `virtio-net-pci`. */
  device: string;
  /** `key=value` properties as written, in order. */
  props: string[];
  placement: QemuPlacement;
  runMode: QemuRunMode;
  barAccess: QemuBarAccess;
  /**
   * `grants=on`: xvc's own option, not passed to QEMU. It says the device will be used with Xen grant
   * mappings, a condition some requirements have that QEMU's properties cannot say (VIRTIO-DEV-11).
   * Absent means off.
   */
  grants?: boolean;
}

/** xvc's own `key=value` options in a qemu spec: read by xvc, never passed to QEMU. */
const XVC_OPTIONS = new Set(['grants']);

const DEVICE_NAME = /^[a-z0-9][a-z0-9._-]*$/;
const PROP = /^[a-zA-Z0-9_.-]+=[^,@\s]*$/;
/** Properties xvc sets itself to place the device; a user value would put it where xvc does not look. */
const RESERVED_PROPS = new Set(['bus', 'addr', 'id']);

/**
 * Parses a `qemu:` target spec. `@pcie` puts the device behind a PCI Express root port, `@halted` uses the
 * HLT-BIOS run mode, `@pcicfg` sends BAR accesses through the virtio PCI configuration access capability.
 * Never throws: a bad spec is a `TargetError('targetInput')`.
 */
export function parseQemuDeviceSpec(spec: string): QemuDeviceSpec | TargetError {
  const body = spec.startsWith('qemu:') ? spec.slice('qemu:'.length) : spec;
  const [main = '', ...flags] = body.split('@');
  let placement: QemuPlacement = 'root-bus';
  let runMode: QemuRunMode = 'paused';
  let barAccess: QemuBarAccess = 'mmio';
  for (const flag of flags) {
    if (flag === 'pcie') placement = 'root-port';
    else if (flag === 'halted') runMode = 'halted';
    else if (flag === 'pcicfg') barAccess = 'pci-cfg';
    else return new TargetError('targetInput', `unknown qemu target flag '@${flag}' in '${spec}' (known: @pcie, @halted, @pcicfg)`);
  }
  const [device = '', ...written] = main.split(',');
  if (!DEVICE_NAME.test(device)) return new TargetError('targetInput', `'${device}' is not a QEMU device name (in '${spec}')`);
  const props: string[] = [];
  let grants = false;
  for (const prop of written) {
    if (!PROP.test(prop)) return new TargetError('targetInput', `'${prop}' is not a key=value device property (in '${spec}')`);
    const key = prop.slice(0, prop.indexOf('='));
    const value = prop.slice(key.length + 1);
    if (RESERVED_PROPS.has(key)) return new TargetError('targetInput', `property '${key}' is set by xvc to place the device; remove it from '${spec}'`);
    if (XVC_OPTIONS.has(key)) {
      if (value !== 'on' && value !== 'off') return new TargetError('targetInput', `xvc option '${key}' takes on or off, not '${value}' (in '${spec}')`);
      grants = value === 'on';
      continue;
    }
    props.push(prop);
  }
  return { spec: spec.startsWith('qemu:') ? spec : `qemu:${spec}`, device, props, placement, runMode, barAccess, grants };
}

/** Writes a spec back in its canonical text form. */
export function formatQemuDeviceSpec(spec: Omit<QemuDeviceSpec, 'spec' | 'barAccess' | 'grants'> & { barAccess?: QemuBarAccess; grants?: boolean }): string {
  const flags = `${spec.placement === 'root-port' ? '@pcie' : ''}${spec.runMode === 'halted' ? '@halted' : ''}${spec.barAccess === 'pci-cfg' ? '@pcicfg' : ''}`;
  return `qemu:${[spec.device, ...spec.props, ...(spec.grants === true ? ['grants=on'] : [])].join(',')}${flags}`;
}

/** What a device type needs besides `-device`: extra QEMU arguments, and properties that point at them. */
export interface DeviceBackend {
  args: string[];
  props: string[];
}

/** Memory layout for devices that plug memory (virtio-mem, virtio-pmem): room for the extra slot. */
const MEMORY_HOTPLUG_ARGS = ['-m', '128M,slots=2,maxmem=1G'];

/**
 * Backends of the device types that need one and no host resource: a null block driver, a synthetic 9p
 * file system, the builtin crypto backend, RAM memory backends. Keyed by base type (without the
 * `-transitional`/`-non-transitional` suffix). Devices absent here need no backend.
 */
const BACKENDS: Record<string, DeviceBackend> = {
  'virtio-blk-pci': { args: ['-blockdev', 'driver=null-co,node-name=xvcblk0,read-zeroes=on'], props: ['drive=xvcblk0'] },
  'virtio-9p-pci': { args: ['-fsdev', 'synth,id=xvcfs0'], props: ['fsdev=xvcfs0', 'mount_tag=xvc'] },
  'virtio-crypto-pci': { args: ['-object', 'cryptodev-backend-builtin,id=xvccrypto0'], props: ['cryptodev=xvccrypto0'] },
  'virtio-mem-pci': { args: [...MEMORY_HOTPLUG_ARGS, '-object', 'memory-backend-ram,id=xvcmem0,size=128M'], props: ['memdev=xvcmem0'] },
  'virtio-pmem-pci': { args: [...MEMORY_HOTPLUG_ARGS, '-object', 'memory-backend-ram,id=xvcpmem0,size=16M'], props: ['memdev=xvcpmem0'] },
};

/** The base device type: `virtio-net-pci-transitional` → `virtio-net-pci`. */
export function baseDeviceType(device: string): string {
  return device.replace(/-(non-)?transitional$/, '');
}

/**
 * The backend arguments for `spec`'s device type. A property the user already set (say `drive=`) wins:
 * then the backend is theirs to provide and xvc adds nothing.
 */
export function backendFor(spec: QemuDeviceSpec): DeviceBackend {
  const backend = BACKENDS[baseDeviceType(spec.device)];
  if (!backend) return { args: [], props: [] };
  const userKeys = new Set(spec.props.map((p) => p.slice(0, p.indexOf('='))));
  if (backend.props.some((p) => userKeys.has(p.slice(0, p.indexOf('='))))) return { args: [], props: [] };
  return backend;
}
