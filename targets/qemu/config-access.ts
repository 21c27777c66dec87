import { PCI_CONF1_ADDRESS_PORT, PCI_CONF1_DATA_PORT, encodePciCf8Address } from '../../generated/ts/pci/pci-cf8-address.ts';
import { PCI_CFG_SPACE_SIZE, PCI_CFG_SPACE_EXP_SIZE } from '../../generated/ts/pci/pci-constants.ts';
import { encodePciEcamOffset } from '../../generated/ts/pci/pci-ecam-offset.ts';
import { TargetError, type AccessWidth } from '../device-target.ts';
import { parseQtestNumber, qtestHex, type QtestClient } from './qtest-client.ts';

/** Bus/device/function of a PCI function. */
export interface Bdf {
  bus: number;
  device: number;
  function: number;
}

const DWORD = 4;
const SUFFIX: Record<AccessWidth, string> = { 1: 'b', 2: 'w', 4: 'l' };

/** The value written to 0xCF8 to select `reg` (dword aligned) of `bdf`, from the generated layout. */
export function cf8Address(bdf: Bdf, reg: number): number {
  const bytes = encodePciCf8Address({ zero: 0, registerDword: (reg & 0xff) >> 2, function: bdf.function, device: bdf.device, bus: bdf.bus, registerHigh: 0, reserved: 0, enable: true });
  return new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
}

/** Offset of `reg` of `bdf` inside an ECAM window, from the generated layout. */
export function ecamOffset(bdf: Bdf, reg: number): number {
  const bytes = encodePciEcamOffset({ register: reg, function: bdf.function, device: bdf.device, bus: bdf.bus, beyondWindow: 0 });
  return new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
}

/**
 * Configuration cycles for one function through qtest: the port I/O mechanism (0xCF8/0xCFC) for the first
 * 256 bytes, as a guest's firmware would, and ECAM for the extended space when an ECAM window is enabled.
 * Accesses that would cross a dword are split into bytes (the data window is one dword).
 */
export class QemuConfigAccess {
  constructor(
    private readonly qtest: QtestClient,
    readonly bdf: Bdf,
    /** Base of the enabled ECAM window, or undefined when there is none (then only 256 bytes are reachable). */
    readonly ecamBase: number | undefined,
  ) {}

  /** Bytes reachable: 4096 through ECAM, else 256. */
  get reachableSize(): number {
    return this.ecamBase === undefined ? PCI_CFG_SPACE_SIZE : PCI_CFG_SPACE_EXP_SIZE;
  }

  async read(offset: number, width: AccessWidth): Promise<number> {
    this.#check(offset, width);
    if ((offset % DWORD) + width > DWORD) {
      let value = 0;
      for (let i = width - 1; i >= 0; i--) value = value * 256 + (await this.read(offset + i, 1));
      return value;
    }
    if (offset < PCI_CFG_SPACE_SIZE) {
      const [, reply] = await this.qtest.commands([
        `outl ${qtestHex(PCI_CONF1_ADDRESS_PORT)} ${qtestHex(cf8Address(this.bdf, offset))}`,
        `in${SUFFIX[width]} ${qtestHex(PCI_CONF1_DATA_PORT + (offset % DWORD))}`,
      ]);
      return parseQtestNumber(reply!);
    }
    return parseQtestNumber(await this.qtest.command(`read${SUFFIX[width]} ${qtestHex(this.ecamBase! + ecamOffset(this.bdf, offset))}`));
  }

  async write(offset: number, width: AccessWidth, value: number): Promise<void> {
    this.#check(offset, width);
    const masked = width === 4 ? value >>> 0 : value & ((1 << (8 * width)) - 1);
    if ((offset % DWORD) + width > DWORD) {
      for (let i = 0; i < width; i++) await this.write(offset + i, 1, Math.floor(masked / 256 ** i) & 0xff);
      return;
    }
    if (offset < PCI_CFG_SPACE_SIZE) {
      await this.qtest.commands([
        `outl ${qtestHex(PCI_CONF1_ADDRESS_PORT)} ${qtestHex(cf8Address(this.bdf, offset))}`,
        `out${SUFFIX[width]} ${qtestHex(PCI_CONF1_DATA_PORT + (offset % DWORD))} ${qtestHex(masked)}`,
      ]);
      return;
    }
    await this.qtest.command(`write${SUFFIX[width]} ${qtestHex(this.ecamBase! + ecamOffset(this.bdf, offset))} ${qtestHex(masked)}`);
  }

  /**
   * All reachable bytes: the first 256 as 64 pipelined dword config cycles, the rest (ECAM) as one
   * memory read of the window.
   */
  async snapshot(size = this.reachableSize): Promise<Uint8Array> {
    const bytes = new Uint8Array(size);
    const low = Math.min(size, PCI_CFG_SPACE_SIZE);
    const commands: string[] = [];
    for (let reg = 0; reg < low; reg += DWORD) {
      commands.push(`outl ${qtestHex(PCI_CONF1_ADDRESS_PORT)} ${qtestHex(cf8Address(this.bdf, reg))}`, `inl ${qtestHex(PCI_CONF1_DATA_PORT)}`);
    }
    const replies = await this.qtest.commands(commands);
    const view = new DataView(bytes.buffer);
    for (let reg = 0; reg < low; reg += DWORD) view.setUint32(reg, parseQtestNumber(replies[(reg / DWORD) * 2 + 1]!), true);
    if (size > PCI_CFG_SPACE_SIZE) {
      if (this.ecamBase === undefined) throw new TargetError('targetInput', 'extended configuration space needs ECAM, which is not enabled');
      const start = this.ecamBase + ecamOffset(this.bdf, PCI_CFG_SPACE_SIZE);
      bytes.set(parseQtestBytes(await this.qtest.command(`read ${qtestHex(start)} ${qtestHex(size - PCI_CFG_SPACE_SIZE)}`), size - PCI_CFG_SPACE_SIZE), PCI_CFG_SPACE_SIZE);
    }
    return bytes;
  }

  #check(offset: number, width: AccessWidth): void {
    if (!Number.isInteger(offset) || offset < 0 || offset + width > this.reachableSize || (width !== 1 && width !== 2 && width !== 4)) {
      throw new TargetError('targetInput', `${width}-byte config access at 0x${offset.toString(16)} is outside the ${this.reachableSize} reachable bytes`, { offset });
    }
  }
}

/** Parses the reply of a qtest `read ADDR SIZE`: `0x` and two hex digits per byte. */
export function parseQtestBytes(reply: string, length: number): Uint8Array {
  if (reply.length !== 2 + 2 * length || !reply.startsWith('0x') || !/^[0-9a-fA-F]*$/.test(reply.slice(2))) {
    throw new TargetError('targetProtocol', `expected ${length} bytes from qtest read, got '${reply.slice(0, 80)}'`);
  }
  return Uint8Array.from(Buffer.from(reply.slice(2), 'hex'));
}
