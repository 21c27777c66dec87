/**
 * Reading a file someone else made, without letting it choose how much xvc reads or whether xvc
 * ever returns. `readFileSync('/dev/zero')` grows until memory runs out; a FIFO blocks the thread that
 * opens it forever (and with it the signal handlers of a run); a directory where a file is expected
 * fails deep inside a parser. Every command that reads an input file reads it through here: regular
 * files only (sysfs and procfs attribute files such as `/sys/bus/pci/devices/X/config` are regular
 * files, and are read by their content rather than their reported size), each kind of input with its
 * own size bound, and every refusal a located, coded error rather than an exception.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { XvcError } from './xvc-error.ts';

/** The kinds of input xvc reads, each with its own bound. */
export type InputKind = 'dump' | 'results' | 'expectations' | 'scenario';

/**
 * Most bytes read for each kind of input:
 * - dump: an lspci text dump of a whole machine at -xxxx is about 16 KiB per function; 64 MiB holds
 *   thousands of functions, and a raw binary is at most 4 KiB;
 * - results: a results.json or results.jsonl of a long run (the largest seen is ~100 MiB);
 * - expectations: a hand-written YAML list of known failures;
 * - scenario: one counterexample as JSON.
 */
export const inputLimits: Readonly<Record<InputKind, number>> = {
  dump: 64 * 1024 * 1024,
  results: 512 * 1024 * 1024,
  expectations: 4 * 1024 * 1024,
  scenario: 16 * 1024 * 1024,
};

/** Catalogue entries (core/diagnostics.ts) of {@link InputFileError}. */
export type InputFileProblem =
  /** No such file. */
  | 'inputMissing'
  /** Not a regular file: a directory, FIFO, socket, character or block device. */
  | 'inputNotAFile'
  /** More bytes than the bound of its kind. */
  | 'inputTooLarge'
  /** Permission denied, I/O error, ... */
  | 'inputUnreadable';

/** What a path turned out to be, when it was not a regular file. */
export type SpecialFileType = 'directory' | 'fifo' | 'socket' | 'character device' | 'block device' | 'unknown';

/** Why an input file was not read (exit code 2). The message starts with the file name. */
export class InputFileError extends XvcError<InputFileProblem> {
  constructor(
    problem: InputFileProblem,
    readonly file: string,
    readonly kind: InputKind | 'file',
    readonly detail: string,
    readonly fields: { limit?: number; size?: number; fileType?: SpecialFileType } = {},
  ) {
    super(problem, `${file}: ${detail}`, { file, kind, detail, ...fields });
  }
}

/** The bytes of an input file, or why it was not read. */
export type InputRead = { ok: true; bytes: Buffer } | { ok: false; error: InputFileError };

/** Options of {@link readInputFile}. */
export interface ReadInputOptions {
  /** Most bytes accepted; default the bound of `kind`. */
  limit?: number;
}

/** What a stat says the file is, when it is not a regular file. */
export function specialFileType(stats: Stats): SpecialFileType | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return 'directory';
  if (stats.isFIFO()) return 'fifo';
  if (stats.isSocket()) return 'socket';
  if (stats.isCharacterDevice()) return 'character device';
  if (stats.isBlockDevice()) return 'block device';
  return 'unknown';
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const CHUNK_BYTES = 64 * 1024;

/** Options of {@link readInputChunks}. */
export interface ReadInputChunkOptions extends ReadInputOptions {
  /**
   * Most bytes per chunk. Without it the file is read in one piece when its size is right (plus a
   * byte to see that it ended), as {@link readInputFile} wants it.
   */
  chunkBytes?: number;
  /**
   * Read every chunk into the same memory: a chunk's bytes are good only until the next is asked
   * for. For readers that consume a chunk at once, so that a large file costs one chunk of memory.
   */
  reuseMemory?: boolean;
}

