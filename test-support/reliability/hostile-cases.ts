/**
 * The reliability suite: what a hostile user or implementation can do to xvc, each tried through the
 * real binary, each judged by what xvc must do (exit code, no process left behind, no finding lost,
 * nothing written where it must not be). The test (`cli/reliability.test.ts`) requires every case to
 * hold; the benchmark prints the tally (cases, survivors, lost findings).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../core/package-root.ts';
import { survivors, waitForDescendants } from './process-tree.ts';

/** How one case went. */
export interface CaseOutcome {
  /** Everything xvc had to do, it did. */
  held: boolean;
  /** Processes xvc started that were still alive after it ended. */
  survivors: number;
  /** Findings (an adapter crash, a failure) that did not reach the results. */
  lostFindings: number;
  /** What was seen, for a failure message. */
  detail: string;
}

/** One hostile situation. */
export interface HostileCase {
  name: string;
  run(scratch: string): Promise<CaseOutcome>;
}

const xvcBin = join(packageRoot, 'bin', 'xvc.js');

/** Runs `xvc ARGS` to the end (bounded: a hang is a failure of the case, not of the suite). */
function xvc(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
  const child = spawnSync(process.execPath, [xvcBin, ...args], { cwd: packageRoot, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...options.env } });
  return { status: child.status, signal: child.signal, stdout: child.stdout, stderr: child.stderr };
}

/** A case that only checks an exit code and what stderr says. */
function refuses(name: string, args: (scratch: string) => string[], code: number, says: RegExp): HostileCase {
  return {
    name,
    async run(scratch) {
      const result = xvc(args(scratch));
      const held = result.status === code && says.test(result.stderr + result.stdout);
      return { held, survivors: 0, lostFindings: 0, detail: `exit ${result.status} (${result.signal ?? 'no signal'}): ${(result.stderr || result.stdout).slice(0, 300)}` };
    },
  };
}

/**
 * Starts `xvc run ARGS`, waits until it runs and has started `wanted` QEMU processes,
 * notes every process it started and sends `signal`; then counts what is still alive after xvc ended.
 */
