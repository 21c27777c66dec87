import { describe, expect, it } from 'vitest';
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

  it('exits 2 on bad usage', async () => {
    expect((await mechanismsCommand(['--runs', 'many'])).code).toBe(2);
    expect((await mechanismsCommand(['--colour'])).code).toBe(2);
    expect((await mechanismsCommand(['extra'])).code).toBe(2);
  });
});
