import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLocatedYaml } from '../../core/located-yaml.ts';
import { flagsIn, loadCommands, resolveCommands } from './commands.ts';

const repoRoot = join(import.meta.dirname, '..', '..');

function resolveText(text: string) {
  const parsed = parseLocatedYaml(text, 'commands.yaml');
  if (!parsed.ok) throw new Error('test YAML does not parse');
  return resolveCommands(parsed.yaml);
}

const exitCodes = 'exitCodes:\n  - { code: 0, meaning: ok }\n';
const command = (name: string, extra = '') =>
  `  - name: ${name}\n    summary: does ${name}\n    description: the ${name} command\n    exitCodes: [{ code: 0, meaning: ok }]\n${extra}`;

describe('loadCommands', () => {
  it('loads spec/commands.yaml without problems', () => {
    const catalogue = loadCommands(join(repoRoot, 'spec', 'commands.yaml'), 'spec/commands.yaml');
    expect(catalogue.problems).toEqual([]);
    expect(catalogue.commands.map((entry) => entry.name)).toContain('run');
  });

  it('refuses a duplicate command, a duplicate option, an option named help and a repeatable flag, each located', () => {
    const { problems } = resolveText(
      `${exitCodes}commands:\n${command('a', '    options:\n      - { name: x, value: X, help: h }\n      - { name: x, value: X, help: h }\n      - { name: help, help: h }\n      - { name: y, repeatable: true, help: h }\n')}${command('a')}`,
    );
    expect(problems.map((problem) => `${problem.line} ${problem.message}`)).toEqual([
      '10 a: option --x is defined twice',
      '11 --help and -h are given to every command by the generator',
      '12 a: --y takes no value, so repeating it means nothing',
      '13 command \'a\' is already defined (entry 1)',
    ]);
  });

  it('refuses usage forms that name other options or leave one out, and text naming a flag no command has', () => {
    const { problems } = resolveText(
      `${exitCodes}commands:\n${command('a', "    forms: ['--x X --nope']\n    options:\n      - { name: x, value: X, help: 'see also --env' }\n      - { name: z, help: h }\n")}`,
    );
    expect(problems.map((problem) => problem.message)).toEqual([
      'a: the usage form names --nope, which is not one of its options',
      'a: --z is in no usage form',
      'a: the text names --env, which no command has',
    ]);
  });

  it('finds the flags written in a text', () => {
    expect(flagsIn('use --adapter-env NAME=VALUE, not --env (a--b is no flag); xvc run --shard 1/2')).toEqual(['adapter-env', 'env', 'shard']);
  });
});
