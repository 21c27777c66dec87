import type { DeviceTarget, PciFunction } from './device-target.ts';
import type { TargetMetadata } from './target-metadata.ts';
import { DumpPciFunction } from './dump/dump-function.ts';
import { DumpInputError } from './dump/dump-input-error.ts';
import { loadDump, streamDumpFiles } from './dump/dump-loader.ts';
import { decodeConfigSpace, type DecodedDevice } from './dump/device-decoding.ts';
import type { DumpParseError } from './dump/dump-parse-error.ts';
import type { ParsedDumpDevice } from './dump/parsed-dump-device.ts';

export { DumpParseError, type DumpProblem } from './dump/dump-parse-error.ts';
export { DumpInputError } from './dump/dump-input-error.ts';
export { DumpPciFunction } from './dump/dump-function.ts';
export { parseLspciText } from './dump/lspci-text-parser.ts';
export { classifyDump, parseRawConfig, type DumpKind } from './dump/raw-config-parser.ts';
export { loadDump, streamDumpFiles, MAX_DIRECTORY_FILES, MAX_DUMP_FILE_BYTES, type DumpFileParse } from './dump/dump-loader.ts';
export { decodeConfigSpace, type DecodedCapability, type DecodedDevice } from './dump/device-decoding.ts';

/**
 * `dump:PATH`: the functions of an lspci text dump, a raw binary or a directory of them. Reading never
 * throws on bad input: the problems (located, with stable codes) are in `problems`, and every device
 * that could be read is served. `inputError` says whether the dump as a whole is bad input.
 */
export interface DumpTarget extends DeviceTarget {
  readonly problems: readonly DumpParseError[];
  /**
   * The dump does not parse (any problem of error severity: a cut hex line, random bytes, a FIFO, a
   * missing file): bad input, to be reported once, before anything runs, with exit code 2. Undefined
   * when every problem is a warning (a truncated device, a duplicate address).
   */
  readonly inputError: DumpInputError | undefined;
  functions(): Promise<DumpPciFunction[]>;
}

function dumpMetadata(bare: string): TargetMetadata {
  return { spec: `dump:${bare}`, kind: 'dump', role: 'device', implementation: 'configuration-space dump', capturedBy: 'file', description: bare };
}

const bareDumpPath = (path: string): string => (path.startsWith('dump:') ? path.slice('dump:'.length) : path);

/**
 * The reader's problems grouped by the device they name (file and address as written there), so
 * each device gets its own without a scan per device. Problems naming no device are not in it.
 */
function problemsByDevice(problems: readonly DumpParseError[]): (device: ParsedDumpDevice) => DumpParseError[] {
  const grouped = new Map<string, DumpParseError[]>();
  for (const problem of problems) {
    if (problem.device === undefined) continue;
    const key = `${problem.file}\u0000${problem.device}`;
    const list = grouped.get(key);
    if (list === undefined) grouped.set(key, [problem]);
    else list.push(problem);
  }
  return (device) => grouped.get(`${device.file}\u0000${device.fileAddress}`) ?? [];
}

/** One item of a streamed dump: a function ready for checks, or a reader problem (in file order). */
export type DumpStreamItem = { kind: 'function'; fn: DumpPciFunction } | { kind: 'problem'; problem: DumpParseError };

/**
 * Streams the functions and problems of a dump path, one file at a time: memory stays bounded by the
 * largest file, whatever the number of files (a run over a directory of 10,000 dumps). Never throws
 * on bad input. Every problem is yielded, so a caller can record each one as a result.
 */
export function* streamDumpFunctions(path: string): Generator<DumpStreamItem> {
  for (const parsed of streamDumpFiles(bareDumpPath(path))) {
    for (const problem of parsed.problems) yield { kind: 'problem', problem };
    const problemsOf = problemsByDevice(parsed.problems);
    for (const device of parsed.devices) yield { kind: 'function', fn: new DumpPciFunction(device, problemsOf(device)) };
  }
}

/**
 * Whether a dump path is bad input, read in bounded memory without keeping its devices: the
 * {@link DumpInputError} naming every error-severity problem, or undefined. For the run to call on
 * every `dump:` target before anything runs (exit 2 when it returns an error).
 */
export function checkDumpInput(path: string): DumpInputError | undefined {
  const errors: DumpParseError[] = [];
  for (const parsed of streamDumpFiles(bareDumpPath(path))) errors.push(...parsed.problems.filter((problem) => problem.severity === 'error'));
  return errors.length > 0 ? new DumpInputError(`dump:${bareDumpPath(path)}`, errors) : undefined;
}

/**
 * Reads `path` and returns the `dump:PATH` target.
 * @param path file or directory; a leading `dump:` is accepted and removed
 */
export async function createDumpTarget(path: string): Promise<DumpTarget> {
  const bare = bareDumpPath(path);
  const parsed = await loadDump(bare);
  // Each function carries the problems of its own bytes, so its results can record them.
  const problemsOf = problemsByDevice(parsed.problems);
  const functions = parsed.devices.map((device) => new DumpPciFunction(device, problemsOf(device)));
  const errors = parsed.problems.filter((problem) => problem.severity === 'error');
  return {
    metadata: dumpMetadata(bare),
    problems: parsed.problems,
    inputError: errors.length > 0 ? new DumpInputError(`dump:${bare}`, errors) : undefined,
    async functions(): Promise<DumpPciFunction[]> {
      return functions.slice();
    },
    async close(): Promise<void> {},
  } satisfies DumpTarget & { functions(): Promise<PciFunction[]> };
}

/**
 * One item of a streamed decode: a decoded device, or a reader problem. Every problem is yielded once;
 * `attached` when it is about a device of the same file (and so also in that device's issues).
 */
export type DecodeStreamItem = { kind: 'device'; device: DecodedDevice } | { kind: 'problem'; problem: DumpParseError; attached: boolean };

/**
 * Decodes every function of `path`, one file at a time (memory bounded by the largest file, whatever
 * the number of files), yielding each device as soon as its file is read, then that file's problems.
 * Never throws on bad input.
 */
export function* streamDecodedDump(path: string): Generator<DecodeStreamItem> {
  for (const parsed of streamDumpFiles(bareDumpPath(path))) {
    // Straight from the parsed devices: decoding only reads the bytes, so the copy a PciFunction's
    // snapshot() makes for callers would be an allocation per device for nothing, and the problems
    // are grouped by device once instead of scanned once per device.
    const problemsOf = problemsByDevice(parsed.problems);
    const attached = new Set<DumpParseError>();
    for (const device of parsed.devices) {
      const own = problemsOf(device);
      for (const problem of own) attached.add(problem);
      yield {
        kind: 'device',
        device: decodeConfigSpace({
          bdf: device.address,
          bytes: device.bytes,
          truncated: device.truncated,
          ...(device.description === undefined ? {} : { description: device.description }),
          source: { file: device.file, line: device.line },
          problems: own,
        }),
      };
    }
    for (const problem of parsed.problems) yield { kind: 'problem', problem, attached: attached.has(problem) };
  }
}

/** Decodes every function of `path` into memory (small dumps, tests). Never throws on bad input. */
export async function decodeDump(path: string): Promise<{ devices: DecodedDevice[]; problems: readonly DumpParseError[] }> {
  const devices: DecodedDevice[] = [];
  const problems: DumpParseError[] = [];
  for (const item of streamDecodedDump(path)) {
    if (item.kind === 'device') devices.push(item.device);
    else problems.push(item.problem);
  }
  return { devices, problems };
}
