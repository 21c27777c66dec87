/**
 * Where xvc's own files live (spec/, generated/, fixtures/, package.json), wherever the module that
 * asks was loaded from: the TypeScript sources of a clone, or the compiled JavaScript of an
 * installed package. Modules name files relative to this root instead of counting `..` from their
 * own folder, so moving a module or compiling it elsewhere cannot silently change what it reads.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Walks up from `start` to the first folder whose package.json names the package `xvc`. */
export function findPackageRoot(start: string): string {
  let folder = start;
  for (;;) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'xvc') return folder;
      } catch {
        // An unreadable manifest on the way up is not ours; keep looking.
      }
    }
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`no package.json of xvc above ${start}`);
    folder = parent;
  }
}

/** The folder holding xvc's package.json. */
export const packageRoot: string = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** The version in xvc's package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

/** An absolute path inside the package, from `/`-separated parts relative to its root. */
export function packagePath(...parts: string[]): string {
  return join(packageRoot, ...parts);
}
