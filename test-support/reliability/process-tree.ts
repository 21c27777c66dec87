/**
 * Who a process started, read from /proc: the reliability suite counts what a killed or finished xvc
 * left alive. Linux only (CI and every machine xvc runs QEMU on).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Parent pid of `pid`, or undefined when it is gone. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** Every live descendant of `root` (children, their children, ...). */
export function descendantsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = parentOf(Number(entry));
    if (parent === undefined) continue;
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const visit = (pid: number): void => {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(root);
  return found;
}

/** Whether `pid` is still a running process (a zombie awaiting its parent counts as gone). */
export function isAlive(pid: number): boolean {
  if (!existsSync(`/proc/${pid}`)) return false;
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * The pids of `pids` still alive once they have had `graceMs` to die (a process killed by its
 * parent's death takes a moment to exit); polls, so it returns as soon as all are gone.
 */
export async function survivors(pids: readonly number[], graceMs = 5000): Promise<number[]> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    const alive = pids.filter(isAlive);
    if (alive.length === 0 || Date.now() >= deadline) return alive;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The command line of `pid` (NUL-separated arguments), or '' when it is gone. */
export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Readiness by process: resolves with every process under `pid` once `wanted` of them have a
 * command line `matches` accepts, or with what there is when `ended` settles first (the caller then
 * sees too few and says so).
 */
export async function waitForDescendants(pid: number, matches: (command: string) => boolean, wanted: number, ended: Promise<unknown>): Promise<number[]> {
  let over = false;
  void ended.then(() => {
    over = true;
  });
  for (;;) {
    const found = descendantsOf(pid);
    if (over || found.filter((child) => matches(commandOf(child))).length >= wanted) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
