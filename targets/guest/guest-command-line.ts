/**
 * The QEMU command line of a guest boot: q35 under TCG, no default devices, the serial console on
 * stdout, the kernel and initramfs given directly, the device under test (behind a root port for
 * `@pcie`), and QEMU's trace of configuration cycles, region accesses and status changes written to a
 * file. A guest that reboots (a panic with `panic=-1`) makes QEMU exit (`-no-reboot`).
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { backendFor, ROOT_PORT_ID, XVC_ROOT_BUS_SLOT, XVC_ROOT_PORT_SLOT } from '../qemu.ts';
import type { GuestDeviceSpec } from './guest-spec.ts';

/** QEMU trace events a driver trace is decoded from. */
export const GUEST_TRACE_EVENTS = ['pci_cfg_*', 'memory_region_ops_*', 'virtio_set_status'] as const;

/** Guest memory: the kernel, an initramfs of a few MiB unpacked, and the drivers' rings. */
const GUEST_MEMORY = '256M';

/**
 * Kernel arguments: console on the first serial port, reboot (so QEMU exits) at once on panic,
 * only urgent messages on the console, and markers from /dev/kmsg not rate limited.
 */
export const BASE_KERNEL_ARGUMENTS = ['console=ttyS0', 'panic=-1', 'quiet', 'printk.devkmsg=on'] as const;
/** Makes Linux's virtio-pci use the legacy interface of a transitional device. */
export const FORCE_LEGACY_ARGUMENT = 'virtio_pci.force_legacy=1';

/**
 * The firmware: QEMU's qboot when installed (it loads the kernel and leaves devices alone, so the only
 * driver in the trace is the guest's), else QEMU's default BIOS (SeaBIOS, which itself drives block
 * and SCSI devices before the kernel starts).
 */
export async function guestFirmware(qemuBinary: string): Promise<string | undefined> {
  const candidates = [join(dirname(qemuBinary), '..', 'share', 'qemu', 'qboot.rom'), '/usr/share/qemu/qboot.rom', '/usr/local/share/qemu/qboot.rom'];
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.R_OK);
      return candidate;
    } catch {
      // try the next
    }
  }
  return undefined;
}

function slot(n: number): string {
  return `${n.toString(16).padStart(2, '0')}.0`;
}

/** What a boot needs besides the spec. */
export interface GuestBootFiles {
  kernel: string;
  initrd: string;
  traceFile: string;
  firmware?: string;
  /** The device type has QEMU's `ioeventfd` property (not every virtio-pci type does). */
  hasIoeventfd?: boolean;
}

/** The arguments (without the binary). */
export function guestQemuArguments(spec: GuestDeviceSpec, files: GuestBootFiles): string[] {
  const args = ['-machine', 'q35', '-accel', 'tcg', '-m', GUEST_MEMORY, '-smp', '1'];
  args.push('-nographic', '-nodefaults', '-no-user-config', '-serial', 'stdio', '-monitor', 'none', '-no-reboot');
  if (files.firmware !== undefined) args.push('-bios', files.firmware);
  const append = [...BASE_KERNEL_ARGUMENTS, ...(spec.legacyDriver ? [FORCE_LEGACY_ARGUMENT] : []), ...spec.append];
  args.push('-kernel', files.kernel, '-initrd', files.initrd, '-append', append.join(' '));
  const backend = backendFor({ spec: spec.spec, device: spec.device, props: [...spec.props], placement: spec.placement, runMode: 'paused', barAccess: 'mmio' });
  args.push(...backend.args);
  let placement: string[];
  if (spec.placement === 'root-port') {
    args.push('-device', `pcie-root-port,id=${ROOT_PORT_ID},chassis=1,addr=${slot(XVC_ROOT_PORT_SLOT)}`);
    placement = [`bus=${ROOT_PORT_ID}`, 'addr=00.0'];
  } else placement = [`addr=${slot(XVC_ROOT_BUS_SLOT)}`];
  // QEMU serves queue notifications through an ioeventfd without calling the region's callbacks, so
  // they would be missing from the trace: xvc turns it off unless the user set it or the type has none.
  const notify = files.hasIoeventfd === false || spec.props.some((prop) => prop.startsWith('ioeventfd=')) ? [] : ['ioeventfd=off'];
  args.push('-device', [spec.device, ...spec.props, ...notify, ...backend.props, ...placement].join(','));
  for (const event of GUEST_TRACE_EVENTS) args.push('-trace', event);
  args.push('-D', files.traceFile);
  return args;
}
