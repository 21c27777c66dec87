import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SpecLoadError } from '../../core/spec-problem.ts';
import { specModel } from '../../test-support/spec-model-builders.ts';
import type { Mechanism } from '../load/mechanisms.ts';
import { emitMechanismsModule, mechanismsEmitter, mechanismsModulePath } from './mechanisms.ts';

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

const at = { file: 'spec/mechanisms.yaml', line: 3, column: 5 };

describe('mechanisms module', () => {
  it('types the ids as a union and carries each mechanism without its source position', () => {
    const mechanisms = [
      { id: 'dt-iommus', title: 'Device tree', writer: 'toolstack', trusted: true, at },
      { id: 'xenstore', title: 'Xenstore', writer: 'toolstack', trusted: true, at },
    ] as unknown as Mechanism[];
    const file = emitMechanismsModule(mechanisms);
    expect(file.path).toBe(mechanismsModulePath);
    expect(file.content).toContain("export type MechanismId = 'dt-iommus' | 'xenstore';");
    expect(file.content).not.toContain('"line"');
    const literal = /export const mechanisms: readonly MechanismRecord\[\] = ([\s\S]*) as readonly MechanismRecord\[\];/.exec(file.content)![1]!;
    expect(JSON.parse(literal)).toEqual([
      { id: 'dt-iommus', title: 'Device tree', writer: 'toolstack', trusted: true },
      { id: 'xenstore', title: 'Xenstore', writer: 'toolstack', trusted: true },
    ]);
  });

  it('types an empty catalogue as never', () => {
    expect(emitMechanismsModule([]).content).toContain('export type MechanismId = never;');
  });

  it('refuses a catalogue with problems with every located problem', () => {
    const root = mkdtempSync(join(tmpdir(), 'xvc-mechanisms-'));
    scratch.push(root);
    mkdirSync(join(root, 'spec'));
    writeFileSync(join(root, 'spec', 'mechanisms.yaml'), 'mechanisms:\n  - id: 7\n');
    const spec = { ...specModel({}), specDir: join(root, 'spec') };
    let thrown: unknown;
    try {
      mechanismsEmitter.emit(spec);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SpecLoadError);
    expect((thrown as SpecLoadError).problems.length).toBeGreaterThan(0);
    expect((thrown as SpecLoadError).problems.every((problem) => problem.file === 'spec/mechanisms.yaml')).toBe(true);
  });
});
