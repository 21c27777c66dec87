/**
 * Writing into an output directory someone else may have prepared. `open(path, 'w')` follows a
 * symbolic link planted at `path` (or writes through a hard link), so a pre-created `results.jsonl`
 * pointing at `~/.bashrc` made xvc overwrite that file. And two runs writing one directory at once
 * interleave their lines and both report success. So:
 * - every output file is created fresh: whatever entry has its name is unlinked first (a link is
 *   removed, never followed), then the file is created with O_CREAT|O_EXCL|O_NOFOLLOW;
 * - files written whole go through a temporary sibling created the same way, then renamed over the
 *   name (rename replaces a link, it does not follow it): see core/atomic-write.ts;
 * - a run holds a lock file in its output directory naming its owner (pid, process start time, host);
 *   a second run refuses the directory while the owner lives, and takes over a lock its dead owner left.
 */
import { closeSync, constants, linkSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { XvcError } from './xvc-error.ts';

/** Why an output file could not be created safely. */
export class OutputFileError extends XvcError<'outputIsDirectory' | 'outputUnwritable'> {
  constructor(
    problem: 'outputIsDirectory' | 'outputUnwritable',
    readonly file: string,
    readonly detail: string,
  ) {
    super(problem, `${file}: ${detail}`, { file, detail });
  }
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Creates `file` for writing, replacing whatever had its name without following it: a symbolic
 * link or a hard link planted there is removed, and the new file is created exclusively (O_EXCL,
 * O_NOFOLLOW), so the bytes written can only land in a new file at that name. Returns the open fd.
 * Throws {@link OutputFileError} when the name is a directory or cannot be created.
 */
export function createOutputFile(file: string, mode = 0o644): number {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  // A few attempts: an entry planted again between the unlink and the open is removed once more.
  for (let attempt = 0; attempt < 3; attempt++) {
    let existing;
    try {
      existing = lstatSync(file);
    } catch {
      existing = undefined;
    }
    if (existing?.isDirectory()) throw new OutputFileError('outputIsDirectory', file, 'is a directory; xvc writes a file with this name');
    if (existing) {
      try {
        unlinkSync(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new OutputFileError('outputUnwritable', file, `cannot replace: ${describe(error)}`);
      }
    }
    try {
      return openSync(file, flags, mode);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new OutputFileError('outputUnwritable', file, `cannot create: ${describe(error)}`);
    }
  }
  throw new OutputFileError('outputUnwritable', file, 'another process keeps creating this name');
}

/** Name of the lock file a run keeps in its output directory. */
export const OUT_DIR_LOCK_NAME = '.xvc-run.lock';

/** Who holds an output directory. */
export interface LockOwner {
  pid: number;
  host: string;
  /** When the owner started, as /proc/PID/stat counts it (clock ticks since boot); tells a reused pid apart. */
  processStart?: string;
  /** When the lock was taken (ISO 8601). */
  since: string;
  /** The owner's command line, for the message a second run prints. */
  command?: string[];
}

/** Most characters of the owner's command line a refusal shows. */
const SHOWN_COMMAND_CHARS = 300;

// Which command holds the folder (an xvc run, or an xvc report --merge), as its lock recorded it:
// the message says 'xvc process' and lets the command line tell which.
function ownerCommand(owner: LockOwner): string {
  if (!Array.isArray(owner.command) || owner.command.length === 0) return '';
  const command = owner.command.map(String).join(' ');
  return `: ${command.length > SHOWN_COMMAND_CHARS ? `${command.slice(0, SHOWN_COMMAND_CHARS)}...` : command}`;
}

/** The output directory is in use by another live run or merge (exit code 2). */
export class OutDirLockedError extends XvcError<'outDirLocked'> {
  constructor(
    readonly outDir: string,
    readonly lockFile: string,
    readonly owner: LockOwner,
  ) {
    super(
      'outDirLocked',
      `${outDir} is in use by another xvc process (pid ${owner.pid} on ${owner.host}, since ${owner.since}${ownerCommand(owner)}); wait for it, choose another --out, or delete ${lockFile} if that process is gone`,
      { outDir, lockFile, owner },
    );
  }
}

/** The output folder's path names an existing file (or something under a file), so no folder can be made there (exit code 2). */
export class OutDirNotAFolderError extends XvcError<'outDirNotAFolder'> {
  constructor(
    readonly outDir: string,
    readonly detail: string,
  ) {
    super('outDirNotAFolder', `--out ${outDir} ${detail}; xvc writes its files into a folder: choose a folder (an existing one, or a new name)`, { outDir, detail });
  }
}

/**
 * Creates `outDir` (and its parents) if needed. A file in the way is the user's, named as such
 * ({@link OutDirNotAFolderError}); anything else that stops the folder is {@link OutputFileError}.
 */
function makeOutDir(outDir: string): void {
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new OutDirNotAFolderError(outDir, 'is an existing file, not a folder');
    if (code === 'ENOTDIR') throw new OutDirNotAFolderError(outDir, 'lies under an existing file, not a folder');
    throw new OutputFileError('outputUnwritable', outDir, `cannot create the folder: ${describe(error)}`);
  }
}

/** A held output-directory lock. */
export interface OutDirLock {
  readonly file: string;
  readonly owner: LockOwner;
  /** Removes the lock if it is still this process's. Idempotent; also done at process exit. */
  release(): void;
}

/** Start time of a process from /proc (field 22 of stat), or undefined where there is no /proc. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether the owner of a lock still runs (on this host; a lock from another host is assumed live). */
export function ownerAlive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true;
  if (!Number.isSafeInteger(owner.pid) || owner.pid <= 0) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // The pid lives; is it still the same process, or a new one that got the number?
  const start = processStartTime(owner.pid);
  return owner.processStart === undefined || start === undefined || start === owner.processStart;
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string' || typeof value.since !== 'string') return undefined;
    return value as LockOwner;
  } catch {
    return undefined;
  }
}

