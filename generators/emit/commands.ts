/**
 * Emits what the command line is made of, from spec/commands.yaml, so that the parsers, the help and
 * the documentation cannot drift apart:
 * - generated/ts/commands.ts: each command's node:util parseArgs option table (with --help/-h), its
 *   `--help` text, its summary, and the shared exit codes;
 * - docs/commands.md: every command's help, as `xvc COMMAND --help` prints it;
 * - README.md: the command table between the `commands:begin` and `commands:end` markers.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SpecLoadError, specProblem } from '../../core/spec-problem.ts';
import { loadCommands, type CommandCatalogue, type CommandDefinition, type OptionDefinition } from '../load/commands.ts';
import type { Emitter, GeneratedFile, SpecModel } from '../model/spec-model.ts';
import { generatedHeader } from './typescript/module.ts';

/** Path of the emitted module. */
export const commandsModulePath = 'generated/ts/commands.ts';
/** Path of the emitted command reference. */
export const commandsDocPath = 'docs/commands.md';
/** Markers around the README's generated command table. */
export const readmeMarkers = { begin: '<!-- commands:begin (generated from spec/commands.yaml by npm run generate) -->', end: '<!-- commands:end -->' } as const;

/** Width the help text is wrapped to. */
const WIDTH = 100;

/** The option every command has. */
const helpOption: OptionDefinition = { name: 'help', short: 'h', help: 'print this help' };

/** How an option is written in a synopsis: `[--name VALUE]...`. */
function optionSynopsis(option: OptionDefinition): string {
  return `[--${option.name}${option.value !== undefined ? ` ${option.value}` : ''}]${option.repeatable ? '...' : ''}`;
}

/** The usage lines of a command, each after `xvc NAME`: its forms, or one line of every option and its arguments. */
export function synopsis(command: CommandDefinition): string[] {
  if (command.forms !== undefined) return command.forms;
  const parts = [...(command.options ?? []).map(optionSynopsis), ...(command.arguments !== undefined ? [command.arguments] : [])];
  return [parts.join(' ')];
}

/** The words of a usage form, a bracketed or parenthesised group kept as one word. */
export function formWords(form: string): string[] {
  const words: string[] = [];
  let depth = 0;
  for (const piece of form.split(/\s+/).filter((part) => part !== '')) {
    if (depth > 0) words[words.length - 1] += ` ${piece}`;
    else words.push(piece);
    for (const char of piece) {
      if (char === '[' || char === '(') depth++;
      else if (char === ']' || char === ')') depth = Math.max(0, depth - 1);
    }
  }
  return words;
}

