/**
 * Every process xvc starts (QEMU, adapters) must die with xvc, whatever ends xvc: a normal exit, a
 * signal, an uncaught error, SIGKILL. Three mechanisms, because none covers every case alone:
 *
 * 1. A registry of live children, killed from the process's `exit` hook and on SIGINT/SIGTERM (which
 *    reach the main thread only; a worker thread's children are covered by 3).
 * 2. Process groups: a child started with `group: true` leads its own group (setsid), and killing it
 *    kills the group, so grandchildren an adapter forked (and that still hold its stdout) go too. When
 *    the leader exits, whatever is left of its group is killed at once.
 * 3. A parent-death signal: where util-linux's `setpriv` is installed, the child runs as
 *    `setpriv --pdeathsig KILL -- sh -c '[ "$PPID" = <xvc pid> ] || exit 125; exec env ...' ...`
 *    (`env -u` removes what the shell itself adds to the environment: PWD, SHLVL, `_`). The
 *    kernel sends SIGKILL to the child when the thread that started it ends, including when xvc is
 *    SIGKILLed and no code of xvc runs any more. The `$PPID` test closes the race in which xvc dies
 *    between the fork and setpriv's prctl (the child would then never get the signal). The signal is
 *    tied to the starting thread: children of a worker thread die with that worker.
 *
 * Children are started with argument vectors only; the `sh -c` script is a constant and the command
 * and its arguments reach it as positional parameters, never as text to parse.
 */
import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/** Exit status of the guard script when xvc was already gone before the child could arm its signal. */
export const PARENT_GONE_EXIT = 125;

/** The constant script the parent-death guard runs: checks the parent, then becomes the command. */
const GUARD_SCRIPT = '[ "$PPID" = "$1" ] || exit 125; shift; exec /usr/bin/env "$@"';

/** Variables a shell may add to the environment it passes on; removed unless the caller set them. */
const SHELL_ADDED_VARIABLES = ['PWD', 'OLDPWD', 'SHLVL', '_'];

interface Tracked {
  child: ChildProcess;
  group: boolean;
}

const live = new Map<ChildProcess, Tracked>();
let hooked = false;

/** How a child is started: Node's spawn options plus xvc's lifetime rules. */
export interface ChildOptions extends Omit<SpawnOptions, 'detached' | 'shell'> {
  /** Start the child as the leader of its own process group; killing it kills the group. */
  group?: boolean;
  /** Arm a parent-death signal when `setpriv` is available (default true). */
  dieWithParent?: boolean;
}

/** What protects a started child, for metadata and tests. */
export interface ChildGuards {
  group: boolean;
  /** True when the child runs under the setpriv parent-death guard. */
  parentDeathSignal: boolean;
}

let setprivPath: string | null | undefined;

