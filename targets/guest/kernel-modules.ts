/**
 * The kernel modules a guest needs: the virtio PCI transport and, per virtio device type, the driver
 * module with everything it depends on, in load order. Read from the kernel's own `modules.dep` and
 * `modules.alias` when the tree has them (an installed kernel), else from each module's `.modinfo`
 * (a package unpacked with `dpkg-deb -x`, whose install hook would have run depmod).
 *
 * Modules may be compressed. gzip is decompressed by Node's zlib; Node 20 has no xz or zstd decoder,
 * so `.ko.xz` and `.ko.zst` go through the system's `xz -dc` and `zstd -dc` (xz-utils and zstd, which
 * every distribution that compresses its modules also ships).
 */
import { XvcError } from '../../core/xvc-error.ts';
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { isElfProblem, memorySource, readModinfo } from './elf-file.ts';
import { withOpenFile } from './file-source.ts';

/** One module of the tree. */
export interface KernelModule {
  /** Module name as the kernel knows it (`virtio_net`; dashes become underscores). */
  readonly name: string;
  readonly path: string;
  /** Names of the modules it needs loaded first. */
  readonly depends: readonly string[];
  /** `alias=` values (`virtio:d00000001v*`). */
  readonly aliases: readonly string[];
}

/** What xvc knows about a modules tree (`/lib/modules/RELEASE`). */
export interface ModuleCatalogue {
  readonly root: string;
  readonly modules: ReadonlyMap<string, KernelModule>;
  /** Modules built into the kernel image (modules.builtin): nothing to load. */
  readonly builtin: ReadonlySet<string>;
  /** Files that could not be read as modules, with why. */
  readonly problems: readonly string[];
}

/** A module that cannot be read or decompressed. */
export class KernelModuleError extends XvcError<'kernelModule'> {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super('kernelModule', `${path}: ${message}`, { path });
  }
}

const MODULE_FILE = /\.ko(\.gz|\.xz|\.zst)?$/;
/** Bound on the files walked in a modules tree (a distribution kernel has a few thousand). */
const MAX_FILES = 50_000;
const MAX_DEPTH = 12;
const DECOMPRESS_TIMEOUT_MS = 30_000;
/** Largest decompressed module accepted (the largest real ones are a few MiB). */
const MAX_MODULE_BYTES = 256 << 20;

/** The kernel's name of the module in `path`: the file name without `.ko[.xz|.zst|.gz]`, `-` as `_`. */
export function moduleNameOf(path: string): string {
  return basename(path).replace(MODULE_FILE, '').replaceAll('-', '_');
}

function runDecompressor(tool: string, path: string): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    execFile(tool, ['-dc', path], { encoding: 'buffer', maxBuffer: MAX_MODULE_BYTES, timeout: DECOMPRESS_TIMEOUT_MS }, (error, stdout) => {
      if (error) {
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        reject(new KernelModuleError(path, missing ? `'${tool}' is needed to decompress it and is not installed` : `'${tool} -dc' failed: ${error.message}`));
      } else resolve(new Uint8Array(stdout));
    });
  });
}

