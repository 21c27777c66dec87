/**
 * Where the guest's kernel, modules and userland come from: the user's own (`kernel=`, `modules=`,
 * `initrd=` target options), or the cache that `xvc guest-kernel fetch` fills from Debian packages
 * (`linux-image-cloud-amd64` and `busybox-static`, unpacked with `dpkg-deb -x`, so no package install
 * hook ever runs and no root is needed for the unpacking).
 */
import { XvcError } from '../../core/xvc-error.ts';
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { isStaticElfExecutable } from './elf-file.ts';
import { withOpenFile } from './file-source.ts';

/** The cache directory: `XVC_GUEST_CACHE`, else `$XDG_CACHE_HOME/xvc/guest`, else `~/.cache/xvc/guest`. */
export function guestCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.XVC_GUEST_CACHE) return resolve(env.XVC_GUEST_CACHE);
  return join(env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(homedir(), '.cache'), 'xvc', 'guest');
}

/** The command that fills the cache, for messages. */
export const FETCH_COMMAND = 'npx xvc guest-kernel fetch';

/** Everything a guest boots with. */
export interface GuestKernel {
  /** The kernel image (bzImage). */
  readonly kernel: string;
  /** `/lib/modules/RELEASE` of that kernel, when modules are to be loaded from it. */
  readonly modulesDir?: string;
  /** A prebuilt initramfs given by the user: used as it is, xvc's init is not added. */
  readonly initrd?: string;
  /** A static busybox for xvc's init (absent with a user initramfs). */
  readonly busybox?: string;
  /** The kernel's build configuration, when known (to tell a transitional virtio-pci driver from a modern-only one). */
  readonly config?: string;
  /** Kernel release, e.g. `6.1.0-57-cloud-amd64`, when known. */
  readonly release?: string;
  /** Where it came from, for provenance. */
  readonly source: 'cache' | 'user';
}

/** What the user may set on a `guest:` target. */
export interface GuestKernelChoice {
  kernel?: string;
  modules?: string;
  initrd?: string;
}

/** The guest kernel is not available; the message says how to get it. */
export class GuestKernelMissingError extends XvcError<'guestKernelMissing'> {
  constructor(
    readonly cacheDir: string,
    readonly missing: string,
  ) {
    super(
      'guestKernelMissing',
      `no guest kernel: ${missing}. Run '${FETCH_COMMAND}' (fills ${cacheDir}; set XVC_GUEST_CACHE to use another folder) or give your own with kernel=PATH[,modules=DIR] or initrd=PATH.`,
      { cacheDir, missing },
    );
  }
}

/** Fetching the Debian packages failed. */
export class GuestKernelFetchError extends XvcError<'guestKernelFetch'> {
  constructor(
    message: string,
    readonly output?: string,
  ) {
    super('guestKernelFetch', message, output === undefined ? {} : { output });
  }
}

const KERNEL_DIR = 'kernel';
const BUSYBOX_DIR = 'busybox';
const PACKAGE_ROOT = 'root';
/** Places a static busybox is looked for when the cache has none. */
const HOST_BUSYBOX = ['/bin/busybox', '/usr/bin/busybox'];

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** The release of the newest `vmlinuz-RELEASE` in `bootDir`, or undefined. */
async function newestRelease(bootDir: string): Promise<string | undefined> {
  let names: string[];
  try {
    names = await readdir(bootDir);
  } catch {
    return undefined;
  }
  const releases = names.filter((name) => name.startsWith('vmlinuz-')).map((name) => name.slice('vmlinuz-'.length));
  return releases.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).at(-1);
}

async function staticBusybox(cacheDir: string): Promise<string | undefined> {
  for (const candidate of [join(cacheDir, BUSYBOX_DIR, PACKAGE_ROOT, 'bin', 'busybox'), join(cacheDir, BUSYBOX_DIR, PACKAGE_ROOT, 'usr', 'bin', 'busybox'), ...HOST_BUSYBOX]) {
    if (!(await exists(candidate))) continue;
    if (await withOpenFile(candidate, isStaticElfExecutable).catch(() => false)) return candidate;
  }
  return undefined;
}

/** The Debian kernel in the cache, or undefined when the cache has none. */
export async function cachedGuestKernel(cacheDir = guestCacheDir()): Promise<GuestKernel | undefined> {
  const root = join(cacheDir, KERNEL_DIR, PACKAGE_ROOT);
  const release = await newestRelease(join(root, 'boot'));
  if (release === undefined) return undefined;
  const modulesDir = join(root, 'lib', 'modules', release);
  const busybox = await staticBusybox(cacheDir);
  if (!busybox || !(await exists(modulesDir))) return undefined;
  const config = join(root, 'boot', `config-${release}`);
  return { kernel: join(root, 'boot', `vmlinuz-${release}`), modulesDir, busybox, release, source: 'cache', ...((await exists(config)) && { config }) };
}

/**
 * The kernel a guest target boots: the user's choice when given, else the cache. Throws
 * {@link GuestKernelMissingError} with the fetch command when nothing is there.
 */
