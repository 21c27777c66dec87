/**
 * `xvc guest-kernel [status|fetch] [--cache DIR]`: the kernel, modules and busybox that `guest:`
 * targets boot. `fetch` fills the cache from Debian packages (apt-get download + dpkg-deb -x: no
 * package is installed and no install hook runs) and does nothing when the cache is complete;
 * `status` says what the cache holds. `.ci/run` calls `fetch` before the tests.
 */
import { cachedGuestKernel, fetchGuestKernel, FETCH_COMMAND, GuestKernelFetchError, guestCacheDir } from '../../targets/guest.ts';
import { exitCodeOfError } from '../../core/xvc-error.ts';
import { terminalSafe } from '../../core/terminal-text.ts';
import type { CommandIo } from '../main.ts';
import { CommandUsageError, commandUsage, requireCommandArgs } from '../command-options.ts';

/** Help text of `xvc guest-kernel` (spec/commands.yaml). */
export const usage = commandUsage('guest-kernel');

/** Runs `xvc guest-kernel`. */
export async function run(args: string[], io: CommandIo): Promise<number> {
  const parsed = requireCommandArgs('guest-kernel', args);
  if (parsed.values.help) {
    io.stdout(usage);
    return 0;
  }
  const [action = 'status', ...extra] = parsed.positionals;
  if (extra.length > 0 || (action !== 'status' && action !== 'fetch')) throw new CommandUsageError('guest-kernel', "expected 'status' or 'fetch'");
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
    io.stderr(`xvc guest-kernel fetch: ${error instanceof GuestKernelFetchError ? `${error.code} ` : ''}${terminalSafe(`${error instanceof Error ? error.message : String(error)}${output}`, { multiline: true })}\n`);
    return exitCodeOfError(error);
  }
}
