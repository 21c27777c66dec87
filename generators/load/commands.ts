/**
 * Loads spec/commands.yaml, the definition of xvc's command line. The JSON Schema checks the shape;
 * this module adds what a schema cannot see: command and option names unique, `--help`/`-h` left to
 * the generator, usage forms that name only the command's own options, and no text naming a flag
 * that no command has (how `--env` stayed in the docs after the flag became `--adapter-env`).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readLocatedYaml, type LocatedYaml } from '../../core/located-yaml.ts';
import { compileSchemaFile, validateLocated } from '../../core/schema-validator.ts';
import type { SourcePosition } from '../../core/source-position.ts';
import { specProblem, type SpecProblem } from '../../core/spec-problem.ts';

/** Absolute path of the JSON Schema spec/commands.yaml must match. */
export const commandsSchemaFile: string = join(dirname(fileURLToPath(import.meta.url)), '../../spec/schema/commands.schema.json');

/** One exit code and what it means. */
export interface ExitCodeDefinition {
  code: number;
  meaning: string;
}

/** One option of a command. */
export interface OptionDefinition {
  /** Long name without dashes. */
  name: string;
  short?: string;
  /** Placeholder of the value; absent for a flag. */
  value?: string;
  repeatable?: boolean;
  help: string;
}

/** One command as spec/commands.yaml defines it. */
export interface CommandDefinition {
  name: string;
  summary: string;
  builtin?: boolean;
  arguments?: string;
  forms?: string[];
  description: string;
  options?: OptionDefinition[];
  exitCodes: ExitCodeDefinition[];
}

/** The loaded file. */
export interface CommandCatalogue {
  exitCodes: ExitCodeDefinition[];
  commands: CommandDefinition[];
  problems: SpecProblem[];
}

/** Long names of every flag written in `text` (`--name`), in order. */
export function flagsIn(text: string): string[] {
  return [...text.matchAll(/(?<![\w-])--([a-z][a-z0-9]*(?:-[a-z0-9]+)*)/g)].map((match) => match[1]!);
}

/** Reads, validates and checks a commands file. Never throws on bad input: problems are data. */
export function loadCommands(file: string, display = file): CommandCatalogue {
  const parsed = readLocatedYaml(file, display);
  if (!parsed.ok) return { exitCodes: [], commands: [], problems: parsed.problems };
  return resolveCommands(parsed.yaml);
}

/** Validates an already-parsed commands document (split from {@link loadCommands} for tests). */
export function resolveCommands(yaml: LocatedYaml): CommandCatalogue {
  const schemaProblems = validateLocated(yaml, compileSchemaFile(commandsSchemaFile));
  if (schemaProblems.length > 0) return { exitCodes: [], commands: [], problems: schemaProblems };
  const data = yaml.data as { exitCodes: ExitCodeDefinition[]; commands: CommandDefinition[] };
  const problems: SpecProblem[] = [];
  const at = (...path: (string | number)[]): [SourcePosition, (string | number)[]] => [yaml.positionOf(path), path];
  const seen = new Map<string, number>();
  const allFlags = new Set(['help', 'version']);
  data.commands.forEach((command, index) => {
    const earlier = seen.get(command.name);
    if (earlier !== undefined) problems.push(specProblem('duplicateName', ...at('commands', index, 'name'), `command '${command.name}' is already defined (entry ${earlier + 1})`));
    seen.set(command.name, index);
    const names = new Set<string>();
    const shorts = new Set<string>();
    (command.options ?? []).forEach((option, optionIndex) => {
      allFlags.add(option.name);
      const where = (key: string) => at('commands', index, 'options', optionIndex, key);
      if (option.name === 'help' || option.short === 'h') problems.push(specProblem('duplicateName', ...where(option.name === 'help' ? 'name' : 'short'), '--help and -h are given to every command by the generator'));
      if (names.has(option.name)) problems.push(specProblem('duplicateName', ...where('name'), `${command.name}: option --${option.name} is defined twice`));
      if (option.short !== undefined && shorts.has(option.short)) problems.push(specProblem('duplicateName', ...where('short'), `${command.name}: short option -${option.short} is defined twice`));
      if (option.repeatable && option.value === undefined) problems.push(specProblem('schemaViolation', ...where('repeatable'), `${command.name}: --${option.name} takes no value, so repeating it means nothing`));
      names.add(option.name);
      if (option.short !== undefined) shorts.add(option.short);
    });
    (command.forms ?? []).forEach((form, formIndex) => {
      for (const flag of flagsIn(form)) {
        if (!names.has(flag) && flag !== 'help') problems.push(specProblem('unknownReference', ...at('commands', index, 'forms', formIndex), `${command.name}: the usage form names --${flag}, which is not one of its options`));
      }
    });
    if (command.forms !== undefined) {
      const named = new Set(command.forms.flatMap(flagsIn));
      for (const name of names) if (!named.has(name)) problems.push(specProblem('unknownReference', ...at('commands', index, 'forms'), `${command.name}: --${name} is in no usage form`));
    }
    if (command.builtin && (command.options ?? []).length > 0) problems.push(specProblem('schemaViolation', ...at('commands', index, 'options'), `${command.name}: a built-in command has no options`));
  });
  // Prose may mention another command's flag (xvc run --shard), never one that does not exist.
  data.commands.forEach((command, index) => {
    const texts: [string, (string | number)[]][] = [
      [command.description, ['commands', index, 'description']],
      [command.summary, ['commands', index, 'summary']],
      ...(command.options ?? []).map((option, optionIndex): [string, (string | number)[]] => [option.help, ['commands', index, 'options', optionIndex, 'help']]),
      ...command.exitCodes.map((code, codeIndex): [string, (string | number)[]] => [code.meaning, ['commands', index, 'exitCodes', codeIndex, 'meaning']]),
    ];
    for (const [text, path] of texts) {
      for (const flag of flagsIn(text)) if (!allFlags.has(flag)) problems.push(specProblem('unknownReference', yaml.positionOf(path), path, `${command.name}: the text names --${flag}, which no command has`));
    }
  });
  return { exitCodes: data.exitCodes, commands: data.commands, problems };
}
