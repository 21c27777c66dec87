/**
 * Whether writing into an output folder could destroy an input of the same command. `xvc report
 * --merge a/results.json b/results.json --out a` would replace the part it reads from a (and a's
 * reports) with the merge, and a job retried after that merges the merge; so a command that writes a
 * folder refuses one that holds an input, before it reads or writes anything. Paths are compared as
 * the file system resolves them, so a symbolic link to the folder, or to a file in it, is found too.
 */
import { realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { XvcError } from './xvc-error.ts';

/** An output folder holds (or is) one of the command's inputs (exit code 2). */
export class OutDirHoldsInputError extends XvcError<'outDirHoldsInput'> {
  constructor(
    readonly outDir: string,
    readonly inputs: readonly string[],
  ) {
    super(
      'outDirHoldsInput',
      `--out ${outDir} holds ${inputs.length === 1 ? 'the input' : 'the inputs'} ${inputs.join(', ')}: writing there would replace what is read; choose another --out (a new folder)`,
      { outDir, inputs: [...inputs] },
    );
  }
}

function realPath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/**
 * The inputs that are `outDir` itself or lie directly in it, as given. A folder or input that does
 * not exist holds nothing (a missing input is reported by whoever reads it); an input in a subfolder
 * of `outDir` is not one of the files written there.
 */
export function inputsInOutDir(outDir: string, inputs: readonly string[]): string[] {
  const out = realPath(outDir);
  if (out === undefined) return [];
  return inputs.filter((input) => {
    const real = realPath(input);
    return real !== undefined && (real === out || dirname(real) === out);
  });
}

/** Throws {@link OutDirHoldsInputError} when `outDir` holds one of `inputs` (see {@link inputsInOutDir}). */
export function refuseOutDirHoldingInputs(outDir: string, inputs: readonly string[]): void {
  const held = inputsInOutDir(outDir, inputs);
  if (held.length > 0) throw new OutDirHoldsInputError(outDir, held);
}