/**
 * Reads an input file in chunks, bounded, with the checks of {@link readInputFile}: a refusal (or a
 * read error) is the last item, never an exception. A reader that stops early closes the file.
 * @param file path as the user gave it (also what errors name)
 * @param kind which bound applies, and what the messages call the file
 */
export function* readInputChunks(file: string, kind: InputKind | 'file', options: ReadInputChunkOptions = {}): Generator<InputRead> {
  const limit = options.limit ?? (kind === 'file' ? inputLimits.dump : inputLimits[kind]);
  const refuse = (problem: InputFileProblem, detail: string, fields: InputFileError['fields'] = {}): InputRead => ({
    ok: false,
    error: new InputFileError(problem, file, kind, detail, fields),
  });
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return yield refuse('inputMissing', 'no such file');
    if (code === 'ENXIO') return yield refuse('inputNotAFile', 'is a socket or device, not a regular file', { fileType: 'unknown' });
    return yield refuse('inputUnreadable', `cannot open: ${describeError(error)}`);
  }
  try {
    let stats: Stats;
    try {
      stats = fstatSync(fd);
    } catch (error) {
      return yield refuse('inputUnreadable', `cannot read: ${describeError(error)}`);
    }
    const special = specialFileType(stats);
    if (special === 'directory') return yield refuse('inputNotAFile', 'is a directory; a file is expected here', { fileType: special });
    if (special !== undefined) return yield refuse('inputNotAFile', `is a ${special}, not a regular file; xvc reads only regular files`, { fileType: special });
    if (stats.size > limit) return yield refuse('inputTooLarge', `is ${stats.size} bytes, more than the ${limit} bytes xvc reads as a ${kind}`, { limit, size: stats.size });
    // The reported size is only a hint (sysfs says 4096 for everything, procfs 0): read until end of
    // file, but never more than the bound and one byte.
    let total = 0;
    let next = Math.min(options.chunkBytes ?? Infinity, Math.max(CHUNK_BYTES, stats.size + 1));
    let reused: Buffer | undefined;
    for (;;) {
      const size = Math.min(next, limit + 1 - total);
      if (options.reuseMemory === true && (reused === undefined || reused.length < size)) reused = Buffer.allocUnsafe(size);
      const chunk = reused === undefined ? Buffer.allocUnsafe(size) : reused.subarray(0, size);
      next = options.chunkBytes ?? CHUNK_BYTES;
      let read: number;
      try {
        read = readSync(fd, chunk, 0, chunk.length, null);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EISDIR') return yield refuse('inputNotAFile', 'is a directory; a file is expected here', { fileType: 'directory' });
        return yield refuse('inputUnreadable', `cannot read: ${describeError(error)}`);
      }
      if (read === 0) return;
      total += read;
      if (total > limit) return yield refuse('inputTooLarge', `holds more than the ${limit} bytes xvc reads as a ${kind}`, { limit });
      yield { ok: true, bytes: read === chunk.length ? chunk : chunk.subarray(0, read) };
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a whole input file, bounded. Opens without blocking (a FIFO is refused, not waited on) and
 * checks the opened file itself, so a path swapped between a check and the open cannot slip through.
 * Never throws.
 * @param file path as the user gave it (also what errors name)
 * @param kind which bound applies, and what the messages call the file
 */
export function readInputFile(file: string, kind: InputKind | 'file', options: ReadInputOptions = {}): InputRead {
  const chunks: Buffer[] = [];
  let total = 0;
  for (const chunk of readInputChunks(file, kind, options)) {
    if (!chunk.ok) return chunk;
    chunks.push(chunk.bytes);
    total += chunk.bytes.length;
  }
  return { ok: true, bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total) };
}

/** Reads an input file as UTF-8 text (bounded, regular files only); see {@link readInputFile}. */
export function readInputText(file: string, kind: InputKind | 'file', options: ReadInputOptions = {}): { ok: true; text: string } | { ok: false; error: InputFileError } {
  const read = readInputFile(file, kind, options);
  return read.ok ? { ok: true, text: read.bytes.toString('utf8') } : read;
}
