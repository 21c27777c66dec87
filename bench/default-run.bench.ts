/**
 * Wall time of the run a newcomer starts first: `xvc run` with no target (every suite against the
 * reference and every built-in model, default runs per property), through the real binary.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const RUNS = 3;

/** Median wall seconds of the default `xvc run`, and whether it exited 0 each time. */
export async function run(): Promise<Record<string, number>> {
  const seconds: number[] = [];
  let failures = 0;
  for (let index = 0; index < RUNS; index++) {
    const out = mkdtempSync(join(tmpdir(), 'xvc-bench-run-'));
    try {
      const started = performance.now();
      const child = spawnSync(process.execPath, [join(root, 'bin', 'xvc.js'), 'run', '--out', out], { cwd: root, encoding: 'utf8', timeout: 300_000 });
      seconds.push((performance.now() - started) / 1000);
      if (child.status !== 0) failures++;
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
  seconds.sort((a, b) => a - b);
  return { defaultRunSeconds: Number(seconds[Math.floor(seconds.length / 2)]!.toFixed(2)), defaultRunNonZeroExits: failures };
}
