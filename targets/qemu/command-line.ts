import { backendFor, type QemuDeviceSpec } from './device-spec.ts';
import { XVC_ROOT_BUS_SLOT, XVC_ROOT_PORT_SLOT } from './q35-platform.ts';

/** QEMU id of the root port xvc adds for the PCI Express placement. */
export const ROOT_PORT_ID = 'xvcrp0';

/** Hex slot number as QEMU's `addr=` takes it. */
function slot(n: number): string {
  return `${n.toString(16).padStart(2, '0')}.0`;
}

/**
 * The arguments (without the binary) that start `spec`'s device: q35, TCG, no defaults, qtest on stdio,
 * the CPU parked (`-S`, or the HLT BIOS for `halted`), the device's backend, and the device itself at
 * 00:03.0 or behind a `pcie-root-port` at 00:04.0.
 * @param hltBios path of the HLT firmware, required for the `halted` run mode
 * @param lifetime `exitWithParent` adds `-run-with exit-with-parent=on` (only for a QEMU that has it)
 */
export function qemuArguments(spec: QemuDeviceSpec, hltBios?: string, lifetime: { exitWithParent?: boolean } = {}): string[] {
  const args = ['-machine', 'q35', '-accel', 'tcg'];
  // QEMU's own guard, in addition to the parent-death signal xvc arms (core/child-processes.ts).
  if (lifetime.exitWithParent) args.push('-run-with', 'exit-with-parent=on');
  if (spec.runMode === 'paused') args.push('-S');
  else {
    if (hltBios === undefined) throw new Error('the halted run mode needs the HLT BIOS path');
    args.push('-bios', hltBios);
  }
  args.push('-display', 'none', '-nodefaults', '-no-user-config', '-qtest', 'stdio', '-qtest-log', '/dev/null');
  const backend = backendFor(spec);
  args.push(...backend.args);
  const placement =
    spec.placement === 'root-port'
      ? (args.push('-device', `pcie-root-port,id=${ROOT_PORT_ID},chassis=1,addr=${slot(XVC_ROOT_PORT_SLOT)}`), [`bus=${ROOT_PORT_ID}`, 'addr=00.0'])
      : [`addr=${slot(XVC_ROOT_BUS_SLOT)}`];
  args.push('-device', [spec.device, ...spec.props, ...backend.props, ...placement].join(','));
  return args;
}
