/**
 * Loads what an emitter produced, as the generated tree would hold it: the files are written under a
 * temporary root whose `core/` and `node_modules/` link to the repository's, so their imports of the
 * codec runtime and of fast-check resolve, and then imported.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GeneratedFile } from '../generators/model/spec-model.ts';
import { packageRoot } from '../core/package-root.ts';

/** A temporary tree of emitted files. */
export interface EmittedTree {
  readonly root: string;
  /** Imports the emitted module at `path` (relative to the root, as the emitter named it). */
  load<T = Record<string, unknown>>(path: string): Promise<T>;
  /** Deletes the tree. */
  remove(): void;
}

/** Writes `files` under a fresh temporary root. */
export function writeEmitted(files: readonly GeneratedFile[]): EmittedTree {
  const root = mkdtempSync(join(tmpdir(), 'xvc-emitted-'));
  symlinkSync(join(packageRoot, 'core'), join(root, 'core'), 'dir');
  symlinkSync(join(packageRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  for (const file of files) {
    const target = join(root, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
  }
  return {
    root,
    load: async <T>(path: string) => (await import(pathToFileURL(join(root, path)).href)) as T,
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