/** Words of `text` in lines of at most `width` characters, each line after the first starting with `indent`. */
export function wrap(text: string | readonly string[], width: number, indent: string, firstIndent = ''): string[] {
  const lines: string[] = [];
  let line = firstIndent;
  let empty = true;
  for (const word of typeof text === 'string' ? text.split(/\s+/).filter((part) => part !== '') : text) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else {
      line += (empty ? '' : ' ') + word;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}

function optionLabel(option: OptionDefinition): string {
  const long = `--${option.name}${option.value !== undefined ? ` ${option.value}` : ''}`;
  return option.short !== undefined ? `-${option.short}, ${long}` : `    ${long}`;
}

/** The text `xvc NAME --help` prints. */
export function renderHelp(command: CommandDefinition): string {
  const lines: string[] = [];
  synopsis(command).forEach((form, index) => {
    const lead = index === 0 ? `usage: xvc ${command.name}` : `       xvc ${command.name}`;
    lines.push(...wrap(formWords(form), WIDTH, ' '.repeat(lead.length + 1), `${lead}${form === '' ? '' : ' '}`));
  });
  lines.push('', command.summary, '', ...command.description.trimEnd().split('\n'));
  const options = [...(command.options ?? []), ...(command.builtin ? [] : [helpOption])];
  if (options.length > 0) {
    const column = Math.min(32, Math.max(...options.map((option) => optionLabel(option).length)) + 4);
    lines.push('', 'options:');
    const indent = ' '.repeat(column + 2);
    for (const option of options) {
      const label = `  ${optionLabel(option)}`;
      const help = option.repeatable ? `${option.help} (repeatable)` : option.help;
      // A label too long for the column gets its help on the lines below it.
      if (label.length < column + 2) lines.push(...wrap(help, WIDTH, indent, label.padEnd(column + 2)));
      else lines.push(label, ...wrap(help, WIDTH, indent, indent));
    }
  }
  lines.push('', 'exit codes:');
  for (const exit of command.exitCodes) lines.push(...wrap(exit.meaning, WIDTH, '        ', `  ${String(exit.code).padEnd(4)}  `));
  return `${lines.join('\n')}\n`;
}

/** The `parseArgs` option table of a command, as a TypeScript object literal. */
function optionTable(command: CommandDefinition): string {
  const entries = [...(command.options ?? []), helpOption].map((option) => {
    const parts = [`type: '${option.value === undefined ? 'boolean' : 'string'}'`];
    if (option.repeatable) parts.push('multiple: true');
    if (option.short !== undefined) parts.push(`short: '${option.short}'`);
    return `    ${JSON.stringify(option.name)}: { ${parts.join(', ')} },`;
  });
  return `{\n${entries.join('\n')}\n  }`;
}

/** generated/ts/commands.ts. */
export function emitCommandsModule(catalogue: Pick<CommandCatalogue, 'commands' | 'exitCodes'>): GeneratedFile {
  const modules = catalogue.commands.filter((command) => !command.builtin);
  const quoted = (names: readonly string[]) => names.map((name) => `'${name}'`).join(' | ') || 'never';
  const content = `${generatedHeader('spec/commands.yaml')}
/** A command implemented by a module of cli/commands/. */
export type CommandName = ${quoted(modules.map((command) => command.name))};

/** A command cli/main.ts answers itself. */
export type BuiltinCommandName = ${quoted(catalogue.commands.filter((command) => command.builtin).map((command) => command.name))};

/** Every command, in the order \`xvc --help\` lists them, with its one-line summary. */
export const commandSummaries: Readonly<Record<CommandName | BuiltinCommandName, string>> = ${JSON.stringify(Object.fromEntries(catalogue.commands.map((command) => [command.name, command.summary])), null, 2)};

/** Each command's options as node:util parseArgs reads them (every command has --help/-h). */
export const commandOptions = {
${modules.map((command) => `  ${JSON.stringify(command.name)}: ${optionTable(command)},`).join('\n')}
} as const;

/** Whether a command takes arguments after its options (PATH, OLD NEW, ...). */
export const commandTakesArguments: Readonly<Record<CommandName, boolean>> = ${JSON.stringify(Object.fromEntries(modules.map((command) => [command.name, command.arguments !== undefined])), null, 2)};

/** The text \`xvc COMMAND --help\` prints. */
export const commandHelp: Readonly<Record<CommandName | BuiltinCommandName, string>> = ${JSON.stringify(Object.fromEntries(catalogue.commands.map((command) => [command.name, renderHelp(command)])), null, 2)};

/** The exit codes every command shares. */
export const exitCodes: readonly { code: number; meaning: string }[] = ${JSON.stringify(catalogue.exitCodes, null, 2)};
`;
  return { path: commandsModulePath, content };
}

/** Text in a Markdown table cell, in a code span: a \`|\` would end the cell. */
function codeCell(text: string): string {
  return `\`${text.replace(/\|/g, '\\|')}\``;
}

/** The README's command table. */
export function renderCommandTable(catalogue: Pick<CommandCatalogue, 'commands'>): string {
  const rows = catalogue.commands
    .filter((command) => !command.builtin)
    .map((command) => `| ${synopsis(command).map((form) => codeCell(`xvc ${command.name} ${form}`.trimEnd())).join('<br>')} | ${command.summary.replace(/\|/g, '\\|')} |`);
  return ['| command | what it does |', '|---|---|', ...rows].join('\n');
}

/** docs/commands.md: every command's help. */
export function renderCommandsDoc(catalogue: Pick<CommandCatalogue, 'commands' | 'exitCodes'>): string {
  const lines = [
    '<!-- Generated by xvc (npm run generate) from spec/commands.yaml. Do not edit: change the spec and regenerate. -->',
    '# xvc commands',
    '',
    'What `xvc COMMAND --help` prints, for every command. The options, this page, the help and the',
    "README's command table are all generated from `spec/commands.yaml`.",
    '',
    'Exit codes shared by every command that judges results:',
    '',
    ...catalogue.exitCodes.map((exit) => `- ${exit.code}: ${exit.meaning}`),
    '',
  ];
  for (const command of catalogue.commands) lines.push(`## xvc ${command.name}`, '', '```', renderHelp(command).trimEnd(), '```', '');
  return lines.join('\n');
}

/** README.md with its command table replaced, or why it cannot be. */
export function replaceReadmeTable(readme: string, table: string): string | undefined {
  const begin = readme.indexOf(readmeMarkers.begin);
  const end = readme.indexOf(readmeMarkers.end);
  if (begin < 0 || end < begin) return undefined;
  return `${readme.slice(0, begin + readmeMarkers.begin.length)}\n${table}\n${readme.slice(end)}`;
}

/** The commands emitter. */
export const commandsEmitter: Emitter = {
  name: 'commands',
  emit(spec: SpecModel): GeneratedFile[] {
    const catalogue = loadCommands(join(spec.specDir, 'commands.yaml'), 'spec/commands.yaml');
    if (catalogue.problems.length > 0) throw new SpecLoadError(catalogue.problems);
    const files = [emitCommandsModule(catalogue), { path: commandsDocPath, content: renderCommandsDoc(catalogue) }];
    const readmeFile = join(dirname(spec.specDir), 'README.md');
    if (existsSync(readmeFile)) {
      const readme = replaceReadmeTable(readFileSync(readmeFile, 'utf8'), renderCommandTable(catalogue));
      if (readme === undefined) {
        throw new SpecLoadError([specProblem('unknownReference', { file: 'README.md', line: 1, column: 1 }, [], `README.md lacks the markers of its command table (${readmeMarkers.begin} ... ${readmeMarkers.end})`)]);
      }
      files.push({ path: 'README.md', content: readme });
    }
    return files;
  },
};
