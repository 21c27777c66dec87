import type { DeviceTarget, PciFunction } from './device-target.ts';
import type { TargetMetadata } from './target-metadata.ts';
import { DumpPciFunction } from './dump/dump-function.ts';
import { loadDump } from './dump/dump-loader.ts';
import { decodeConfigSpace, type DecodedDevice } from './dump/device-decoding.ts';
import type { DumpParseError } from './dump/dump-parse-error.ts';

export { DumpParseError, type DumpParseErrorCode } from './dump/dump-parse-error.ts';
export { DumpPciFunction } from './dump/dump-function.ts';
export { parseLspciText } from './dump/lspci-text-parser.ts';
export { parseRawConfig } from './dump/raw-config-parser.ts';
export { loadDump } from './dump/dump-loader.ts';
export { decodeConfigSpace, type DecodedCapability, type DecodedDevice } from './dump/device-decoding.ts';

/**
 * `dump:PATH`: the functions of an lspci text dump, a raw binary or a directory of them. Reading never
 * throws on bad input: the problems (located, with stable codes) are in `problems`, and every device
 * that could be read is served.
 */
export interface DumpTarget extends DeviceTarget {
  readonly problems: readonly DumpParseError[];
  functions(): Promise<DumpPciFunction[]>;
}

/**
 * Reads `path` and returns the `dump:PATH` target.
 * @param path file or directory; a leading `dump:` is accepted and removed
 */
export async function createDumpTarget(path: string): Promise<DumpTarget> {
  const bare = path.startsWith('dump:') ? path.slice('dump:'.length) : path;
  const parsed = await loadDump(bare);
  const functions = parsed.devices.map((device) => new DumpPciFunction(device));
  const metadata: TargetMetadata = {
    spec: `dump:${bare}`,
    kind: 'dump',
    role: 'device',
    implementation: 'configuration-space dump',
    capturedBy: 'file',
    description: bare,
  };
  return {
    metadata,
    problems: parsed.problems,
    async functions(): Promise<DumpPciFunction[]> {
      return functions.slice();
    },
    async close(): Promise<void> {},
  } satisfies DumpTarget & { functions(): Promise<PciFunction[]> };
}

/** Decodes every function of `path`. Never throws on bad input. */
export async function decodeDump(path: string): Promise<{ devices: DecodedDevice[]; problems: readonly DumpParseError[] }> {
  const bare = path.startsWith('dump:') ? path.slice('dump:'.length) : path;
  const parsed = await loadDump(bare);
  // Straight from the parsed devices: decoding only reads the bytes, so the copy a PciFunction's
  // snapshot() makes for callers would be 12,000 allocations for nothing on a large dump, and the
  // problems are looked up by device instead of scanned once per device.
  const problemsOf = new Map<string, DumpParseError[]>();
  for (const problem of parsed.problems) {
    if (problem.device === undefined) continue;
    const key = `${problem.file}\u0000${problem.device}`;
    const list = problemsOf.get(key);
    if (list === undefined) problemsOf.set(key, [problem]);
    else list.push(problem);
  }
  const devices = parsed.devices.map((device) =>
    decodeConfigSpace({
      bdf: device.address,
      bytes: device.bytes,
      truncated: device.truncated,
      ...(device.description === undefined ? {} : { description: device.description }),
      source: { file: device.file, line: device.line },
      problems: problemsOf.get(`${device.file}\u0000${device.fileAddress}`) ?? [],
    }),
  );
  return { devices, problems: parsed.problems };
}
