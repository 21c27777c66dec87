/**
 * `xvc guest-kernel [status|fetch] [--cache DIR]`: the kernel, modules and busybox that `guest:`
 * targets boot. `fetch` fills the cache from Debian packages (apt-get download + dpkg-deb -x: no
 * package is installed and no install hook runs) and does nothing when the cache is complete;
 * `status` says what the cache holds. `.ci/run` calls `fetch` before the tests.
 */
import { cachedGuestKernel, fetchGuestKernel, FETCH_COMMAND, GuestKernelFetchError, guestCacheDir } from '../../targets/guest.ts';
import type { CommandIo } from '../main.ts';
import { commandUsage, parseCommandArgs } from '../command-options.ts';

/** Help text of `xvc guest-kernel` (spec/commands.yaml). */
export const usage = commandUsage('guest-kernel');

/** Runs `xvc guest-kernel`. */
export async function run(args: string[], io: CommandIo): Promise<number> {
  const parsed = parseCommandArgs('guest-kernel', args);
  if (!parsed.ok) {
    io.stderr(`xvc guest-kernel: ${parsed.message}\n${usage}`);
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
