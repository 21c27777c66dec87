/**
 * The commands the documentation shows are the commands xvc has: every `xvc COMMAND --flag` written in
 * code in the README, docs/ and the examples names an option COMMAND has (spec/commands.yaml); the
 * README's command table is the generated one; every command's `--help` is its definition; and the
 * documented build of the C example works from the directory the docs say.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandHelp, commandOptions, type CommandName } from '../generated/ts/commands.ts';

const repoRoot = resolve(import.meta.dirname, '..');
const scratch = mkdtempSync(join(tmpdir(), 'xvc-documented-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Markdown written by hand (docs/commands.md is generated from the definitions themselves). */
function documents(): string[] {
  const files = ['README.md', 'CONTRIBUTING.md'];
  for (const entry of readdirSync(join(repoRoot, 'docs'))) if (entry.endsWith('.md') && entry !== 'commands.md') files.push(join('docs', entry));
  const visit = (folder: string): void => {
    for (const entry of readdirSync(join(repoRoot, folder), { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (/\.(md|c|py)$/.test(entry.name)) files.push(path);
    }
  };
  visit('examples');
  visit('fixtures/adapters');
  return files.filter((file) => existsSync(join(repoRoot, file)));
}

/** The pieces of code in a Markdown text: inline code spans and the lines of fenced blocks, continuation lines joined. */
function codeIn(text: string): string[] {
  const pieces: string[] = [];
  const fenced = /^(`{3,}|~{3,})[^\n]*\n([^]*?)^\1/gm;
  for (const match of text.matchAll(fenced)) {
    const lines: string[] = [];
    for (const line of match[2]!.split('\n')) {
      if (/^\s+--/.test(line) && lines.length > 0) lines[lines.length - 1] += ` ${line.trim()}`;
      else lines.push(line);
    }
    pieces.push(...lines);
  }
  const outside = text.replace(fenced, '');
  for (const match of outside.matchAll(/(`+)([^`]+?)\1/g)) pieces.push(match[2]!);
  // Comments of C and Python sources: whole lines.
  if (!text.includes('```')) pieces.push(...text.split('\n').filter((line) => /^\s*(\*|#|\/\/)/.test(line)));
  return pieces;
}

/** Every `xvc COMMAND ... --flag` in a piece of code: the command and the flags up to the next xvc, pipe or separator. */
function commandsIn(piece: string): { command: string; flags: string[] }[] {
  const found: { command: string; flags: string[] }[] = [];
  for (const match of piece.matchAll(/\bxvc ([a-z][a-z-]*)([^|;&]*?)(?=\bxvc [a-z]|[|;&]|$)/g)) {
    // Flags that belong to the program an exec: target names are the adapter's, not xvc's.
    const own = match[2]!.split(/\s(?=["']?exec:)/)[0]!;
    found.push({ command: match[1]!, flags: [...own.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)].map((flag) => flag[1]!) });
  }
  return found;
}

/** Every option of every command (and what main answers itself). */
const allFlags = new Set(['help', 'version', ...Object.values(commandOptions).flatMap((options) => Object.keys(options))]);

/** Programs other than xvc whose flags documentation may show. */
const otherPrograms = /^\s*(-\s*run:\s*)?(\$\s*)?(npm|npx (?!xvc)|node|gcc|cc|setpriv|qemu-system-\S+|lspci|python3?|apt-get|sudo|dpkg-deb|git)\b/;

/** Arguments that docs/adapter-protocol.md shows an adapter receiving (`exec:python3 a.py --x`). */
const adapterArguments = new Set(['x']);

/** Flags in a piece of code that is no xvc command line and no other program's: each must be an xvc flag. */
function strayFlags(piece: string): string[] {
  if (/\bxvc [a-z]/.test(piece) || otherPrograms.test(piece) || piece.includes('exec:')) return [];
  return [...piece.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)].map((match) => match[1]!).filter((flag) => !allFlags.has(flag) && !adapterArguments.has(flag));
}

describe('documented commands', () => {
  it('name only options their command has', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const file of documents()) {
      for (const piece of codeIn(readFileSync(join(repoRoot, file), 'utf8'))) {
        for (const { command, flags } of commandsIn(piece)) {
          if (!Object.hasOwn(commandOptions, command)) continue;
          checked += flags.length;
          const options = commandOptions[command as CommandName] as Readonly<Record<string, unknown>>;
          for (const flag of flags) if (!Object.hasOwn(options, flag)) problems.push(`${file}: \`${piece.trim()}\`: xvc ${command} has no --${flag}`);
        }
      }
    }
    expect(problems).toEqual([]);
    // The documents do show commands with flags: the scan found them.
    expect(checked).toBeGreaterThan(30);
  });

  it('name, where code shows a flag alone, a flag some command has', () => {
    const problems: string[] = [];
    for (const file of documents()) {
      for (const piece of codeIn(readFileSync(join(repoRoot, file), 'utf8'))) problems.push(...strayFlags(piece).map((flag) => `${file}: \`${piece.trim()}\`: no xvc command has --${flag}`));
    }
    expect(problems).toEqual([]);
  });

  it('finds a flag that does not exist (the checks can fail)', () => {
    expect(commandsIn('npx xvc smoke --env A=1 exec:./a --env-of-adapter')).toEqual([{ command: 'smoke', flags: ['env'] }]);
    // What docs/adapter-protocol.md said while the flag was already --adapter-env.
    expect(strayFlags('--env NAME=VALUE')).toEqual(['env']);
    expect(strayFlags('--pass-env NAME')).toEqual(['pass-env']);
    expect(strayFlags('--adapter-env NAME')).toEqual([]);
    expect(strayFlags('npm run bench -- --json')).toEqual([]);
  });

  it('keeps the README command table and docs/commands.md generated from spec/commands.yaml (npm run generate:check)', () => {
    const check = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(repoRoot, 'generators', 'main.ts'), '--check'], { cwd: repoRoot, encoding: 'utf8', timeout: 300_000 });
    expect(check.stderr).not.toMatch(/README\.md|docs\/commands\.md/);
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    for (const name of Object.keys(commandOptions)) expect(readme).toContain(`| \`xvc ${name} `);
  });
});

describe('xvc COMMAND --help through bin/xvc.js', () => {
  it.each(Object.keys(commandOptions))('prints the definition of %s, every option in it', (name) => {
    const result = spawnSync(process.execPath, [join(repoRoot, 'bin', 'xvc.js'), name, '--help'], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(commandHelp[name as CommandName]);
    for (const option of Object.keys(commandOptions[name as CommandName])) expect(result.stdout).toContain(`--${option}`);
  });

  it('documents what run gained: --strict, --no-builtin-expectations, repeatable --expectations, requirement globs, exit code 4', () => {
    const { stdout } = spawnSync(process.execPath, [join(repoRoot, 'bin', 'xvc.js'), 'run', '--help'], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
    expect(stdout).toMatch(/--strict {2,}warnings \(SHOULD statements\) are unexpected results too: exit 1/);
    expect(stdout).toMatch(/--no-builtin-expectations {2,}do not apply the built-in expectations/);
    expect(stdout).toMatch(/--expectations FILE {2,}YAML of known failures[^]*?\(repeatable\)/);
    expect(stdout).toMatch(/--requirement ID {2,}only tests of this requirement; a glob \(\* and \?\) such as XEN-INV-\*/);
    expect(stdout).toMatch(/^ {2}4 {5}nothing tested$/m);
    expect(stdout).toMatch(/--adapter-env NAME\[=VALUE\]/);
  });
});

describe("the README's first command and its QEMU example", () => {
  const readme = () => readFileSync(join(repoRoot, 'README.md'), 'utf8');
  /** Runs a command the README shows (`npx xvc ...`) with this checkout's xvc, in a scratch directory. */
  const runDocumented = (command: string, cwd: string) => {
    const args = command.replace(/^npm ci && /, '').replace(/^npx xvc /, '').split(' ');
    return spawnSync(process.execPath, [join(repoRoot, 'bin', 'xvc.js'), ...args], { cwd, encoding: 'utf8', timeout: 300_000 });
  };

  it('`npx xvc run` checks everything built in and exits 0', () => {
    const first = /```sh\n(npm ci && npx xvc run)\s/.exec(readme())?.[1];
    expect(first).toBe('npm ci && npx xvc run');
    const cwd = mkdtempSync(join(scratch, 'default-'));
    const result = runDocumented(first!, cwd);
    expect(result.status, result.stderr).toBe(0);
    expect(existsSync(join(cwd, 'xvc-report', 'summary.md'))).toBe(true);
  }, 300_000);

  it.skipIf(spawnSync('qemu-system-x86_64', ['--version']).status !== 0 && !process.env.CI)('the QEMU example works, and every unexpected result is the one the README explains', () => {
    const command = /`(npx xvc run --target qemu:[^`]+)`/.exec(readme())?.[1];
    expect(command).toBeDefined();
    const cwd = mkdtempSync(join(scratch, 'qemu-'));
    const result = runDocumented(command!, cwd);
    expect([0, 1], result.stderr).toContain(result.status);
    const unexpected = [...result.stdout.matchAll(/^ {2}fail (\S+) on /gm)].map((match) => match[1]!);
    for (const requirement of unexpected) expect(readme(), `README explains ${requirement}`).toContain(`(\`${requirement}\`)`);
    expect(result.status === 1).toBe(unexpected.length > 0);
  }, 300_000);
});

describe('the documented build of the C example', () => {
  it('works from the repository root, as docs/adapter-protocol.md says', () => {
    const doc = readFileSync(join(repoRoot, 'docs', 'adapter-protocol.md'), 'utf8');
    expect(doc).toContain('Build the C example from the repository root');
    const command = /^gcc .+$/m.exec(doc)?.[0];
    expect(command).toBeDefined();
    // Only where the binary goes differs: the work tree stays clean.
    const output = join(scratch, 'adapter');
    execFileSync('/bin/sh', ['-c', command!.replace(/-o adapter\b/, `-o '${output}'`)], { cwd: repoRoot });
    expect(existsSync(output)).toBe(true);
    const smoke = spawnSync(process.execPath, [join(repoRoot, 'bin', 'xvc.js'), 'smoke', `exec:${output}`], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
    expect(smoke.status, smoke.stdout).toBe(0);
    // The same command in the source's own header.
    expect(readFileSync(join(repoRoot, 'examples', 'adapters', 'c-linux-2026', 'adapter.c'), 'utf8')).toContain(`from the repository root): ${command}`);
    expect(relative(repoRoot, output).startsWith('..')).toBe(true);
  });
});
