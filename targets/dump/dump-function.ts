import { TargetError, type AccessWidth, type PciFunction } from '../device-target.ts';
import type { DumpParseError } from './dump-parse-error.ts';
import type { ParsedDumpDevice } from './parsed-dump-device.ts';

/**
 * A read-only `PciFunction` over dumped bytes: no `writeConfig`, no BAR access. A read past the end of a
 * truncated dump is a `TargetError('targetInput')` naming the device and offset, so a check can report
 * "not in the dump" rather than inventing bytes.
 */
export class DumpPciFunction implements PciFunction {
  readonly id: string;
  readonly description?: string;
  readonly live = false;
  readonly configSize: number;
  readonly truncated: boolean;
  readonly readProblems: readonly DumpParseError[];
  /** Where the device was read from: file, 1-based line of its address (0 for a binary), and the address as written there. */
  readonly source: { file: string; line: number; address: string };
  readonly #bytes: Uint8Array;

  /**
   * @param device the parsed device
   * @param problems the reader's problems about this device (its file's, naming its address)
   */
  constructor(device: ParsedDumpDevice, problems: readonly DumpParseError[] = []) {
    this.id = device.address;
    if (device.description !== undefined) this.description = device.description;
    // The parser hands over a buffer of its own; snapshot() copies, so callers never share it.
    this.#bytes = device.bytes;
    this.configSize = device.bytes.length;
    this.truncated = device.truncated;
    this.readProblems = problems;
    this.source = { file: device.file, line: device.line, address: device.fileAddress };
  }

  async snapshot(): Promise<Uint8Array> {
    return this.#bytes.slice();
  }

  async readConfig(offset: number, width: AccessWidth): Promise<number> {
    if (!Number.isInteger(offset) || offset < 0 || offset + width > this.configSize || (width !== 1 && width !== 2 && width !== 4)) {
      throw new TargetError('targetInput', `${this.id}: ${width}-byte read at offset 0x${offset.toString(16)} is outside the ${this.configSize} dumped bytes`, {
        file: this.source.file,
        line: this.source.line,
        offset,
      });
    }
    let value = 0;
    for (let i = width - 1; i >= 0; i--) value = value * 256 + this.#bytes[offset + i]!;
    return value;
  }
}
