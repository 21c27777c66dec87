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
  const target = await createDumpTarget(path);
  const devices: DecodedDevice[] = [];
  for (const fn of await target.functions()) {
    devices.push(
      decodeConfigSpace({
        bdf: fn.id,
        bytes: await fn.snapshot(),
        truncated: fn.truncated,
        ...(fn.description === undefined ? {} : { description: fn.description }),
        source: { file: fn.source.file, line: fn.source.line },
        problems: target.problems.filter((p) => p.file === fn.source.file && p.device === fn.source.address),
      }),
    );
  }
  return { devices, problems: target.problems };
}
