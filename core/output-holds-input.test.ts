import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { diagnostics } from './diagnostics.ts';
import { inputsInOutDir, OutDirHoldsInputError, refuseOutDirHoldingInputs } from './output-holds-input.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A scratch tree: out/results.json, out/sub/results.json, elsewhere/results.json, a link to out and a link to out/results.json. */
function tree(): Record<'root' | 'out' | 'inOut' | 'inSub' | 'elsewhere' | 'linkToOut' | 'linkToFile', string> {
  const root = mkdtempSync(join(tmpdir(), 'xvc-holds-input-'));
  dirs.push(root);
  const paths = {
    root,
    out: join(root, 'out'),
    inOut: join(root, 'out', 'results.json'),
    inSub: join(root, 'out', 'sub', 'results.json'),
    elsewhere: join(root, 'elsewhere', 'results.json'),
    linkToOut: join(root, 'link-to-out'),
    linkToFile: join(root, 'elsewhere', 'link.json'),
  };
  mkdirSync(join(root, 'out', 'sub'), { recursive: true });
  mkdirSync(join(root, 'elsewhere'));
  for (const file of [paths.inOut, paths.inSub, paths.elsewhere]) writeFileSync(file, '{}');
  symlinkSync(paths.out, paths.linkToOut);
  symlinkSync(paths.inOut, paths.linkToFile);
  return paths;
}

describe('inputsInOutDir', () => {
  it('finds an input in the folder, the folder itself, and either reached through a link', () => {
    const paths = tree();
    expect(inputsInOutDir(paths.out, [paths.inOut, paths.elsewhere, paths.out, paths.linkToFile])).toEqual([paths.inOut, paths.out, paths.linkToFile]);
    expect(inputsInOutDir(paths.linkToOut, [paths.inOut, paths.elsewhere])).toEqual([paths.inOut]);
  });

  it('leaves alone inputs in a subfolder or elsewhere, inputs that do not exist, and an --out that does not exist yet', () => {
    const paths = tree();
    expect(inputsInOutDir(paths.out, [paths.inSub, paths.elsewhere, join(paths.out, 'missing.json')])).toEqual([]);
    expect(inputsInOutDir(join(paths.root, 'new'), [paths.inOut])).toEqual([]);
  });

  it('leaves alone a folder input inside the folder (only its files are read, and none lies in the folder), but not the folder itself', () => {
    const paths = tree();
    const sub = join(paths.out, 'sub');
    expect(inputsInOutDir(paths.out, [sub, join(paths.linkToOut, 'sub')], ['results.json'])).toEqual([]);
    expect(inputsInOutDir(paths.out, [sub, paths.out, paths.linkToOut], ['results.json'])).toEqual([paths.out, paths.linkToOut]);
  });

  it('finds a folder input whose file read from it is a link to a file in the folder', () => {
    const paths = tree();
    const part = join(paths.root, 'part');
    mkdirSync(part);
    symlinkSync(paths.inOut, join(part, 'results.json'));
    expect(inputsInOutDir(paths.out, [part], ['results.json'])).toEqual([part]);
    expect(inputsInOutDir(paths.out, [part], ['results.jsonl'])).toEqual([]);
  });
});

describe('refuseOutDirHoldingInputs', () => {
  it('throws the catalogued error naming the inputs, with exit code 2', () => {
    const paths = tree();
    expect(() => refuseOutDirHoldingInputs(paths.out, [paths.elsewhere])).not.toThrow();
    let thrown: unknown;
    try {
      refuseOutDirHoldingInputs(paths.out, [paths.elsewhere, paths.inOut]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(OutDirHoldsInputError);
    const error = thrown as OutDirHoldsInputError;
    expect(error.code).toBe(diagnostics.outDirHoldsInput.code);
    expect(error.exitCode).toBe(2);
    expect(error.inputs).toEqual([paths.inOut]);
    expect(error.message).toContain(paths.inOut);
  });
});
