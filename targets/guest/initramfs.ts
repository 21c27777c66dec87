/**
 * Builds xvc's initramfs for a kernel: a static busybox, the init script, the virtio PCI transport
 * modules and every virtio driver module of the kernel with its dependencies (decompressed), and the
 * tables that tell init what to load. Built once per kernel and kept in the cache folder, named by a
 * hash of what went into it; the same archive serves every device type.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { catalogueModules, loadOrder, readModuleBytes, virtioDriverModules, type ModuleCatalogue } from './kernel-modules.ts';
import { guestCacheDir, type GuestKernel } from './guest-kernel.ts';
import { DEFAULT_INIT_TIMING, initScript, INITRAMFS_LAYOUT, type InitTiming } from './init-script.ts';
import { writeNewcArchive, type NewcEntry } from './newc-archive.ts';

/** The transport module init loads first (its dependencies come along). */
export const VIRTIO_TRANSPORT_MODULE = 'virtio_pci';
/** Character device numbers of /dev/console (Linux Documentation/admin-guide/devices.txt: 5,1). */
const CONSOLE_MAJOR = 5;
const CONSOLE_MINOR = 1;
const EXECUTABLE = 0o755;

/** What was put into an initramfs. */
export interface BuiltInitramfs {
  readonly path: string;
  readonly bytes: number;
  /** Whether this call built it (false: found in the cache). */
  readonly fresh: boolean;
  /** Transport modules in load order (empty when built in); known when just built. */
  readonly core?: readonly string[];
  /** Driver modules per virtio device type, in load order; known when just built. */
  readonly drivers?: ReadonlyMap<number, readonly string[]>;
  /** Modules a dependency names but the tree lacks; known when just built. */
  readonly missing?: readonly string[];
}

const encoder = new TextEncoder();
const built = new Map<string, Promise<BuiltInitramfs>>();

async function stamp(path: string | undefined): Promise<string> {
  if (path === undefined) return '-';
  try {
    const info = await stat(path);
    return `${path}:${info.size}:${info.mtimeMs}`;
  } catch {
    return `${path}:missing`;
  }
}

async function build(kernel: GuestKernel, busybox: string, script: string, path: string): Promise<BuiltInitramfs> {
  const catalogue: ModuleCatalogue | undefined = kernel.modulesDir === undefined ? undefined : await catalogueModules(kernel.modulesDir);
  const entries: NewcEntry[] = ['bin', 'dev', 'proc', 'sys', 'tmp', 'xvc', INITRAMFS_LAYOUT.modules, INITRAMFS_LAYOUT.drivers].map((dir) => ({ kind: 'directory', path: dir }));
  entries.push({ kind: 'char-device', path: 'dev/console', major: CONSOLE_MAJOR, minor: CONSOLE_MINOR });
  entries.push({ kind: 'file', path: 'bin/busybox', data: new Uint8Array(await readFile(busybox)), mode: EXECUTABLE });
  entries.push({ kind: 'file', path: 'init', data: encoder.encode(script), mode: EXECUTABLE });
  const core: string[] = [];
  const drivers = new Map<number, string[]>();
  const missing = new Set<string>();
  const included = new Set<string>();
  if (catalogue) {
    const transport = loadOrder(catalogue, [VIRTIO_TRANSPORT_MODULE]);
    transport.missing.forEach((name) => missing.add(name));
    core.push(...transport.order.map((module) => module.name));
    const modules = [...transport.order];
    for (const [id, names] of virtioDriverModules(catalogue)) {
      const order = loadOrder(catalogue, names);
      order.missing.forEach((name) => missing.add(name));
      drivers.set(id, order.order.map((module) => module.name));
      modules.push(...order.order);
    }
    for (const module of modules) {
      if (included.has(module.name)) continue;
      included.add(module.name);
      entries.push({ kind: 'file', path: `${INITRAMFS_LAYOUT.modules}/${module.name}.ko`, data: await readModuleBytes(module.path) });
    }
  }
  entries.push({ kind: 'file', path: INITRAMFS_LAYOUT.core, data: encoder.encode(core.map((name) => `${name}\n`).join('')) });
  for (const [id, names] of drivers) entries.push({ kind: 'file', path: `${INITRAMFS_LAYOUT.drivers}/${id}`, data: encoder.encode(names.map((name) => `${name}\n`).join('')) });
  const archive = writeNewcArchive(entries);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, archive);
  await rename(temporary, path);
  return { path, bytes: archive.length, fresh: true, core, drivers, missing: [...missing] };
}

/**
 * The initramfs for `kernel` (which must have a busybox: a user initramfs is used as it is), from the
 * cache when an identical one was built before.
 */
export function initramfsFor(kernel: GuestKernel, options: { cacheDir?: string; timing?: InitTiming } = {}): Promise<BuiltInitramfs> {
  const busybox = kernel.busybox;
  if (busybox === undefined) return Promise.reject(new Error('xvc builds an initramfs only around a static busybox'));
  const script = initScript(options.timing ?? DEFAULT_INIT_TIMING);
  const key = JSON.stringify([kernel.modulesDir ?? '', busybox, script]);
  let promise = built.get(key);
  if (!promise) {
    promise = (async () => {
      const digest = createHash('sha256')
        .update(JSON.stringify([await stamp(kernel.modulesDir), await stamp(kernel.modulesDir && join(kernel.modulesDir, 'modules.dep')), await stamp(busybox), script]))
        .digest('hex')
        .slice(0, 24);
      const dir = join(options.cacheDir ?? guestCacheDir(), 'initramfs');
      await mkdir(dir, { recursive: true });
      const path = join(dir, `xvc-${digest}.cpio`);
      try {
        return { path, bytes: (await stat(path)).size, fresh: false };
      } catch {
        return await build(kernel, busybox, script, path);
      }
    })();
    built.set(key, promise);
    promise.catch(() => built.delete(key));
  }
  return promise;
}
