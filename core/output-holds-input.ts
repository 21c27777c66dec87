/**
 * Whether writing into an output folder could destroy an input of the same command. `xvc report
 * --merge a/results.json b/results.json --out a` would replace the part it reads from a (and a's
 * reports) with the merge, and a job retried after that merges the merge; so a command that writes a
 * folder refuses one that holds an input, before it reads or writes anything. Paths are compared as
 * the file system resolves them, so a symbolic link to the folder, or to a file in it, is found too.
 */
import { realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
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
 * The inputs, as given, that writing into `outDir` could replace: an input file directly in `outDir`,
 * and a folder input that is `outDir` itself. A folder input elsewhere (a subfolder of `outDir` too)
 * is none of the files written there; what the command reads from it, `folderFiles` (names inside
 * the folder), is held to the file rule, so a link from it to a file in `outDir` is found. A folder
 * or input that does not exist holds nothing (a missing input is reported by whoever reads it).
 */
export function inputsInOutDir(outDir: string, inputs: readonly string[], folderFiles: readonly string[] = []): string[] {
  const out = realPath(outDir);
  if (out === undefined) return [];
  const fileInOut = (path: string): boolean => {
    const real = realPath(path);
    return real !== undefined && dirname(real) === out;
  };
  return inputs.filter((input) => {
    const real = realPath(input);
    if (real === undefined) return false;
    if (!isDirectory(real)) return dirname(real) === out;
    return real === out || folderFiles.some((name) => fileInOut(join(real, name)));
  });
}

/**
 * Throws {@link OutDirHoldsInputError} when `outDir` holds one of `inputs` (see {@link inputsInOutDir};
 * `folderFiles` names what the command reads from a folder input).
 */
export function refuseOutDirHoldingInputs(outDir: string, inputs: readonly string[], folderFiles: readonly string[] = []): void {
  const held = inputsInOutDir(outDir, inputs, folderFiles);
  if (held.length > 0) throw new OutDirHoldsInputError(outDir, held);
}
