import { describe, expect, it } from 'vitest';
import type { CommandDefinition } from '../load/commands.ts';
import { emitCommandsModule, formWords, readmeMarkers, renderCommandTable, renderHelp, replaceReadmeTable, synopsis, wrap } from './commands.ts';

const decode: CommandDefinition = {
  name: 'decode',
  summary: 'decode dumps',
  arguments: 'PATH',
  description: 'Decodes PATH.\nSecond line.\n',
  options: [
    { name: 'json', help: 'print JSON' },
    { name: 'format', value: 'F', repeatable: true, help: 'a format' },
  ],
  exitCodes: [{ code: 0, meaning: 'decoded' }],
};

describe('commands emitter', () => {
  it('writes a synopsis with every option and the arguments, or the given forms', () => {
    expect(synopsis(decode)).toEqual(['[--json] [--format F]... PATH']);
    expect(synopsis({ ...decode, forms: ['--json PATH'] })).toEqual(['--json PATH']);
    expect(formWords('--a [--b B] (--c | --d) X')).toEqual(['--a', '[--b B]', '(--c | --d)', 'X']);
  });

  it('renders the help: usage, summary, description, every option with --help, the exit codes', () => {
    expect(renderHelp(decode)).toBe(
      [
        'usage: xvc decode [--json] [--format F]... PATH',
        '',
        'decode dumps',
        '',
        'Decodes PATH.',
        'Second line.',
        '',
        'options:',
        '      --json        print JSON',
        '      --format F    a format (repeatable)',
        '  -h, --help        print this help',
        '',
        'exit codes:',
        '  0     decoded',
        '',
      ].join('\n'),
    );
  });

  it('wraps words at the width, continuing lines with the indent', () => {
    expect(wrap('aa bb cc dd', 8, '  ', '> ')).toEqual(['> aa bb', '  cc dd']);
  });

  it('emits parseArgs tables with --help, whether a command takes arguments, and the help text', () => {
    const module = emitCommandsModule({ commands: [decode, { name: 'version', builtin: true, summary: 's', description: 'd', exitCodes: [{ code: 0, meaning: 'ok' }] }], exitCodes: [{ code: 0, meaning: 'ok' }] });
    expect(module.content).toContain("export type CommandName = 'decode';");
    expect(module.content).toContain("export type BuiltinCommandName = 'version';");
    expect(module.content).toContain(`"format": { type: 'string', multiple: true },`);
    expect(module.content).toContain(`"help": { type: 'boolean', short: 'h' },`);
    expect(module.content).toContain('"decode": true');
  });

  it('writes the README table between its markers and escapes | in cells', () => {
    const table = renderCommandTable({ commands: [{ ...decode, arguments: '[a|b]' }] });
    expect(table).toBe('| command | what it does |\n|---|---|\n| `xvc decode [--json] [--format F]... [a\\|b]` | decode dumps |');
    const readme = `# x\n${readmeMarkers.begin}\nold\n${readmeMarkers.end}\nrest\n`;
    expect(replaceReadmeTable(readme, 'NEW')).toBe(`# x\n${readmeMarkers.begin}\nNEW\n${readmeMarkers.end}\nrest\n`);
    expect(replaceReadmeTable('# no markers\n', 'NEW')).toBeUndefined();
  });
});
