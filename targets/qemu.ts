import { PCI_CFG_SPACE_EXP_SIZE, PCI_CFG_SPACE_SIZE, PCI_VENDOR_ID_NONE } from '../generated/ts/pci/pci-constants.ts';
import { PCI_TYPE0_HEADER_OFFSETS, PciCommand } from '../generated/ts/pci/pci-type0-header.ts';
import { TargetError, type DeviceTarget } from './device-target.ts';
import type { TargetMetadata } from './target-metadata.ts';
import { sizeAndProgramBars, type AddressWindow } from './qemu/bar-setup.ts';
import { qemuArguments } from './qemu/command-line.ts';
import { QemuConfigAccess, type Bdf } from './qemu/config-access.ts';
import { parseQemuDeviceSpec, type QemuDeviceSpec } from './qemu/device-spec.ts';
import { hltBiosPath, qemuSupportsExitWithParent, qemuVersion, resolveQemuBinary } from './qemu/qemu-binary.ts';
import { QemuPciFunction } from './qemu/qemu-function.ts';
import { PciCfgWindow } from './qemu/pci-cfg-window.ts';
import {
  BRIDGE,
  Q35_MCH,
  Q35_PCIEXBAR_ENABLE,
  Q35_PCIEXBAR_OFFSET,
  XVC_ECAM_BASE,
  XVC_IO_BASE,
  XVC_IO_LIMIT,
  XVC_MMIO_BASE,
  XVC_MMIO_LIMIT,
  XVC_ROOT_BUS_SLOT,
  XVC_ROOT_PORT_SECONDARY_BUS,
  XVC_ROOT_PORT_SLOT,
} from './qemu/q35-platform.ts';
import { DEFAULT_QTEST_LIMITS, QtestClient, type QtestLimits } from './qemu/qtest-client.ts';

export { parseQemuDeviceSpec, formatQemuDeviceSpec, backendFor, baseDeviceType, type QemuDeviceSpec, type DeviceBackend } from './qemu/device-spec.ts';
export { resolveQemuBinary, qemuVersion } from './qemu/qemu-binary.ts';
export { ROOT_PORT_ID } from './qemu/command-line.ts';
export { XVC_ROOT_BUS_SLOT, XVC_ROOT_PORT_SLOT } from './qemu/q35-platform.ts';
export { QemuPciFunction } from './qemu/qemu-function.ts';
export { listQemuSweepTargets, probeQemuSweepTargets, type QemuSweepTarget } from './qemu/sweep-catalogue.ts';
export { formatSweepProgress, progressBarWriter, runQemuSweep, type SweepOutcome, type SweepProgress } from './qemu/sweep-runner.ts';

/** Options of {@link createQemuTarget}. */
export interface QemuTargetOptions {
  /** QEMU binary; default `XVC_QEMU`, then `qemu-system-x86_64` on PATH. */
  qemuPath?: string;
  /** Time limits for the QEMU process. */
  limits?: Partial<QtestLimits>;
}

/** `qemu:DEVICE[,props]`: one device in a fresh QEMU. */
export interface QemuTarget extends DeviceTarget {
  readonly device: QemuDeviceSpec;
  functions(): Promise<QemuPciFunction[]>;
  /** QEMU's stderr so far (warnings, or why it died). */
  readonly stderr: string;
  /** QEMU's process id (diagnostics, and tests that kill it on purpose). */
  readonly pid: number | undefined;
}

const WORD_BITS = 16;
/** A bridge window register holds address bits from this bit up (memory: 20, I/O: 12). */
const MEMORY_WINDOW_SHIFT = 20;
const IO_WINDOW_SHIFT = 12;
const WINDOW_FIELD_SHIFT = 4;

/**
 * Starts QEMU with the device of `spec` (`qemu:DEVICE[,props][@pcie][@halted][@pcicfg]`), enables ECAM, programs the
 * root port (for `@pcie`) and the device's BARs, and returns the target. The caller must `close()` it;
 * the process is also killed if xvc exits first. Errors: `targetInput` (bad spec), `targetUnavailable`
 * (no QEMU), `targetCrashed` (QEMU refused the device or died; stderr attached), `targetTimeout`.
 */
export async function createQemuTarget(spec: string, options: QemuTargetOptions = {}): Promise<QemuTarget> {
  const device = parseQemuDeviceSpec(spec);
  if (device instanceof TargetError) throw device;
  const binary = await resolveQemuBinary(options.qemuPath);
  const version = await qemuVersion(binary);
  const args = qemuArguments(device, device.runMode === 'halted' ? await hltBiosPath() : undefined, { exitWithParent: await qemuSupportsExitWithParent(binary) });
  const qtest = await QtestClient.start(binary, args, { ...DEFAULT_QTEST_LIMITS, ...options.limits });
  try {
    const functionAt = await setUpDevice(qtest, device);
    const metadata: TargetMetadata = {
      spec: device.spec,
      kind: 'qemu',
      role: 'device',
      implementation: 'QEMU',
      version,
      capturedBy: 'qtest (q35, TCG, CPU parked): config cycles through 0xCF8/0xCFC and ECAM',
      commandLine: [binary, ...args],
      description: device.device,
    };
    return {
      metadata,
      device,
      get stderr() {
        return qtest.stderr;
      },
      pid: qtest.pid,
      async functions() {
        return [functionAt];
      },
      close: () => qtest.close(),
    };
  } catch (error) {
    await qtest.close();
    throw error;
  }
}

