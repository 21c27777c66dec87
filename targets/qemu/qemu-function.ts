import { TargetError, type AccessWidth, type PciFunction } from '../device-target.ts';
import type { ProgrammedBar } from './bar-setup.ts';
import type { QemuConfigAccess } from './config-access.ts';
import type { PciCfgWindow } from './pci-cfg-window.ts';
import { parseQtestNumber, qtestHex, type QtestClient } from './qtest-client.ts';

const SUFFIX: Record<AccessWidth, string> = { 1: 'b', 2: 'w', 4: 'l' };

/**
 * A live PCI function in QEMU: configuration cycles through 0xCF8/0xCFC (and ECAM past 256 bytes), BAR
 * access through qtest memory reads/writes for memory BARs and port I/O for I/O BARs, at the addresses
 * xvc programmed. Any failure of QEMU surfaces as a `TargetError` from the call that met it.
 */
export class QemuPciFunction implements PciFunction {
  readonly live = true;
  readonly truncated = false;

  constructor(
    readonly id: string,
    readonly description: string,
    readonly configSize: number,
    private readonly qtest: QtestClient,
    private readonly config: QemuConfigAccess,
    /** The BARs as probed and placed at start. */
    readonly bars: readonly ProgrammedBar[],
    /** When set, BAR accesses go through this virtio PCI_CFG window instead of memory/port cycles. */
    readonly window?: PciCfgWindow,
  ) {}

  snapshot(): Promise<Uint8Array> {
    return this.config.snapshot(this.configSize);
  }

  async readConfig(offset: number, width: AccessWidth): Promise<number> {
    this.#checkConfig(offset, width);
    return this.config.read(offset, width);
  }

  async writeConfig(offset: number, width: AccessWidth, value: number): Promise<void> {
    this.#checkConfig(offset, width);
    return this.config.write(offset, width, value);
  }

  async readBar(bar: number, offset: number, width: AccessWidth): Promise<number> {
    const target = this.#locate(bar, offset, width);
    if (this.window) return this.window.read(bar, offset, width);
    const command = target.kind === 'io' ? `in${SUFFIX[width]} ${qtestHex(target.address + offset)}` : `read${SUFFIX[width]} ${qtestHex(target.address + offset)}`;
    return parseQtestNumber(await this.qtest.command(command));
  }

  async writeBar(bar: number, offset: number, width: AccessWidth, value: number): Promise<void> {
    const target = this.#locate(bar, offset, width);
    const masked = width === 4 ? value >>> 0 : value & ((1 << (8 * width)) - 1);
    if (this.window) return this.window.write(bar, offset, width, masked);
    const verb = target.kind === 'io' ? `out${SUFFIX[width]}` : `write${SUFFIX[width]}`;
    await this.qtest.command(`${verb} ${qtestHex(target.address + offset)} ${qtestHex(masked)}`);
  }

  async barSizes(): Promise<number[]> {
    return this.bars.map((bar) => bar.size);
  }

  #checkConfig(offset: number, width: AccessWidth): void {
    if (!Number.isInteger(offset) || offset < 0 || offset + width > this.configSize) {
      throw new TargetError('targetInput', `${this.id}: ${width}-byte config access at 0x${offset.toString(16)} is outside its ${this.configSize}-byte space`, { offset });
    }
  }

  #locate(bar: number, offset: number, width: AccessWidth): ProgrammedBar {
    const target = this.bars[bar];
    if (!target || target.kind === 'none' || target.kind === 'mem64-upper' || target.address === 0) {
      throw new TargetError('targetInput', `${this.id}: BAR ${bar} is not an implemented, programmed BAR`);
    }
    if (!Number.isInteger(offset) || offset < 0 || offset + width > target.size) {
      throw new TargetError('targetInput', `${this.id}: ${width}-byte access at 0x${offset.toString(16)} is outside BAR ${bar} (${target.size} bytes)`, { offset });
    }
    return target;
  }
}
