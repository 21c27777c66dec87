/**
 * The `xvc` command: dispatches to one module per subcommand (cli/commands/<name>.ts).
 * Each command returns its exit code: 0 conformant, 1 unexpected failures, 2 bad usage or input,
 * 3 harness error (DESIGN.md).
 *
 * The one-line summaries live here, not in the command modules, so `xvc --help` and `xvc --version`
 * load no command module (each pulls in fast-check, ajv, the targets, ...): start-up is most of
 * what a user waits for on a quick command.
 */
import { nearest } from '../core/nearest.ts';
import { packageVersion } from '../core/package-root.ts';

/** Where a command writes. */
export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** What a subcommand module exports. */
export interface CommandModule {
  /** Superseded by {@link commandTable}; a test keeps the two equal while modules still export it. */
  summary?: string;
  /** The command's help text; without it, help is asked of the command itself with `--help`. */
  usage?: string;
  run(args: string[], io: CommandIo): Promise<number>;
}

/** One command of the table: its summary, known without loading it, and how to load it. */
export interface CommandEntry {
  summary: string;
  load: () => Promise<CommandModule>;
}

/** Every command, in the order `xvc --help` lists them. */
export const commandTable: Readonly<Record<string, CommandEntry>> = {
  run: { summary: 'run suites against targets; write results.json, summary.md and the other reports', load: () => import('./commands/run.ts') },
  requirements: { summary: 'list every requirement with its coverage (--json, --check)', load: () => import('./commands/requirements.ts') },
  mechanisms: { summary: 'print the mechanism x property matrix (--json, --seed, --runs)', load: () => import('./commands/mechanisms.ts') },
  replay: { summary: 're-run one counterexample (--from results.json --record ID, or --scenario FILE --target T --property P)', load: () => import('./commands/replay.ts') },
  decode: { summary: 'decode the header and capabilities of lspci dumps or raw config binaries', load: () => import('./commands/decode.ts') },
  report: { summary: 'render results as html, junit, md, earl or json; --merge joins shard results', load: () => import('./commands/report.ts') },
  compare: { summary: 'compare two results: new failures (exit 1), fixed ones, changed evidence', load: () => import('./commands/compare.ts') },
  smoke: { summary: 'check that an exec: adapter speaks the xvc adapter protocol', load: () => import('./commands/smoke.ts') },
  'guest-kernel': { summary: 'fetch (or show) the Debian kernel and busybox the guest: targets boot', load: () => import('./commands/guest-kernel.ts') },
};

/** Commands main answers itself, without a module. */
const builtinCommands: Readonly<Record<string, string>> = {
  help: 'this overview, or `xvc help COMMAND` for one command',
  version: 'print the version of xvc (also -V, --version)',
};

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
  lines.push(
    '',
    '`xvc COMMAND --help` or `xvc help COMMAND` shows the options of one command.',
    'Exit codes: 0 conformant, 1 unexpected results, 2 bad usage or input, 3 harness error.',
  );
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
  io.stderr(`xvc: unknown command '${name}'${guess === undefined ? '' : ` (did you mean '${guess}'?)`}\n\n${overview()}`);
  return 2;
}

async function load(name: string, io: CommandIo): Promise<CommandModule | number> {
  try {
    return await commandTable[name]!.load();
  } catch (error) {
    io.stderr(`xvc: command '${name}' is not available: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 3;
  }
}

/** Help of one command: its exported usage, else whatever the command itself prints for `--help`. */
async function commandHelp(name: string, io: CommandIo): Promise<number> {
  const command = await load(name, io);
  if (typeof command === 'number') return command;
  if (command.usage !== undefined) {
    io.stdout(command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`);
    return 0;
  }
  return runCommand(name, command, ['--help'], io);
}

async function runCommand(name: string, command: CommandModule, args: string[], io: CommandIo): Promise<number> {
  try {
    return await command.run(args, io);
  } catch (error) {
    // A command reports expected problems itself; reaching here is a bug or an environment fault.
    io.stderr(`xvc ${name}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 3;
  }
}

/** Runs `xvc` with the given arguments (without the program name) and returns the exit code. */
export async function main(argv: string[], io: CommandIo = defaultIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(overview());
    return 2;
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
    if (topic in builtinCommands) {
      io.stdout(`usage: xvc ${topic}\n  ${builtinCommands[topic]}\n`);
      return 0;
    }
    return Object.hasOwn(commandTable, topic) ? commandHelp(topic, io) : unknownCommand(topic, io);
  }
  if (!Object.hasOwn(commandTable, name)) return unknownCommand(name, io);
  if (asksForHelp(rest)) return commandHelp(name, io);
  const command = await load(name, io);
  if (typeof command === 'number') return command;
  return runCommand(name, command, rest, io);
}
