/**
 * `xvc guest-kernel [status|fetch] [--cache DIR]`: the kernel, modules and busybox that `guest:`
 * targets boot. `fetch` fills the cache from Debian packages (apt-get download + dpkg-deb -x: no
 * package is installed and no install hook runs) and does nothing when the cache is complete;
 * `status` says what the cache holds. `.ci/run` calls `fetch` before the tests.
 */
import { parseArgs } from 'node:util';
import { cachedGuestKernel, fetchGuestKernel, FETCH_COMMAND, GuestKernelFetchError, guestCacheDir } from '../../targets/guest.ts';
import type { CommandIo } from '../main.ts';

/** Help text of `xvc guest-kernel`. */
export const usage = `usage: xvc guest-kernel [status|fetch] [--cache DIR]

The guest: targets boot a Linux kernel under QEMU with the device under test. By default that is
Debian's linux-image-cloud-amd64 with its modules and busybox-static as the only userland, kept in
a cache folder: --cache DIR, else XVC_GUEST_CACHE, else $XDG_CACHE_HOME/xvc/guest or ~/.cache/xvc/guest.

  status   print what the cache holds (exit 0), or that it is empty (exit 1)
  fetch    download the packages with apt-get download and unpack them with dpkg-deb -x (no root
           needed unless apt's package lists must be refreshed); nothing to do when already there

To test your own kernel instead, give it on the target: guest:DEVICE,kernel=PATH[,modules=DIR] or
guest:DEVICE,kernel=PATH,initrd=PATH (docs/guest-target.md).
Exit codes: 0 done, 1 cache empty (status), 2 bad usage, 3 the fetch failed.
`;

/** Runs `xvc guest-kernel`. */
export async function run(args: string[], io: CommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { cache: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr(`xvc guest-kernel: ${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout(usage);
    return 0;
  }
  const [action = 'status', ...extra] = parsed.positionals;
  if (extra.length > 0 || (action !== 'status' && action !== 'fetch')) {
    io.stderr(`xvc guest-kernel: expected 'status' or 'fetch'\n${usage}`);
    return 2;
  }
  const cacheDir = parsed.values.cache ?? guestCacheDir();
  if (action === 'status') {
    const kernel = await cachedGuestKernel(cacheDir);
    if (!kernel) {
      io.stdout(`no guest kernel in ${cacheDir}; run '${FETCH_COMMAND}'\n`);
      return 1;
    }
    io.stdout(`kernel   ${kernel.kernel}\nrelease  ${kernel.release ?? '?'}\nmodules  ${kernel.modulesDir ?? '-'}\nbusybox  ${kernel.busybox ?? '-'}\n`);
    return 0;
  }
  try {
    const kernel = await fetchGuestKernel({ cacheDir, log: (line) => io.stdout(`${line}\n`) });
    io.stdout(`guest kernel ${kernel.release ?? ''} ready in ${cacheDir}\n`);
    return 0;
  } catch (error) {
    const output = error instanceof GuestKernelFetchError && error.output ? `\n${error.output.trim().split('\n').slice(-15).join('\n')}` : '';
    io.stderr(`xvc guest-kernel fetch: ${error instanceof Error ? error.message : String(error)}${output}\n`);
    return 3;
  }
}
