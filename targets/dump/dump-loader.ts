import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inputLimits, readInputChunks, specialFileType } from '../../core/input-file.ts';
import { DumpParseError } from './dump-parse-error.ts';
import { LspciTextReader, type LspciTextParse } from './lspci-text-parser.ts';
import { classifyDump, parseRawConfig, SYSFS_CONFIG } from './raw-config-parser.ts';

/** At most this many files are read from a directory: a bound on what a path can make xvc do. */
export const MAX_DIRECTORY_FILES = 10_000;
/** Largest dump file read: an lspci text of a whole machine fits; /dev/zero or a log file does not. */
export const MAX_DUMP_FILE_BYTES = inputLimits.dump;
/** Files in a dump directory that are not dumps (fixture metadata, notes). */
const NOT_DUMP_SUFFIXES = ['.json', '.md'];

/** What one file of a dump path yields. */
export interface DumpFileParse extends LspciTextParse {
  /** The file, as shown in problems. */
  file: string;
}

/**
 * Reads a dump path one file at a time: an lspci text file, a raw binary, or a directory of such files
 * or of sysfs device directories, each read through its `config` file (a copy of
 * /sys/bus/pci/devices; not recursive otherwise; hidden files and `.json`/`.md` skipped; entries in
 * name order; at most {@link MAX_DIRECTORY_FILES}). Only one file's devices are held at once, so a directory of thousands
 * of dumps is read in bounded memory. Never throws: a missing path, a FIFO, a device node, a file
 * larger than {@link MAX_DUMP_FILE_BYTES} or a directory that cannot be listed becomes a located
 * problem. In directory mode device addresses are prefixed with the file name so they stay unique.
 */
export function* streamDumpFiles(path: string): Generator<DumpFileParse> {
  let info;
  try {
    info = statSync(path);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    yield { file: path, devices: [], problems: [new DumpParseError('dumpUnreadableFile', missing ? 'cannot read: no such file or directory' : `cannot read: ${describe(error)}`, path, 0, 0)] };
    return;
  }
  if (!info.isDirectory()) {
    yield loadDumpFile(path, path);
    return;
  }
  let names: string[];
  try {
    names = readdirSync(path)
      .filter((name) => !name.startsWith('.') && !NOT_DUMP_SUFFIXES.some((suffix) => name.endsWith(suffix)))
      .sort();
  } catch (error) {
    yield { file: path, devices: [], problems: [new DumpParseError('dumpUnreadableFile', `cannot list directory: ${describe(error)}`, path, 0, 0)] };
    return;
  }
  if (names.length > MAX_DIRECTORY_FILES) {
    yield {
      file: path,
      devices: [],
      problems: [new DumpParseError('dumpUnreadableFile', `${names.length} files; only the first ${MAX_DIRECTORY_FILES} (in name order) are read`, path, 0, 0, 'warning')],
    };
    names = names.slice(0, MAX_DIRECTORY_FILES);
  }
  let any = false;
  for (const name of names) {
    const file = join(path, name);
    let entry;
    try {
      entry = statSync(file);
    } catch {
      continue; // removed while listing
    }
    // A device directory (sysfs) is read through its config file; other subdirectories are not
    // descended into. A FIFO or device node is reported, never opened for a blocking read.
    if (entry.isDirectory()) {
      const config = join(file, SYSFS_CONFIG);
      let inner;
      try {
        inner = statSync(config);
      } catch {
        continue;
      }
      if (inner.isDirectory()) continue;
      any = true;
      const special = specialFileType(inner);
      if (special !== undefined) {
        yield { file: config, devices: [], problems: [new DumpParseError('dumpUnreadableFile', `is a ${special}, not a regular file; skipped`, config, 0, 0)] };
        continue;
      }
      yield loadDumpFile(config, config);
      continue;
    }
    any = true;
    const special = specialFileType(entry);
    if (special !== undefined) {
      yield { file, devices: [], problems: [new DumpParseError('dumpUnreadableFile', `is a ${special}, not a regular file; skipped`, file, 0, 0)] };
      continue;
    }
    const parsed = loadDumpFile(file, file);
    // Binaries (line 0) are already named after their file.
    yield { ...parsed, devices: parsed.devices.map((device) => (device.line === 0 ? device : { ...device, address: `${name}:${device.address}` })) };
  }
  if (!any) yield { file: path, devices: [], problems: [new DumpParseError('dumpNoDevices', 'no dump files in directory', path, 0, 0)] };
}

/** Reads a whole dump path into memory (for small dumps and tests); see {@link streamDumpFiles}. */
export async function loadDump(path: string): Promise<LspciTextParse> {
  const devices: LspciTextParse['devices'] = [];
  const problems: DumpParseError[] = [];
  for (const parsed of streamDumpFiles(path)) {
    devices.push(...parsed.devices);
    problems.push(...parsed.problems);
  }
  return { devices, problems };
}

/** Most bytes of a text dump read at a time: a large dump is read piece by piece, never held whole. */
const TEXT_PIECE_BYTES = 1024 * 1024;
/** What classifyDump looks at: the first 64 KiB decide between text and binary. */
const CLASSIFIED_BYTES = 65536;

function loadDumpFile(path: string, shownAs: string): DumpFileParse {
  // The first pieces are held until they decide the kind; a text's later pieces go straight to its reader.
  const head: Buffer[] = [];
  let headBytes = 0;
  let reader: LspciTextReader | undefined;
  for (const piece of readInputChunks(path, 'dump', { limit: MAX_DUMP_FILE_BYTES, chunkBytes: TEXT_PIECE_BYTES, reuseMemory: true })) {
    if (!piece.ok) return { file: shownAs, devices: [], problems: [new DumpParseError('dumpUnreadableFile', piece.error.detail, shownAs, 0, 0)] };
    if (reader !== undefined) {
      reader.push(piece.bytes);
      continue;
    }
    // Held until the kind is known: a copy, since the next piece is read into the same memory.
    head.push(Buffer.from(piece.bytes));
    headBytes += piece.bytes.length;
    if (headBytes >= CLASSIFIED_BYTES && classifyDump(head.length === 1 ? head[0]! : Buffer.concat(head, headBytes)) === 'text') {
      reader = new LspciTextReader(shownAs);
      for (const held of head.splice(0)) reader.push(held);
    }
  }
  if (reader === undefined) {
    const bytes = head.length === 1 ? head[0]! : Buffer.concat(head, headBytes);
    if (classifyDump(bytes) === 'binary') {
      // A binary has no address: its id is the file's name, or its sysfs device directory's.
      return { file: shownAs, ...parseRawConfig(bytes, shownAs) };
    }
    reader = new LspciTextReader(shownAs);
    reader.push(bytes);
  }
  const parsed = reader.end();
  if (parsed.devices.length === 0 && parsed.problems.length === 0) {
    parsed.problems.push(new DumpParseError('dumpNoDevices', 'no device address line with hex data in this file', shownAs, 0, 0));
  }
  return { file: shownAs, ...parsed };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