export async function resolveGuestKernel(choice: GuestKernelChoice = {}, cacheDir = guestCacheDir()): Promise<GuestKernel> {
  if (choice.kernel === undefined) {
    if (choice.initrd !== undefined || choice.modules !== undefined) throw new GuestKernelMissingError(cacheDir, 'initrd= and modules= need kernel= too');
    const cached = await cachedGuestKernel(cacheDir);
    if (!cached) throw new GuestKernelMissingError(cacheDir, `the cache ${cacheDir} holds no Debian kernel and static busybox`);
    return cached;
  }
  const kernel = resolve(choice.kernel);
  if (!(await exists(kernel))) throw new GuestKernelMissingError(cacheDir, `kernel=${choice.kernel} is not a readable file`);
  if (choice.initrd !== undefined) {
    const initrd = resolve(choice.initrd);
    if (!(await exists(initrd))) throw new GuestKernelMissingError(cacheDir, `initrd=${choice.initrd} is not a readable file`);
    return { kernel, initrd, source: 'user' };
  }
  const busybox = await staticBusybox(cacheDir);
  if (!busybox) throw new GuestKernelMissingError(cacheDir, 'no static busybox for the initramfs (install busybox-static, or fetch the cache)');
  // A distribution's kernel keeps its build configuration beside it: /boot/vmlinuz-R and /boot/config-R.
  const release = /^vmlinuz-(.+)$/.exec(basename(kernel))?.[1];
  const config = release === undefined ? undefined : join(dirname(kernel), `config-${release}`);
  const known = { kernel, busybox, source: 'user' as const, ...(release !== undefined && { release }), ...(config !== undefined && (await exists(config)) && { config }) };
  if (choice.modules === undefined) return known;
  const modulesDir = resolve(choice.modules);
  if (!(await exists(modulesDir))) throw new GuestKernelMissingError(cacheDir, `modules=${choice.modules} is not a readable folder`);
  return { ...known, modulesDir };
}

const APT_TIMEOUT_MS = 10 * 60_000;

function run(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(command, args, { cwd, timeout: APT_TIMEOUT_MS, maxBuffer: 16 << 20, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }, (error, stdout, stderr) => {
      if (error) reject(new GuestKernelFetchError(`'${command} ${args.join(' ')}' failed: ${error.message.split('\n')[0]}`, `${stdout}${stderr}`));
      else resolvePromise(String(stdout));
    });
  });
}

/** The versioned kernel package a metapackage (`linux-image-cloud-amd64`) depends on. */
export function kernelPackageOf(dependsOutput: string): string | undefined {
  return /Depends:\s*(linux-image-[0-9][^\s<>]*)/.exec(dependsOutput)?.[1];
}

/** Downloads one package into `dir` and unpacks it into `dir/root`; returns the .deb's file name. */
async function downloadAndUnpack(name: string, dir: string, log: (line: string) => void): Promise<string> {
  const attempt = () => run('apt-get', ['download', '-q', name], dir);
  try {
    await attempt();
  } catch (error) {
    // A machine whose package lists were never fetched knows no packages yet.
    log(`apt-get download ${name} failed; refreshing the package lists (apt-get update) and retrying`);
    await run('apt-get', ['update', '-q'], dir).catch(() => {
      throw error;
    });
    await attempt();
  }
  const deb = (await readdir(dir)).find((file) => file.startsWith(`${name}_`) && file.endsWith('.deb'));
  if (!deb) throw new GuestKernelFetchError(`apt-get download ${name} left no .deb in ${dir}`);
  // dpkg-deb -x unpacks the data part only: maintainer scripts (depmod, initramfs, bootloader hooks) never run.
  await run('dpkg-deb', ['-x', deb, PACKAGE_ROOT], dir);
  await rm(join(dir, deb), { force: true });
  return deb;
}

/**
 * Fills the cache from Debian: the kernel `linux-image-cloud-amd64` depends on, with its modules, and
 * `busybox-static`. Does nothing for the parts already there. Each part is unpacked beside the cache
 * and renamed into place, so an interrupted fetch never leaves half a kernel behind.
 */
export async function fetchGuestKernel(options: { cacheDir?: string; log?: (line: string) => void; metapackage?: string } = {}): Promise<GuestKernel> {
  const cacheDir = options.cacheDir ?? guestCacheDir();
  const log = options.log ?? (() => {});
  const metapackage = options.metapackage ?? 'linux-image-cloud-amd64';
  await mkdir(cacheDir, { recursive: true });
  const fetchPart = async (part: string, packageName: () => Promise<string>): Promise<void> => {
    const final = join(cacheDir, part);
    const staging = await mkdtemp(join(cacheDir, `.${part}-`));
    try {
      const name = await packageName();
      log(`downloading ${name}`);
      const deb = await downloadAndUnpack(name, staging, log);
      log(`unpacked ${deb} into ${final}`);
      await rm(final, { recursive: true, force: true });
      await rename(staging, final);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  };
  if ((await newestRelease(join(cacheDir, KERNEL_DIR, PACKAGE_ROOT, 'boot'))) === undefined) {
    await fetchPart(KERNEL_DIR, async () => {
      const depends = await run('apt-cache', ['depends', metapackage], cacheDir);
      const kernelPackage = kernelPackageOf(depends);
      if (!kernelPackage) throw new GuestKernelFetchError(`'apt-cache depends ${metapackage}' names no linux-image package`, depends);
      return kernelPackage;
    });
  } else log(`kernel already in ${join(cacheDir, KERNEL_DIR)}`);
  if (!(await exists(join(cacheDir, BUSYBOX_DIR, PACKAGE_ROOT)))) await fetchPart(BUSYBOX_DIR, async () => 'busybox-static');
  else log(`busybox already in ${join(cacheDir, BUSYBOX_DIR)}`);
  const kernel = await cachedGuestKernel(cacheDir);
  if (!kernel) throw new GuestKernelFetchError(`the packages were unpacked into ${cacheDir} but hold no kernel, modules folder and static busybox`);
  return kernel;
}
