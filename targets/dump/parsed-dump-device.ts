/** One PCI function read from a dump file, before it becomes a `PciFunction`. */
export interface ParsedDumpDevice {
  /** Address as normalised by the parser, always with a PCI domain: `0000:00:03.0`; for a raw binary the file name. */
  address: string;
  /** Address as written in its own file (the problems' `device`); `address` gains a file prefix in directory mode. */
  fileAddress: string;
  /** Text after the address on the lspci header line (untrusted; render as text only). */
  description?: string;
  /** File the device came from and the 1-based line of its address (0 for binaries). */
  file: string;
  line: number;
  /** The configuration bytes, starting at offset 0, exactly as many as the dump held. */
  bytes: Uint8Array;
  /** True when fewer bytes than a full 256- or 4096-byte space were present. */
  truncated: boolean;
}

/** The full sizes of a configuration space: conventional PCI and PCI Express. */
export const FULL_CONFIG_SIZES: readonly number[] = [256, 4096];

/** Whether `size` bytes make a complete configuration space. */
export function isFullConfigSize(size: number): boolean {
  return FULL_CONFIG_SIZES.includes(size);
}
