import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.ts';
import { diagnostics } from './diagnostics.ts';
import { createOutputFile, lockOutDir, OUT_DIR_LOCK_NAME, OutDirLockedError, OutDirNotAFolderError, OutputFileError } from './safe-output.ts';

const scratch = mkdtempSync(join(tmpdir(), 'xvc-safe-output-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;
const freshDir = (): string => {
  const dir = join(scratch, `case-${counter++}`);
  mkdirSync(dir);
  return dir;
};
const moduleUrl = new URL('./safe-output.ts', import.meta.url).href;

function write(file: string, text: string): void {
  const fd = createOutputFile(file);
  writeSync(fd, text);
  closeSync(fd);
}

describe('createOutputFile', () => {
  it('replaces a planted symbolic link instead of writing through it', () => {
    const dir = freshDir();
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, join(dir, 'results.jsonl'));
    write(join(dir, 'results.jsonl'), 'run output');
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(readFileSync(join(dir, 'results.jsonl'), 'utf8')).toBe('run output');
  });

  it('replaces a planted hard link instead of truncating the file it shares', () => {
    const dir = freshDir();
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'precious');
    linkSync(victim, join(dir, 'results.jsonl'));
    write(join(dir, 'results.jsonl'), 'run output');
    expect(readFileSync(victim, 'utf8')).toBe('precious');
  });

  it('refuses a directory with the name', () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'results.jsonl'));
    expect(() => createOutputFile(join(dir, 'results.jsonl'))).toThrow(OutputFileError);
  });
});

describe('writeFileAtomic', () => {
  it('replaces a planted symbolic link instead of writing through it', () => {
    const dir = freshDir();
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, join(dir, 'summary.md'));
    writeFileAtomic(join(dir, 'summary.md'), '# summary');
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toBe('# summary');
  });
});

/** A Node process that tries to lock `dir`, prints the outcome, and holds the lock until killed. */
function locker(dir: string): { child: ChildProcess; outcome: Promise<string> } {
  const script = `
    const { lockOutDir } = await import(${JSON.stringify(moduleUrl)});
    try { lockOutDir(${JSON.stringify(dir)}); console.log('locked'); } catch (error) { console.log(error.code); }
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const outcome = new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
  return { child, outcome };
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** What `body` throws (undefined when it returns). */
function thrownBy(body: () => unknown): unknown {
  try {
    body();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('lockOutDir', () => {
  it('refuses a directory a live run holds, naming its pid, and takes it over once that run is dead', async () => {
    const dir = freshDir();
    const holder = locker(dir);
    expect(await holder.outcome).toBe('locked');
    const refusal = thrownBy(() => lockOutDir(dir));
    expect(refusal).toBeInstanceOf(OutDirLockedError);
    expect((refusal as OutDirLockedError).owner).toMatchObject({ pid: holder.child.pid, host: hostname() });
    expect((refusal as OutDirLockedError).message).toContain(`pid ${holder.child.pid}`);
    // Which command holds it: the holder's argv (a node process started by this test).
    expect((refusal as OutDirLockedError).message).toContain(process.execPath);
    // SIGKILL: the holder cannot remove its lock; the next run finds it stale and takes over.
    await killed(holder.child);
    const lock = lockOutDir(dir);
    expect(lock.owner.pid).toBe(process.pid);
    lock.release();
    expect(existsSync(join(dir, OUT_DIR_LOCK_NAME))).toBe(false);
  });

  it('lets exactly one of several runs starting at once have the directory', async () => {
    const dir = freshDir();
    const runs = Array.from({ length: 4 }, () => locker(dir));
    const outcomes = await Promise.all(runs.map((run) => run.outcome));
    await Promise.all(runs.map((run) => killed(run.child)));
    expect(outcomes.filter((outcome) => outcome === 'locked')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'XVC3013')).toHaveLength(3);
  });

  it('refuses an --out that is a file, or lies under one, with the catalogued error naming it, and leaves the file alone', () => {
    const file = join(freshDir(), 'a-file');
    writeFileSync(file, 'mine');
    for (const out of [file, join(file, 'below')]) {
      const refusal = thrownBy(() => lockOutDir(out));
      expect(refusal).toBeInstanceOf(OutDirNotAFolderError);
      expect((refusal as OutDirNotAFolderError).code).toBe(diagnostics.outDirNotAFolder.code);
      expect((refusal as OutDirNotAFolderError).exitCode).toBe(2);
      expect((refusal as OutDirNotAFolderError).message).toContain(out);
    }
    expect(readFileSync(file, 'utf8')).toBe('mine');
  });

  it('takes over a lock file that is not a lock (damaged), and refuses while held in this process', () => {
    const dir = freshDir();
    writeFileSync(join(dir, OUT_DIR_LOCK_NAME), 'garbage');
    const lock = lockOutDir(dir);
    expect(() => lockOutDir(dir)).toThrow(OutDirLockedError);
    lock.release();
    lock.release();
  });
});
