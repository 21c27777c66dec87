import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandHelp } from '../../generated/ts/commands.ts';
import { maxRuns } from '../../conformance/run-plan.ts';
import { mechanisms } from '../../generated/ts/mechanisms.ts';
import type { MechanismMatrix } from '../../conformance/mechanisms/matrix.ts';
import { run } from './mechanisms.ts';

async function mechanismsCommand(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

describe('xvc mechanisms', () => {
  it('--json gives every catalogue mechanism, the columns, and counterexamples on red trusted-source cells', async () => {
    const { code, stdout } = await mechanismsCommand(['--json', '--runs', '30', '--seed', '7']);
    expect(code).toBe(0);
    const matrix = JSON.parse(stdout) as MechanismMatrix;
    expect(matrix.seed).toBe(7);
    expect(matrix.runs).toBe(30);
    expect(matrix.mechanisms.map((mechanism) => mechanism.id)).toEqual(mechanisms.map((mechanism) => mechanism.id));
    const trustedSource = matrix.cells.find((cell) => cell.mechanism === 'vendor-data-capability' && cell.property === 'trusted-source')!;
    expect(trustedSource.outcome).toBe('fail');
    expect(trustedSource.counterexample?.scenario.scenario.devices.length).toBeGreaterThan(0);
  });

  it('prints a table with one row per mechanism and lists the red cells', async () => {
    const { code, stdout } = await mechanismsCommand(['--runs', '20']);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^mechanism\s+trusted-source/);
    for (const mechanism of mechanisms) expect(lines.some((line) => line.startsWith(`${mechanism.id} `))).toBe(true);
    expect(stdout).toMatch(/vendor-data-capability x trusted-source \(XEN-INV-01, XEN-INV-09\)/);
    expect(lines.find((line) => line.startsWith('dt-iommus '))).toMatch(/^dt-iommus\s+pass/);
  });

  it('exits 2 on bad usage, naming the catalogue code of every refusal', async () => {
    for (const args of [['--runs', 'many'], ['--colour'], ['extra'], ['--from', 'results.json', '--seed', '1']]) {
      const { code, stderr } = await mechanismsCommand(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr, args.join(' ')).toMatch(/^xvc mechanisms: XVC20\d\d /);
    }
  });
});

const repoRoot = resolve(import.meta.dirname, '..', '..');

/** Runs the real `bin/xvc.js` in a child process. */
function xvc(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(repoRoot, 'bin', 'xvc.js'), ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('xvc mechanisms --runs through bin/xvc.js', () => {
  it('takes the bound of xvc run --runs: 1 to maxRuns whole decimal numbers, anything else exit 2 naming --runs and the value', () => {
    // Before, any safe integer went: 1e2 ran as 100, and 1e9 or 99999999999 ran until killed.
    for (const runs of ['1e2', '0', String(maxRuns + 1), '99999999999', '1.5']) {
      const child = xvc(['mechanisms', '--runs', runs]);
      expect(child.status, `--runs ${runs}: ${child.stderr}`).toBe(2);
      expect(child.stderr, runs).toContain(`XVC2004 --runs must be a whole number from 1 to ${maxRuns}, got "${runs}"`);
      expect(child.stdout, runs).toBe('');
    }
    expect(commandHelp.mechanisms).toContain(`1..${maxRuns}`);
    expect(commandHelp.run).toContain(`1..${maxRuns}`);
  });
});