/**
 * Takes the lock of `outDir` (created if needed) for this process. Throws {@link OutDirLockedError}
 * when a live run holds it, and {@link OutDirNotAFolderError} when a file is in the way; a lock left
 * by a dead run (or unreadable) is taken over. The lock is released by `release()` or when the
 * process exits.
 */
export function lockOutDir(outDir: string, command: readonly string[] = process.argv): OutDirLock {
  makeOutDir(outDir);
  const file = join(outDir, OUT_DIR_LOCK_NAME);
  const start = processStartTime(process.pid);
  const owner: LockOwner = { pid: process.pid, host: hostname(), ...(start !== undefined && { processStart: start }), since: new Date().toISOString(), command: [...command] };
  const content = `${JSON.stringify(owner)}\n`;
  for (let attempt = 0; attempt < 5; attempt++) {
    // Written completely under a private name, then linked to the lock name: link() fails if the
    // name exists, so a reader never sees a half-written lock and two runs cannot both succeed.
    const temporary = join(outDir, `${OUT_DIR_LOCK_NAME}.${process.pid}.${Math.random().toString(36).slice(2)}`);
    const fd = createOutputFile(temporary);
    try {
      writeSync(fd, content);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(temporary, file);
      rmSync(temporary, { force: true });
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        process.removeListener('exit', release);
        const current = readOwner(file);
        if (current?.pid === owner.pid && current.since === owner.since) rmSync(file, { force: true });
      };
      process.once('exit', release);
      return { file, owner, release };
    } catch (error) {
      rmSync(temporary, { force: true });
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new OutputFileError('outputUnwritable', file, `cannot create the lock: ${describe(error)}`);
    }
    const holder = readOwner(file);
    if (holder && ownerAlive(holder)) throw new OutDirLockedError(outDir, file, holder);
    // Stale (its run is gone) or unreadable: move it aside, and take over only if what was moved is
    // the stale lock just read, not a fresh one another run created in between.
    const aside = `${file}.stale.${process.pid}.${Math.random().toString(36).slice(2)}`;
    try {
      renameSync(file, aside);
    } catch {
      continue; // someone else moved it: try again from the start
    }
    const moved = readOwner(aside);
    if (moved && holder && (moved.pid !== holder.pid || moved.since !== holder.since) && ownerAlive(moved)) {
      // A live run's lock: put it back (link does not overwrite) and give way.
      try {
        linkSync(aside, file);
      } catch {
        // a third run holds the name now; it will be found on the next attempt
      }
      rmSync(aside, { force: true });
      throw new OutDirLockedError(outDir, file, moved);
    }
    rmSync(aside, { force: true });
  }
  throw new OutputFileError('outputUnwritable', file, 'could not take the lock (it kept changing hands)');
}
