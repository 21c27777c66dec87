/**
 * How bin/xvc.js chooses what to run, in a package laid out in a scratch folder: the compiled dist/
 * when it is there (and, in a development checkout, newer than every source), the TypeScript sources
 * through tsx in a checkout otherwise, and a clear error in an installed package without dist/.
 * The two entry points say which one ran, so the choice is observed, not inferred from timing.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '..');
const scratchFolders: string[] = [];
afterEach(() => {
  for (const folder of scratchFolders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function write(root: string, path: string, text: string, secondsAgo: number): void {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  const time = Date.now() / 1000 - secondsAgo;
  utimesSync(file, time, time);
}

/** A package with bin/xvc.js, one source module and (optionally) its compiled twin. */
function layout(options: { checkout: boolean; dist?: { stampSecondsAgo: number }; sourceSecondsAgo: number }): string {
  const root = mkdtempSync(join(tmpdir(), 'xvc-bin-test-'));
  scratchFolders.push(root);
  mkdirSync(join(root, 'bin'));
  copyFileSync(join(repoRoot, 'bin', 'xvc.js'), join(root, 'bin', 'xvc.js'));
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  write(root, 'package.json', JSON.stringify({ name: 'xvc', version: '0.0.0-test', type: 'module' }), 3600);
  write(root, 'tsconfig.json', '{}', 3600);
  write(root, 'tsconfig.build.json', JSON.stringify({ extends: './tsconfig.json', include: ['cli'] }), 3600);
  // The type annotation makes this module fail anywhere but under a TypeScript loader.
  const main = (from: string) => `export async function main(argv${from === 'sources' ? ': string[]' : ''}) { process.stdout.write('${from} ' + argv.join(' ') + '\\n'); return 7; }\n`;
  write(root, 'cli/main.ts', main('sources'), options.sourceSecondsAgo);
  if (options.dist) {
    write(root, 'dist/cli/main.js', main('dist'), options.dist.stampSecondsAgo);
    write(root, 'dist/build-stamp', 'test\n', options.dist.stampSecondsAgo);
  }
  if (options.checkout) mkdirSync(join(root, '.git'));
  return root;
}

function start(root: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(root, 'bin', 'xvc.js'), 'a', 'b'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('bin/xvc.js', () => {
  it('runs dist/ in a checkout when it was built after the last change to the sources, with the arguments and exit code of main', () => {
    const result = start(layout({ checkout: true, dist: { stampSecondsAgo: 60 }, sourceSecondsAgo: 600 }));
    expect(result).toEqual({ status: 7, stdout: 'dist a b\n', stderr: '' });
  });

  it('runs the sources through tsx in a checkout when a source changed after the build', () => {
    const result = start(layout({ checkout: true, dist: { stampSecondsAgo: 600 }, sourceSecondsAgo: 60 }));
    expect(result).toEqual({ status: 7, stdout: 'sources a b\n', stderr: '' });
  });

  it('runs the sources through tsx in a checkout that was never built', () => {
    const result = start(layout({ checkout: true, sourceSecondsAgo: 60 }));
    expect(result).toEqual({ status: 7, stdout: 'sources a b\n', stderr: '' });
  });

  it('runs dist/ of an installed package without comparing times (a package has no .git)', () => {
    const result = start(layout({ checkout: false, dist: { stampSecondsAgo: 600 }, sourceSecondsAgo: 60 }));
    expect(result).toEqual({ status: 7, stdout: 'dist a b\n', stderr: '' });
  });

  it('refuses to start an installed package without compiled code, saying why (exit 3)', () => {
    const result = start(layout({ checkout: false, sourceSecondsAgo: 60 }));
    expect(result.status).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/no compiled code .*dist.*reinstall/);
  });
});
