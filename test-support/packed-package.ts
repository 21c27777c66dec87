/**
 * xvc as `npm pack` ships it, made from a copy of this working tree: the package test installs it and
 * the benchmark times its commands. Packing runs in the copy (with `prepare` building dist/ there),
 * never in the working tree, so the dist/ that other processes of the checkout may be running is not
 * rebuilt under them, and what is measured is what a user installs.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../core/package-root.ts';

/** One file of the tarball as `npm pack --json` lists it. */
export interface PackedFile {
  path: string;
  size: number;
}

/** A packed tarball and what it holds. */
export interface PackedPackage {
  tarball: string;
  files: PackedFile[];
  /** Bytes of the compressed tarball. */
  size: number;
  /** Bytes once unpacked. */
  unpackedSize: number;
}

/** Top-level entries of the working tree the copy needs: what the build reads and what `files` ships. */
function packageInputs(): string[] {
  const manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { files: string[] };
  const build = JSON.parse(readFileSync(join(packageRoot, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
  const shipped = manifest.files.map((pattern) => pattern.split('/')[0]!).filter((top) => top !== 'dist');
  return [...new Set(['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', ...build.include, ...shipped])];
}

const skipped = new Set(['node_modules', '.git', 'dist', 'xvc-report']);

/**
 * Copies the package's inputs into `workDir/source`, runs `npm pack` there (which builds dist/
 * through `prepare`) and leaves the tarball in `workDir`. The copy borrows the checkout's
 * node_modules, so nothing is downloaded.
 */
export function packPackage(workDir: string): PackedPackage {
  const source = join(workDir, 'source');
  mkdirSync(source, { recursive: true });
  for (const entry of packageInputs()) {
    cpSync(join(packageRoot, entry), join(source, entry), {
      recursive: true,
      filter: (path) => !path.split(/[\\/]/).some((part) => skipped.has(part)),
    });
  }
  symlinkSync(join(packageRoot, 'node_modules'), join(source, 'node_modules'), 'dir');
  const output = execFileSync('npm', ['pack', '--json', '--pack-destination', workDir, '--loglevel=error'], { cwd: source, encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'pipe', 'pipe'] });
  // npm prints the lifecycle scripts' output before the JSON document.
  const [packed] = JSON.parse(output.slice(output.indexOf('\n[') + 1)) as Array<{ filename: string; files: PackedFile[]; size: number; unpackedSize: number }>;
  if (!packed) throw new Error(`npm pack printed no package: ${output}`);
  return { tarball: join(workDir, packed.filename), files: packed.files, size: packed.size, unpackedSize: packed.unpackedSize };
}

/**
 * A project in `projectDir` whose lockfile pins xvc's run-time dependencies exactly as this
 * checkout's lockfile resolves them, so that `npm install --offline TARBALL` there finds every
 * dependency in the npm cache `npm ci` filled (npm ci caches tarballs, not the registry metadata
 * that resolving a version range would need).
 */
export function writeInstallProject(projectDir: string): void {
  const lock = JSON.parse(readFileSync(join(packageRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string; dev?: boolean; optional?: boolean }> };
  const runtime = Object.fromEntries(Object.entries(lock.packages).filter(([path, entry]) => path.startsWith('node_modules/') && entry.dev !== true));
  const dependencies = Object.fromEntries(Object.entries(runtime).filter(([path]) => !path.slice('node_modules/'.length).includes('node_modules/')).map(([path, entry]) => [path.slice('node_modules/'.length), entry.version]));
  mkdirSync(projectDir, { recursive: true });
  const manifest = { name: 'xvc-install-check', version: '1.0.0', private: true, dependencies };
  writeFileSync(join(projectDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const projectLock = { name: manifest.name, version: manifest.version, lockfileVersion: 3, requires: true, packages: { '': { name: manifest.name, version: manifest.version, dependencies }, ...runtime } };
  writeFileSync(join(projectDir, 'package-lock.json'), `${JSON.stringify(projectLock, null, 2)}\n`);
}