async function setUpDevice(qtest: QtestClient, device: QemuDeviceSpec): Promise<QemuPciFunction> {
  const mch = new QemuConfigAccess(qtest, Q35_MCH, undefined);
  // PCIEXBAR is 64 bits: upper half first, then base and enable together.
  await mch.write(Q35_PCIEXBAR_OFFSET + 4, 4, 0);
  await mch.write(Q35_PCIEXBAR_OFFSET, 4, XVC_ECAM_BASE | Q35_PCIEXBAR_ENABLE);

  const memory: AddressWindow = { next: XVC_MMIO_BASE, limit: XVC_MMIO_LIMIT };
  const io: AddressWindow = { next: XVC_IO_BASE, limit: XVC_IO_LIMIT };
  let bdf: Bdf = { bus: 0, device: XVC_ROOT_BUS_SLOT, function: 0 };
  if (device.placement === 'root-port') {
    const port = new QemuConfigAccess(qtest, { bus: 0, device: XVC_ROOT_PORT_SLOT, function: 0 }, XVC_ECAM_BASE);
    await port.write(BRIDGE.primaryBus, 1, 0);
    await port.write(BRIDGE.secondaryBus, 1, XVC_ROOT_PORT_SECONDARY_BUS);
    await port.write(BRIDGE.subordinateBus, 1, XVC_ROOT_PORT_SECONDARY_BUS);
    // The whole MMIO and I/O allocation ranges are forwarded; the prefetchable window stays closed (base > limit).
    await port.write(BRIDGE.memoryBase, 2, (XVC_MMIO_BASE >>> MEMORY_WINDOW_SHIFT) << WINDOW_FIELD_SHIFT);
    await port.write(BRIDGE.memoryLimit, 2, ((XVC_MMIO_LIMIT >>> MEMORY_WINDOW_SHIFT) << WINDOW_FIELD_SHIFT) & ((1 << WORD_BITS) - 1));
    await port.write(BRIDGE.prefetchBase, 2, 0xfff0);
    await port.write(BRIDGE.prefetchLimit, 2, 0);
    await port.write(BRIDGE.ioBase, 1, (XVC_IO_BASE >>> IO_WINDOW_SHIFT) << WINDOW_FIELD_SHIFT);
    await port.write(BRIDGE.ioLimit, 1, ((XVC_IO_LIMIT >>> IO_WINDOW_SHIFT) << WINDOW_FIELD_SHIFT) & 0xff);
    await port.write(PCI_TYPE0_HEADER_OFFSETS.command, 2, PciCommand.IO | PciCommand.MEMORY | PciCommand.MASTER);
    bdf = { bus: XVC_ROOT_PORT_SECONDARY_BUS, device: 0, function: 0 };
  }
  const config = new QemuConfigAccess(qtest, bdf, XVC_ECAM_BASE);
  const vendor = await config.read(PCI_TYPE0_HEADER_OFFSETS.vendorId, 2);
  if (vendor === PCI_VENDOR_ID_NONE) {
    throw new TargetError('targetProtocol', `no function answers at ${formatBdf(bdf)}: QEMU started but the device is not where xvc placed it`, { stderr: qtest.stderr });
  }
  // Decoding off while sizing, as firmware does; then memory and I/O decoding on. Bus mastering is left to the suites.
  await config.write(PCI_TYPE0_HEADER_OFFSETS.command, 2, 0);
  const bars = await sizeAndProgramBars(config, memory, io);
  await config.write(PCI_TYPE0_HEADER_OFFSETS.command, 2, PciCommand.IO | PciCommand.MEMORY);
  const configSize = device.placement === 'root-port' ? PCI_CFG_SPACE_EXP_SIZE : PCI_CFG_SPACE_SIZE;
  let window: PciCfgWindow | undefined;
  if (device.barAccess === 'pci-cfg') {
    window = await PciCfgWindow.find(config, configSize);
    if (!window) throw new TargetError('targetInput', `${device.spec}: @pcicfg asks for BAR access through the virtio PCI configuration access capability, which this device does not have`);
  }
  return new QemuPciFunction(formatBdf(bdf), device.spec, configSize, qtest, config, bars, window);
}

function formatBdf(bdf: Bdf): string {
  const hex2 = (n: number): string => n.toString(16).padStart(2, '0');
  return `0000:${hex2(bdf.bus)}:${hex2(bdf.device)}.${bdf.function}`;
}
