/**
 * A PCI machine that answers qtest commands in-process, for the unit tests of what xvc sends QEMU
 * (config cycles, BAR sizing and placement, the PCI_CFG window, BAR accesses). The functions in it are
 * reference device models (reference-impl/virtio), so register semantics (BAR sizing, the window)
 * are theirs; this file only decodes addresses, written from the PCI definitions directly: a 0xCF8
 * address is enable(31) bus(23:16) device(15:11) function(10:8) register(7:2), an ECAM offset is
 * bus(27:20) device(19:15) function(14:12) register(11:0). Every command is logged.
 */
import type { DeviceModel } from '../../reference-impl/virtio/index.ts';
import type { AccessWidth } from '../../targets/device-target.ts';
import type { Bdf } from '../../targets/qemu/config-access.ts';
import type { QtestClient } from '../../targets/qemu/qtest-client.ts';

/** A device model placed at an address. */
export interface FakeSlot {
  readonly bdf: Bdf;
  readonly model: DeviceModel;
}

const WIDTH: Record<string, AccessWidth> = { b: 1, w: 2, l: 4 };
const ADDRESS_PORT = 0xcf8;
const DATA_PORT = 0xcfc;
const ECAM_BYTES = 256 * 1024 * 1024;
/** Command register bits: I/O space (0) and memory space (1) decoding. */
const COMMAND_IO = 0x1;
const COMMAND_MEMORY = 0x2;

const ones = (width: AccessWidth): number => (width === 4 ? 0xffff_ffff : (1 << (8 * width)) - 1);

/** The machine; {@link client} is what the code under test takes as its qtest connection. */
export class FakePciMachine {
  /** Every command received, in order. */
  readonly log: string[] = [];
  /** The value last written to 0xCF8. */
  private address = 0;

  constructor(
    readonly slots: readonly FakeSlot[],
    /** Base of the ECAM window, when the machine has one enabled. */
    readonly ecamBase?: number,
  ) {}

  /** This machine typed as the qtest client the code under test expects (it uses `command` and `commands` only). */
  get client(): QtestClient {
    return this as unknown as QtestClient;
  }

  /** The text after `OK` of the reply, as QtestClient.command resolves; a FAIL reply rejects. */
  async command(line: string): Promise<string> {
    return this.execute(line);
  }

  async commands(lines: string[]): Promise<string[]> {
    return lines.map((line) => this.execute(line));
  }

  /** The slot at `bdf`, if any. */
  slotAt(bdf: Bdf): FakeSlot | undefined {
    return this.slots.find((slot) => slot.bdf.bus === bdf.bus && slot.bdf.device === bdf.device && slot.bdf.function === bdf.function);
  }

  private execute(line: string): string {
    this.log.push(line);
    const [verb = '', ...args] = line.split(' ');
    const numbers = args.map((arg) => Number(arg));
    const io = /^(in|out)([bwl])$/.exec(verb);
    if (io) {
      const width = WIDTH[io[2]!]!;
      if (io[1] === 'in') return reply(this.portRead(numbers[0]!, width), 4);
      this.portWrite(numbers[0]!, width, numbers[1]!);
      return '';
    }
    const memory = /^(read|write)([bwl])$/.exec(verb);
    if (memory) {
      const width = WIDTH[memory[2]!]!;
      if (memory[1] === 'read') return reply(this.memoryRead(numbers[0]!, width), 16);
      this.memoryWrite(numbers[0]!, width, numbers[1]!);
      return '';
    }
    if (verb === 'read') {
      const [address, size] = numbers as [number, number];
      let hex = '';
      for (let i = 0; i < size; i++) hex += this.memoryRead(address + i, 1).toString(16).padStart(2, '0');
      return `0x${hex}`;
    }
    throw new Error(`FAIL fake machine: unknown command '${line}'`);
  }