async function stopMidRun(args: string[], signal: NodeJS.Signals, wanted = 2): Promise<{ code: number | null; started: number[]; alive: number[]; stderr: string }> {
  const child = spawn(process.execPath, [xvcBin, 'run', ...args], { cwd: packageRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  // Readiness, first the run: its first progress line (its signal handling is in place); then the
  // QEMU processes of the device targets (earlier qemu processes only answer `-device help`).
  const running = new Promise<void>((ready) =>
    child.stderr.on('data', (text: string) => {
      stderr += text;
      if (/ 0\/\d+ results/.test(stderr)) ready();
    }),
  );
  const closed = new Promise<number | null>((done) => child.on('close', (exitCode) => done(exitCode)));
  await Promise.race([running, closed]);
  const started = await waitForDescendants(child.pid!, (command) => command.includes('qemu-system'), wanted, closed);
  child.kill(signal);
  const code = await closed;
  return { code, started, alive: await survivors(started), stderr };
}

/** Two QEMU devices: enough to prove every child is stopped, light enough for CI. */
const qemuTargets = ['--target', 'qemu:virtio-net-pci,disable-legacy=on', '--target', 'qemu:virtio-rng-pci,disable-legacy=on'];

/** Every hostile case, in the order they run. */
export const hostileCases: readonly HostileCase[] = [
  refuses('decode /dev/zero', () => ['decode', '/dev/zero'], 2, /not a regular file|regular file/i),
  refuses('decode a FIFO', (scratch) => {
    const fifo = join(scratch, 'fifo');
    spawnSync('mkfifo', [fifo]);
    return ['decode', fifo];
  }, 2, /regular file/i),
  refuses('report --from /dev/zero', () => ['report', '--from', '/dev/zero', '--format', 'md'], 2, /regular file/i),
  refuses('compare against a FIFO', (scratch) => {
    const fifo = join(scratch, 'fifo2');
    spawnSync('mkfifo', [fifo]);
    return ['compare', fifo, fifo];
  }, 2, /regular file/i),
  refuses('run against a dump that is a FIFO', (scratch) => {
    const fifo = join(scratch, 'fifo3');
    spawnSync('mkfifo', [fifo]);
    return ['run', '--target', `dump:${fifo}`, '--out', join(scratch, 'fifo-run')];
  }, 2, /neither a regular file nor a directory/),
  refuses('decode a 200 MiB dump', (scratch) => {
    const big = join(scratch, 'big.bin');
    writeFileSync(big, '');
    truncateSync(big, 200 * 1024 * 1024);
    return ['decode', big];
  }, 2, /more than the \d+ bytes xvc reads/),
  refuses('run with a random-bytes dump', (scratch) => {
    const noise = join(scratch, 'noise.txt');
    const bytes = Buffer.alloc(5000);
    for (let index = 0; index < bytes.length; index++) bytes[index] = (index * 7919 + 13) % 251;
    writeFileSync(noise, bytes);
    return ['run', '--target', `dump:${noise}`, '--out', join(scratch, 'noise-run')];
  }, 2, /noise\.txt/),
  refuses('expectations with an alias bomb', (scratch) => {
    const bomb = join(scratch, 'bomb.yaml');
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let level = 1; level < 9; level++) levels.push(`${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(10).fill(`*${String.fromCharCode(96 + level)}`).join(',')}]`);
    writeFileSync(bomb, `${levels.join('\n')}\nexpectations: []\n`);
    return ['run', '--suite', 'layouts', '--expectations', bomb, '--out', join(scratch, 'bomb-run')];
  }, 2, /bomb\.yaml:\d+:\d+ XVC1016/),
  {
    name: 'replay of a results file that names a shell command',
    async run(scratch) {
      const marker = join(scratch, 'pwned');
      const hostile = join(scratch, 'hostile-results.jsonl');
      const target = `exec:/bin/sh -c "touch ${marker}"`;
      const header = { kind: 'run', format: 'xvc-results/1', metadata: { xvcVersion: '0', specVersions: {}, targets: [], seed: 1, runs: 1, commandLine: [], host: 'h', startedAt: '2026-01-01T00:00:00Z', partial: true } };
      const record = { id: 'frontend:x#XEN-INV-01', requirement: 'XEN-INV-01', target, suite: 'frontend', test: 'x', outcome: 'fail', message: 'm', evidence: [], durationMs: 0, property: 'trusted-source' };
      writeFileSync(hostile, `${JSON.stringify(header)}\n${JSON.stringify({ kind: 'record', record })}\n`);
      const result = xvc(['replay', '--from', hostile, '--record', record.id]);
      const held = result.status === 2 && !existsSync(marker);
      return { held, survivors: 0, lostFindings: 0, detail: `exit ${result.status}, marker ${existsSync(marker) ? 'created' : 'absent'}: ${result.stderr.slice(0, 300)}` };
    },
  },
  {
    name: 'results.jsonl in --out is a symlink to another file',
    async run(scratch) {
      const out = join(scratch, 'linked-out');
      mkdirSync(out, { recursive: true });
      const victim = join(scratch, 'victim.txt');
      writeFileSync(victim, 'keep me\n');
      symlinkSync(victim, join(out, 'results.jsonl'));
      const result = xvc(['run', '--target', 'reference', '--suite', 'layouts', '--runs', '5', '--out', out]);
      const held = result.status === 0 && readFileSync(victim, 'utf8') === 'keep me\n';
      return { held, survivors: 0, lostFindings: 0, detail: `exit ${result.status}, victim ${readFileSync(victim, 'utf8') === 'keep me\n' ? 'intact' : 'overwritten'}` };
    },
  },
  {
    name: 'terminal escapes in a file name',
    async run(scratch) {
      const name = join(scratch, 'evil\u001b]0;pwned\u0007.txt');
      const result = xvc(['decode', name]);
      const held = result.status === 2 && !/[\u001b\u0007]/.test(result.stderr + result.stdout);
      return { held, survivors: 0, lostFindings: 0, detail: `exit ${result.status}, escapes ${/[\u001b\u0007]/.test(result.stderr + result.stdout) ? 'printed' : 'stripped'}` };
    },
  },
  ...(['SIGINT', 'SIGTERM', 'SIGKILL'] as const).map(
    (signal): HostileCase => ({
      name: `${signal} during a QEMU run`,
      async run(scratch) {
        const run = await stopMidRun([...qemuTargets, '--out', join(scratch, `stop-${signal}`)], signal);
        const expected = signal === 'SIGKILL' ? null : signal === 'SIGINT' ? 130 : 143;
        const qemus = run.started.length;
        const held = run.code === expected && qemus >= 2 && run.alive.length === 0;
        return { held, survivors: run.alive.length, lostFindings: 0, detail: `exit ${run.code}, ${qemus} process(es) started, ${run.alive.length} alive after` };
      },
    }),
  ),
  {
    name: 'an adapter crashes once and a restart answers',
    async run(scratch) {
      const marker = join(scratch, 'crashed-once');
      const out = join(scratch, 'crash-once');
      xvc(['run', '--target', 'exec:node fixtures/adapters/crash-first-decide.mjs', '--suite', 'frontend', '--runs', '5', '--adapter-env', `XVC_TEST_MARKER=${marker}`, '--out', out]);
      const results = existsSync(join(out, 'results.json')) ? (JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { records: { message: string; evidence: { kind: string; stderr?: string }[] }[] }) : { records: [] };
      // Kept: a record says the adapter crashed and shows what it wrote before it died.
      const kept = results.records.some((record) => record.message.includes('exit code 134') && record.evidence.some((evidence) => evidence.kind === 'harness' && (evidence.stderr ?? '').includes('assertion failed in decide')));
      const crashed = existsSync(marker);
      return { held: crashed && kept, survivors: 0, lostFindings: crashed && !kept ? 1 : 0, detail: `crashed: ${crashed}, crash in the results: ${kept}` };
    },
  },
  {
    name: 'an adapter forks a helper that holds its stdout',
    async run(scratch) {
      const pids = join(scratch, 'grandchildren.pids');
      xvc(['run', '--target', 'exec:node fixtures/adapters/forks-grandchild.mjs', '--suite', 'frontend', '--runs', '5', '--adapter-env', `XVC_TEST_PID_FILE=${pids}`, '--out', join(scratch, 'forks')]);
      const started = existsSync(pids) ? readFileSync(pids, 'utf8').trim().split('\n').filter(Boolean).map(Number) : [];
      const alive = await survivors(started);
      return { held: started.length > 0 && alive.length === 0, survivors: alive.length, lostFindings: 0, detail: `${started.length} helper(s) started, ${alive.length} alive after the run` };
    },
  },
  {
    name: 'an adapter leaves a daemon of its own session holding its stdout',
    async run(scratch) {
      const pids = join(scratch, 'daemons.pids');
      const out = join(scratch, 'daemon');
      const result = xvc(['run', '--target', 'exec:node fixtures/adapters/escapes-group.mjs', '--suite', 'frontend', '--runs', '5', '--adapter-env', `XVC_TEST_PID_FILE=${pids}`, '--out', out]);
      const started = existsSync(pids) ? readFileSync(pids, 'utf8').trim().split('\n').filter(Boolean).map(Number) : [];
      // Out of xvc's reach by design (setsid); the case cleans up after itself.
      for (const pid of started) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      // xvc ends by itself once its reports are written, though the pipes are still held open.
      const ended = result.signal === null && result.status !== null;
      const finished = existsSync(join(out, 'results.json'));
      return { held: started.length > 0 && ended && finished, survivors: 0, lostFindings: 0, detail: `${started.length} daemon(s) started; xvc exit ${result.status} (${result.signal ?? 'no signal'}), results ${finished ? 'written' : 'missing'}` };
    },
  },
  {
    name: 'an adapter floods its stderr',
    async run(scratch) {
      const out = join(scratch, 'stderr-flood');
      const result = xvc(['run', '--target', 'exec:node fixtures/adapters/stderr-flood.mjs', '--suite', 'frontend', '--runs', '5', '--out', out]);
      const finished = existsSync(join(out, 'results.json'));
      return { held: finished && result.status !== null && result.status !== 2, survivors: 0, lostFindings: 0, detail: `exit ${result.status}, results ${finished ? 'written' : 'missing'}` };
    },
  },
];

/** Runs every case in a fresh scratch folder; returns each outcome and the tally. */
export async function runHostileCases(cases: readonly HostileCase[] = hostileCases): Promise<{ outcomes: (CaseOutcome & { name: string })[]; cases: number; failed: number; survivors: number; lostFindings: number }> {
  const scratch = mkdtempSync(join(tmpdir(), 'xvc-reliability-'));
  const outcomes: (CaseOutcome & { name: string })[] = [];
  try {
    for (const hostile of cases) {
      let outcome: CaseOutcome;
      try {
        outcome = await hostile.run(scratch);
      } catch (error) {
        outcome = { held: false, survivors: 0, lostFindings: 0, detail: `the case itself failed: ${error instanceof Error ? error.message : String(error)}` };
      }
      outcomes.push({ name: hostile.name, ...outcome });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return {
    outcomes,
    cases: outcomes.length,
    failed: outcomes.filter((outcome) => !outcome.held).length,
    survivors: outcomes.reduce((sum, outcome) => sum + outcome.survivors, 0),
    lostFindings: outcomes.reduce((sum, outcome) => sum + outcome.lostFindings, 0),
  };
}
