import { describe, expect, it } from 'vitest';
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
