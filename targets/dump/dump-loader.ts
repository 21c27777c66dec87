import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { DumpParseError } from './dump-parse-error.ts';
import { parseLspciBytes, type LspciTextParse } from './lspci-text-parser.ts';
import { looksLikeText, parseRawConfig } from './raw-config-parser.ts';

/** At most this many files are read from a directory: a bound on what a path can make xvc do. */
const MAX_DIRECTORY_FILES = 10_000;
/** Files in a dump directory that are not dumps (fixture metadata, notes). */
const NOT_DUMP_SUFFIXES = ['.json', '.md'];

/**
 * Reads a dump path: an lspci text file, a raw binary, or a directory of such files (not recursive; hidden
 * files and `.json`/`.md` skipped; files in name order). In directory mode device addresses are prefixed
 * with the file name so they stay unique. Never throws: unreadable files become problems.
 */
export async function loadDump(path: string): Promise<LspciTextParse> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    return { devices: [], problems: [new DumpParseError('unreadable-file', `cannot read: ${describe(error)}`, path, 0, 0)] };
  }
  if (!info.isDirectory()) return loadDumpFile(path, path);

  const devices: LspciTextParse['devices'] = [];
  const problems: DumpParseError[] = [];
  let names: string[];
  try {
    names = (await readdir(path)).filter((name) => !name.startsWith('.') && !NOT_DUMP_SUFFIXES.some((s) => name.endsWith(s))).sort();
  } catch (error) {
    return { devices: [], problems: [new DumpParseError('unreadable-file', `cannot list directory: ${describe(error)}`, path, 0, 0)] };
  }
  if (names.length > MAX_DIRECTORY_FILES) {
    problems.push(new DumpParseError('unreadable-file', `${names.length} files; only the first ${MAX_DIRECTORY_FILES} are read`, path, 0, 0, 'warning'));
    names = names.slice(0, MAX_DIRECTORY_FILES);
  }
  for (const name of names) {
    const file = join(path, name);
    const entry = await stat(file).catch(() => undefined);
    if (!entry?.isFile()) continue;
    const parsed = await loadDumpFile(file, file);
    for (const device of parsed.devices) {
      // Binaries (line 0) are already named after their file.
      devices.push(device.line === 0 ? device : { ...device, address: `${name}:${device.address}` });
    }
    problems.push(...parsed.problems);
  }
  if (devices.length === 0 && problems.length === 0) problems.push(new DumpParseError('no-devices', 'no dump files in directory', path, 0, 0));
  return { devices, problems };
}

async function loadDumpFile(path: string, shownAs: string): Promise<LspciTextParse> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return { devices: [], problems: [new DumpParseError('unreadable-file', `cannot read: ${describe(error)}`, shownAs, 0, 0)] };
  }
  if (bytes.length > 0 && !looksLikeText(bytes)) {
    const parsed = parseRawConfig(bytes, shownAs);
    // A binary has no address; its id is the file's own name.
    return { devices: parsed.devices.map((d) => ({ ...d, address: basename(shownAs) })), problems: parsed.problems };
  }
  const parsed = parseLspciBytes(bytes, shownAs);
  if (parsed.devices.length === 0 && parsed.problems.length === 0) {
    parsed.problems.push(new DumpParseError('no-devices', 'no device address line with hex data in this file', shownAs, 0, 0));
  }
  return parsed;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