/** Path of a `setpriv` that supports `--pdeathsig`, or null. Looked up once per process. */
export function parentDeathHelper(): string | null {
  if (setprivPath !== undefined) return setprivPath;
  setprivPath = null;
  const tools = ['/bin/sh', '/usr/bin/env'].every((tool) => {
    try {
      accessSync(tool, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  if (!tools) return setprivPath;
  for (const candidate of ['/usr/bin/setpriv', '/bin/setpriv', ...searchPath('setpriv', process.env.PATH)]) {
    try {
      accessSync(candidate, constants.X_OK);
      const help = execFileSync(candidate, ['--help'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 });
      if (help.includes('--pdeathsig')) {
        setprivPath = candidate;
        break;
      }
    } catch {
      // not there, or too old: try the next
    }
  }
  return setprivPath;
}

function searchPath(name: string, path: string | undefined): string[] {
  return (path ?? '').split(delimiter).filter((dir) => isAbsolute(dir)).map((dir) => join(dir, name));
}

/**
 * Whether `command` names an executable the guard's `exec` would find. When it does not, the child
 * is started without the guard so that Node reports the missing program itself (an `error` event with
 * ENOENT/EACCES), exactly as for an unguarded child.
 */
function resolvable(command: string, options: ChildOptions): boolean {
  // env would read NAME=VALUE as an assignment, not as the program.
  if (command.includes('=')) return false;
  const candidates = command.includes('/')
    ? [resolve(typeof options.cwd === 'string' ? options.cwd : process.cwd(), command)]
    : searchPath(command, (options.env ?? process.env).PATH);
  return candidates.some((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Starts `command` with `args` (no shell interpretation of either), registered so that it dies with
 * xvc. The returned child is the process that becomes `command` (same pid).
 */
export function spawnChild(command: string, args: readonly string[], options: ChildOptions = {}): ChildProcess & { guards: ChildGuards } {
  const { group = false, dieWithParent = true, ...spawnOptions } = options;
  const helper = dieWithParent ? parentDeathHelper() : null;
  const guarded = helper !== null && resolvable(command, options);
  const environment = spawnOptions.env ?? process.env;
  const unset = SHELL_ADDED_VARIABLES.filter((name) => environment[name] === undefined).flatMap((name) => ['-u', name]);
  const child = guarded
    ? spawn(helper, ['--pdeathsig', 'KILL', '--', '/bin/sh', '-c', GUARD_SCRIPT, 'xvc-guard', String(process.pid), ...unset, '--', command, ...args], {
        ...spawnOptions,
        detached: group,
        shell: false,
      })
    : spawn(command, [...args], { ...spawnOptions, detached: group, shell: false });
  trackChild(child, { group });
  return Object.assign(child, { guards: { group, parentDeathSignal: guarded } });
}

function installHooks(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', () => killAllChildren('SIGKILL'));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      // With other listeners (a run finishing the check in flight, closing its targets and writing its
      // partial results), stopping the children is theirs: killing them here turned the checks in
      // flight into false "QEMU crashed" errors. Whatever they leave is killed by the exit hook.
      if (process.listenerCount(signal) > 1) return;
      // Alone, this listener would swallow the signal: kill the children, restore the default
      // (terminate) and re-raise.
      killAllChildren('SIGKILL');
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/**
 * Registers a child started elsewhere; `group` when it leads its own process group. Removed from the
 * registry when it exits; a group leader's remaining group is killed then.
 */
export function trackChild(child: ChildProcess, options: { group?: boolean } = {}): void {
  installHooks();
  const tracked: Tracked = { child, group: options.group ?? false };
  live.set(child, tracked);
  child.once('exit', () => {
    live.delete(child);
    // Grandchildren (a helper the adapter forked, still holding its stdout) end with their leader.
    if (tracked.group) signalGroup(child, 'SIGKILL');
  });
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): boolean {
  if (child.pid === undefined) return false;
  try {
    process.kill(-child.pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Sends `signal` to the child, and to its whole process group when it leads one. Never throws. */
export function signalChild(child: ChildProcess, signal: NodeJS.Signals): void {
  const tracked = live.get(child);
  if (tracked?.group && signalGroup(child, signal)) return;
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    child.kill(signal);
  } catch {
    // already gone
  }
}

/** Kills every registered child (and its group) with `signal`. Synchronous: safe in an exit hook. */
export function killAllChildren(signal: NodeJS.Signals = 'SIGKILL'): number {
  let count = 0;
  for (const { child } of [...live.values()]) {
    signalChild(child, signal);
    count += 1;
  }
  return count;
}

/** How many registered children are still alive (for tests that check nothing leaks). */
export function liveChildCount(): number {
  return live.size;
}

/**
 * Stops a child: SIGTERM (to its group when it leads one), then SIGKILL after `graceMs`; resolves once
 * it has exited. Idempotent.
 */
export function reapChild(child: ChildProcess, graceMs = 1000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    if (live.get(child)?.group) signalGroup(child, 'SIGKILL');
    return Promise.resolve();
  }
  return new Promise((resolvePromise) => {
    const killer = setTimeout(() => signalChild(child, 'SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(killer);
      resolvePromise();
    });
    signalChild(child, graceMs === 0 ? 'SIGKILL' : 'SIGTERM');
  });
}

/** The exit status a shell reports for a process ended by `signal` (128 + its number). */
export function signalExitCode(signal: NodeJS.Signals): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };
  return 128 + (numbers[signal] ?? 15);
}

/**
 * For a command that must end cleanly on SIGINT, SIGTERM or SIGHUP (`xvc run`): kills every child at
 * once, then runs `onSignal` (e.g. writing the partial results), bounded by `graceMs`, then exits
 * with 128 + the signal's number. A second signal exits at once. Returns a function that removes the
 * handlers. Call it once, early, on the main thread (signals are not delivered to workers).
 */
export function installTerminationHandler(onSignal: (signal: NodeJS.Signals) => void | Promise<void>, graceMs = 10_000): () => void {
  installHooks();
  let ending = false;
  const handlers = new Map<NodeJS.Signals, () => void>();
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = (): void => {
      killAllChildren('SIGKILL');
      if (ending) process.exit(signalExitCode(signal));
      ending = true;
      const deadline = setTimeout(() => process.exit(signalExitCode(signal)), graceMs);
      void Promise.resolve()
        .then(() => onSignal(signal))
        .catch(() => undefined)
        .finally(() => {
          clearTimeout(deadline);
          process.exit(signalExitCode(signal));
        });
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  return () => {
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
  };
}