  private portRead(port: number, width: AccessWidth): number {
    if (port === ADDRESS_PORT && width === 4) return this.address;
    if (port >= DATA_PORT && port + width <= DATA_PORT + 4) {
      const slot = this.selected();
      return slot ? slot.model.configRead((this.address & 0xfc) + (port - DATA_PORT), width) : ones(width);
    }
    const bar = this.decode('io', port, width);
    return bar ? bar.slot.model.barRead(bar.index, port - bar.base, width) : ones(width);
  }

  private portWrite(port: number, width: AccessWidth, value: number): void {
    if (port === ADDRESS_PORT && width === 4) {
      this.address = value >>> 0;
      return;
    }
    if (port >= DATA_PORT && port + width <= DATA_PORT + 4) {
      this.selected()?.model.configWrite((this.address & 0xfc) + (port - DATA_PORT), width, value);
      return;
    }
    const bar = this.decode('io', port, width);
    bar?.slot.model.barWrite(bar.index, port - bar.base, width, value);
  }

  private memoryRead(address: number, width: AccessWidth): number {
    const ecam = this.ecam(address);
    if (ecam) return ecam.slot ? ecam.slot.model.configRead(ecam.register, width) : ones(width);
    const bar = this.decode('memory', address, width);
    return bar ? bar.slot.model.barRead(bar.index, address - bar.base, width) : ones(width);
  }

  private memoryWrite(address: number, width: AccessWidth, value: number): void {
    const ecam = this.ecam(address);
    if (ecam) {
      ecam.slot?.model.configWrite(ecam.register, width, value);
      return;
    }
    const bar = this.decode('memory', address, width);
    bar?.slot.model.barWrite(bar.index, address - bar.base, width, value);
  }

  /** The function 0xCF8 selects, when its enable bit is set. */
  private selected(): FakeSlot | undefined {
    if ((this.address & 0x8000_0000) === 0) return undefined;
    return this.slotAt({ bus: (this.address >>> 16) & 0xff, device: (this.address >>> 11) & 0x1f, function: (this.address >>> 8) & 0x7 });
  }

  private ecam(address: number): { slot: FakeSlot | undefined; register: number } | undefined {
    if (this.ecamBase === undefined || address < this.ecamBase || address >= this.ecamBase + ECAM_BYTES) return undefined;
    const offset = address - this.ecamBase;
    return { slot: this.slotAt({ bus: (offset >>> 20) & 0xff, device: (offset >>> 15) & 0x1f, function: (offset >>> 12) & 0x7 }), register: offset & 0xfff };
  }

  /** The BAR of some function that decodes `address` in `space`, read from the BAR registers as programmed. */
  private decode(space: 'io' | 'memory', address: number, width: AccessWidth): { slot: FakeSlot; index: number; base: number } | undefined {
    for (const slot of this.slots) {
      const command = slot.model.configRead(0x04, 2);
      if ((command & (space === 'io' ? COMMAND_IO : COMMAND_MEMORY)) === 0) continue;
      const sizes = slot.model.barSizes();
      for (let index = 0; index < 6; index++) {
        const low = slot.model.configRead(0x10 + 4 * index, 4);
        const isIo = (low & 0x1) === 1;
        const is64 = !isIo && ((low >>> 1) & 0x3) === 0x2;
        let base = isIo ? low & 0xffff_fffc : (low & 0xffff_fff0) >>> 0;
        if (is64) base += slot.model.configRead(0x10 + 4 * (index + 1), 4) * 2 ** 32;
        const size = sizes[index] ?? 0;
        if (isIo === (space === 'io') && size > 0 && base !== 0 && address >= base && address + width <= base + size) return { slot, index, base };
        if (is64) index++;
      }
    }
    return undefined;
  }
}

/** `value` as qtest prints it: `0x` and at least `digits` hex digits. */
function reply(value: number, digits: number): string {
  return `0x${(value >>> 0).toString(16).padStart(digits, '0')}`;
}
