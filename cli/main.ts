/**
 * The `xvc` command: dispatches to one module per subcommand (cli/commands/<name>.ts).
 * A command returns the exit code of its verdict (0 conformant, 1 unexpected failures, 3 harness
 * error, 4 nothing tested: DESIGN.md, spec/commands.yaml), or throws: an error of the catalogue
 * (core/diagnostics.ts) is reported here, with its code, and ends with the exit code its category
 * fixes (2 for bad usage or input, 3 for harness and internal errors); anything else is an internal error.
 *
 * The summaries and every command's help come from spec/commands.yaml (generated/ts/commands.ts, plain
 * data), not from the command modules, so `xvc --help`, `xvc COMMAND --help` and `xvc --version`
 * load no command module (each pulls in fast-check, ajv, the targets, ...): start-up is most of
 * what a user waits for on a quick command.
 */
import { categoryExitCodes, diagnostics } from '../core/diagnostics.ts';
import { nearest } from '../core/nearest.ts';
import { packageVersion } from '../core/package-root.ts';
import { terminalSafe } from '../core/terminal-text.ts';
import { formatXvcError, isXvcError } from '../core/xvc-error.ts';
import { commandHelp, commandSummaries, exitCodes, type BuiltinCommandName, type CommandName } from '../generated/ts/commands.ts';

/** Where a command writes. */
export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** What a subcommand module exports (its summary and help come from spec/commands.yaml). */
export interface CommandModule {
  run(args: string[], io: CommandIo): Promise<number>;
}

/** One command of the table: its summary, known without loading it, and how to load it. */
export interface CommandEntry {
  summary: string;
  load: () => Promise<CommandModule>;
}

/** How each command's module is loaded (static imports, so a bundler or the compile cache sees them). */
const loaders: Readonly<Record<CommandName, () => Promise<CommandModule>>> = {
  run: () => import('./commands/run.ts'),
  requirements: () => import('./commands/requirements.ts'),
  mechanisms: () => import('./commands/mechanisms.ts'),
  replay: () => import('./commands/replay.ts'),
  decode: () => import('./commands/decode.ts'),
  report: () => import('./commands/report.ts'),
  compare: () => import('./commands/compare.ts'),
  smoke: () => import('./commands/smoke.ts'),
  'guest-kernel': () => import('./commands/guest-kernel.ts'),
};

/** Every command, in the order `xvc --help` lists them (spec/commands.yaml). */
export const commandTable: Readonly<Record<string, CommandEntry>> = Object.fromEntries(
  (Object.keys(loaders) as CommandName[]).map((name) => [name, { summary: commandSummaries[name], load: loaders[name] }]),
);

/** Commands main answers itself, without a module. */
const builtinCommands: Readonly<Record<BuiltinCommandName, string>> = { help: commandSummaries.help, version: commandSummaries.version };

const defaultIo: CommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** The overview `xvc --help` prints. */
export function overview(): string {
  const names = [...Object.keys(commandTable), ...Object.keys(builtinCommands)];
  const width = Math.max(...names.map((name) => name.length)) + 2;
  const lines = ['usage: xvc <command> [options]', '', 'commands:'];
  for (const [name, entry] of Object.entries(commandTable)) lines.push(`  ${name.padEnd(width)}${entry.summary}`);
  for (const [name, summary] of Object.entries(builtinCommands)) lines.push(`  ${name.padEnd(width)}${summary}`);
  lines.push('', '`xvc COMMAND --help` or `xvc help COMMAND` shows the options of one command.', '', 'exit codes:');
  for (const exit of exitCodes) lines.push(`  ${exit.code}  ${exit.meaning}`);
  return `${lines.join('\n')}\n`;
}

function isHelpFlag(arg: string): boolean {
  return arg === '--help' || arg === '-h';
}

/**
 * `--help` or `-h` among a command's own options: before a `--`, and before an `exec:` target given
 * as separate words (`xvc smoke exec:./adapter --help` passes `--help` to the adapter).
 */
function asksForHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--' || arg.startsWith('exec:')) return false;
    if (isHelpFlag(arg)) return true;
  }
  return false;
}

function unknownCommand(name: string, io: CommandIo): number {
  const guess = nearest(name, [...Object.keys(commandTable), ...Object.keys(builtinCommands)]);
  io.stderr(`xvc: ${diagnostics.unknownCommand.code} unknown command '${terminalSafe(name)}'${guess === undefined ? '' : ` (did you mean '${guess}'?)`}\n\n${overview()}`);
  return categoryExitCodes[diagnostics.unknownCommand.category];
}

function describeThrown(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

async function load(name: string, io: CommandIo): Promise<CommandModule | number> {
  try {
    return await commandTable[name]!.load();
  } catch (error) {
    io.stderr(`xvc: ${diagnostics.commandUnavailable.code} command '${name}' is not available: ${terminalSafe(describeThrown(error), { multiline: true })}\n`);
    return categoryExitCodes[diagnostics.commandUnavailable.category];
  }
}

/**
 * How a command that threw ends, the one place an error becomes an exit code: a catalogued error
 * prints its code and message (and the command's help after a usage error) and exits with its
 * category's code; anything else is a bug or an environment fault, printed with its stack.
 */
export function reportThrown(name: string, error: unknown, io: CommandIo): number {
  if (isXvcError(error)) {
    const help = error.category === 'usage' && Object.hasOwn(commandHelp, name) ? commandHelp[name as CommandName] : '';
    io.stderr(`xvc ${name}: ${terminalSafe(formatXvcError(error), { multiline: true })}\n${help}`);
    return error.exitCode;
  }
  io.stderr(`xvc ${name}: ${diagnostics.internalError.code} internal error: ${terminalSafe(describeThrown(error), { multiline: true })}\n`);
  return categoryExitCodes[diagnostics.internalError.category];
}

/** Help of one command, from its definition: no module is loaded. */
function printHelp(name: CommandName, io: CommandIo): number {
  io.stdout(commandHelp[name]);
  return 0;
}

async function runCommand(name: string, command: CommandModule, args: string[], io: CommandIo): Promise<number> {
  try {
    return await command.run(args, io);
  } catch (error) {
    return reportThrown(name, error, io);
  }
}

/** Runs `xvc` with the given arguments (without the program name) and returns the exit code. */
export async function main(argv: string[], io: CommandIo = defaultIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(overview());
    return categoryExitCodes.usage;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.stdout(`${packageVersion()}\n`);
    return 0;
  }
  if (isHelpFlag(name) || name === 'help') {
    const [topic] = rest;
    if (topic === undefined || isHelpFlag(topic)) {
      io.stdout(overview());
      return 0;
    }
    if (Object.hasOwn(builtinCommands, topic)) {
      io.stdout(commandHelp[topic as BuiltinCommandName]);
      return 0;
    }
    return Object.hasOwn(commandTable, topic) ? printHelp(topic as CommandName, io) : unknownCommand(topic, io);
  }
  if (!Object.hasOwn(commandTable, name)) return unknownCommand(name, io);
  if (asksForHelp(rest)) return printHelp(name as CommandName, io);
  const command = await load(name, io);
  if (typeof command === 'number') return command;
  return runCommand(name, command, rest, io);
}