/** The module's ELF bytes, decompressed according to its suffix. */
export async function readModuleBytes(path: string): Promise<Uint8Array> {
  const suffix = MODULE_FILE.exec(path)?.[1];
  if (suffix === '.xz') return runDecompressor('xz', path);
  if (suffix === '.zst') return runDecompressor('zstd', path);
  const bytes = new Uint8Array(await readFile(path));
  if (suffix !== '.gz') return bytes;
  try {
    return new Uint8Array(gunzipSync(bytes, { maxOutputLength: MAX_MODULE_BYTES }));
  } catch (error) {
    throw new KernelModuleError(path, `gzip data is damaged: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function listModuleFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH || found.length >= MAX_FILES) return;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (found.length >= MAX_FILES) return;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full, depth + 1);
      else if (entry.isFile() && MODULE_FILE.test(entry.name)) found.push(full);
    }
  };
  await walk(root, 0);
  return found.sort();
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

function builtinNames(text: string | undefined): Set<string> {
  return new Set((text ?? '').split('\n').filter((line) => line.trim() !== '').map((line) => moduleNameOf(line.trim())));
}

/** Reads modules.dep and modules.alias, the indexes depmod writes. */
function fromIndexes(root: string, depText: string, aliasText: string): Map<string, KernelModule> {
  const aliases = new Map<string, string[]>();
  for (const line of aliasText.split('\n')) {
    const [keyword, pattern, name] = line.trim().split(/\s+/);
    if (keyword !== 'alias' || pattern === undefined || name === undefined) continue;
    const list = aliases.get(name) ?? [];
    list.push(pattern);
    aliases.set(name, list);
  }
  const modules = new Map<string, KernelModule>();
  for (const line of depText.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const path = line.slice(0, colon).trim();
    const name = moduleNameOf(path);
    const depends = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(moduleNameOf);
    modules.set(name, { name, path: join(root, path), depends, aliases: aliases.get(name) ?? [] });
  }
  return modules;
}

/** Reads each module's `.modinfo` (depends, alias, name). */
async function fromModinfo(root: string, problems: string[]): Promise<Map<string, KernelModule>> {
  const modules = new Map<string, KernelModule>();
  for (const path of await listModuleFiles(root)) {
    let info;
    try {
      info = /\.ko$/.test(path) ? await withOpenFile(path, readModinfo) : await readModinfo(memorySource(await readModuleBytes(path)));
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
      continue;
    }
    if (isElfProblem(info)) {
      problems.push(`${relative(root, path)}: ${info.problem}`);
      continue;
    }
    const name = (info.find(([key]) => key === 'name')?.[1] ?? moduleNameOf(path)).replaceAll('-', '_');
    const dependsText = info.find(([key]) => key === 'depends')?.[1] ?? '';
    const depends = dependsText.split(',').filter(Boolean).map((dep) => dep.replaceAll('-', '_'));
    modules.set(name, { name, path, depends, aliases: info.filter(([key]) => key === 'alias').map(([, value]) => value) });
  }
  return modules;
}

/** Catalogues the modules tree at `root` (the directory that holds `kernel/` and, perhaps, modules.dep). */
export async function catalogueModules(root: string): Promise<ModuleCatalogue> {
  const problems: string[] = [];
  const [depText, aliasText, builtinText] = await Promise.all(['modules.dep', 'modules.alias', 'modules.builtin'].map((file) => readOptional(join(root, file))));
  const modules = depText !== undefined && aliasText !== undefined ? fromIndexes(root, depText, aliasText) : await fromModinfo(root, problems);
  return { root, modules, builtin: builtinNames(builtinText), problems };
}

/** Modules to load, dependencies first, for `wanted`; names built in or unknown are reported, not thrown. */
export function loadOrder(catalogue: ModuleCatalogue, wanted: readonly string[]): { order: KernelModule[]; missing: string[] } {
  const order: KernelModule[] = [];
  const missing: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, depth: number): void => {
    if (state.has(name) || depth > catalogue.modules.size + 1) return;
    if (catalogue.builtin.has(name)) {
      state.set(name, 'done');
      return;
    }
    const module = catalogue.modules.get(name);
    if (!module) {
      state.set(name, 'done');
      missing.push(name);
      return;
    }
    state.set(name, 'visiting');
    for (const dep of module.depends) visit(dep, depth + 1);
    state.set(name, 'done');
    order.push(module);
  };
  for (const name of wanted) visit(name, 0);
  return { order, missing };
}

const VIRTIO_ALIAS = /^virtio:d([0-9A-Fa-f]{8})v/;

/** Driver modules by the virtio device type they bind (from `virtio:dNNNNNNNNv*` aliases), in name order. */
export function virtioDriverModules(catalogue: ModuleCatalogue): Map<number, string[]> {
  const drivers = new Map<number, string[]>();
  for (const module of [...catalogue.modules.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    for (const alias of module.aliases) {
      const match = VIRTIO_ALIAS.exec(alias);
      if (!match) continue;
      const id = Number.parseInt(match[1]!, 16);
      const list = drivers.get(id) ?? [];
      if (!list.includes(module.name)) list.push(module.name);
      drivers.set(id, list);
    }
  }
  return drivers;
}
