import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandOptions, type CommandName } from '../generated/ts/commands.ts';
import { CommandUsageError, commandUsage, parseCommandArgs, requireCommandArgs } from './command-options.ts';

describe('parseCommandArgs', () => {
  it("reads a command's options as its table types them: repeatable ones as lists, flags as booleans", () => {
    const parsed = parseCommandArgs('run', ['--target', 'reference', '--target=dump:a.txt', '--runs', '5', '--strict']);
    expect(parsed).toEqual({ ok: true, values: { target: ['reference', 'dump:a.txt'], runs: '5', strict: true }, positionals: [] });
    expect(parseCommandArgs('decode', ['--json', 'dump.txt'])).toEqual({ ok: true, values: { json: true }, positionals: ['dump.txt'] });
  });

  it('turns an unknown option, a missing value and an argument the command takes none of into a message', () => {
    const unknown = parseCommandArgs('run', ['--targte', 'reference']);
    expect(unknown.ok).toBe(false);
    expect(!unknown.ok && unknown.message).toContain("'--targte'");
    const missing = parseCommandArgs('run', ['--seed']);
    expect(!missing.ok && missing.message).toContain('--seed');
    expect(parseCommandArgs('run', ['reference'])).toEqual({ ok: false, message: "unexpected argument 'reference'" });
  });

  it('takes a negative number after an option that takes a value as its value, and nowhere else', () => {
    expect(parseCommandArgs('run', ['--seed', '-1', '--runs', '-5', '--shard', '-1/3'])).toEqual({ ok: true, values: { seed: '-1', runs: '-5', shard: '-1/3' }, positionals: [] });
    expect(parseCommandArgs('mechanisms', ['--seed', '-2147483648', '--json'])).toEqual({ ok: true, values: { seed: '-2147483648', json: true }, positionals: [] });
    // After a flag, or as an argument, it is still an option xvc does not have.
    const afterFlag = parseCommandArgs('mechanisms', ['--json', '-1']);
    expect(!afterFlag.ok && afterFlag.message).toContain("'-1'");
    expect(parseCommandArgs('decode', ['-1']).ok).toBe(false);
    // A value that is no number keeps the parser's own refusal; after -- nothing is rewritten.
    expect(parseCommandArgs('run', ['--seed', '-x']).ok).toBe(false);
    expect(parseCommandArgs('decode', ['--', '--json', '-1'])).toEqual({ ok: true, values: {}, positionals: ['--json', '-1'] });
    // --seed=-1 as before.
    expect(parseCommandArgs('run', ['--seed=-1'])).toEqual({ ok: true, values: { seed: '-1' }, positionals: [] });
  });
});

describe('requireCommandArgs', () => {
  it('throws a usage error naming the command for a command line it cannot use', () => {
    expect(requireCommandArgs('compare', ['a.json', 'b.json']).positionals).toEqual(['a.json', 'b.json']);
    let caught: unknown;
    try {
      requireCommandArgs('requirements', ['--jsno']);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CommandUsageError);
    expect(caught).toMatchObject({ diagnostic: 'badUsage', command: 'requirements', category: 'usage', exitCode: 2 });
  });
});

describe('commandUsage', () => {
  it("is the command's help, which names every option parseArgs accepts for it", () => {
    for (const name of Object.keys(commandOptions) as CommandName[]) {
      const help = commandUsage(name);
      expect(help.startsWith(`usage: xvc ${name}`), name).toBe(true);
      for (const option of Object.keys(commandOptions[name])) expect(help, `${name} --${option}`).toContain(`--${option}`);
    }
  });
});

describe('a negative number as the value of an option, through bin/xvc.js', () => {
  const repoRoot = resolve(import.meta.dirname, '..');
  const scratch = mkdtempSync(join(tmpdir(), 'xvc-command-options-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const xvc = (args: string[]) => spawnSync(process.execPath, [join(repoRoot, 'bin', 'xvc.js'), ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });

  it('--seed -1 is the seed -1 for every command that takes --seed, as --seed=-1 is', () => {
    // Before: "Option '--seed' argument is ambiguous" (exit 2), though fast-check seeds may be negative.
    const out = join(scratch, 'run');
    const run = xvc(['run', '--suite', 'layouts', '--target', 'reference', '--seed', '-1', '--runs', '5', '--out', out]);
    expect(run.status, run.stderr).toBe(0);
    expect((JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { metadata: { seed: number } }).metadata.seed).toBe(-1);
    const mechanisms = xvc(['mechanisms', '--json', '--seed', '-2147483648', '--runs', '5']);
    expect(mechanisms.status, mechanisms.stderr).toBe(0);
    expect((JSON.parse(mechanisms.stdout) as { seed: number }).seed).toBe(-(2 ** 31));
  });

  it('a negative value reaches the option it belongs to, which judges it; after a flag it is still no option', () => {
    const runs = xvc(['mechanisms', '--runs', '-3']);
    expect(runs.status).toBe(2);
    expect(runs.stderr).toContain('XVC2004 --runs must be a whole number from 1 to');
    const seed = xvc(['mechanisms', '--seed', '-2147483649']);
    expect(seed.status).toBe(2);
    expect(seed.stderr).toContain("XVC2003 --seed must be an integer between -2147483648 and 4294967295, got '-2147483649'");
    const afterFlag = xvc(['mechanisms', '--json', '-1']);
    expect(afterFlag.status).toBe(2);
    expect(afterFlag.stderr).toContain("Unknown option '-1'");
  });
});
