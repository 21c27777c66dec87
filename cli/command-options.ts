/**
 * Parsing a command's options with the one definition of them (spec/commands.yaml, emitted as
 * generated/ts/commands.ts): the same table gives node:util parseArgs its options, `--help` its
 * text and the README its command table, so none of the three can name a flag the others lack.
 */
import { parseArgs } from 'node:util';
import { XvcError } from '../core/xvc-error.ts';
import { commandHelp, commandOptions, commandTakesArguments, type CommandName } from '../generated/ts/commands.ts';

/**
 * A command line a command cannot act on (badUsage, exit 2). Thrown, it reaches cli/main.ts, which
 * prints the message with its code and the command's help.
 */
export class CommandUsageError extends XvcError<'badUsage'> {
  constructor(
    readonly command: CommandName,
    message: string,
  ) {
    super('badUsage', message, { command });
  }
}

/** The values of a command's options as parseArgs types them from its table. */
export type CommandValues<N extends CommandName> = ReturnType<typeof parseArgs<{ options: (typeof commandOptions)[N]; strict: true; allowPositionals: true }>>['values'];

/** What {@link parseCommandArgs} found: the options and arguments, or why the command line is unusable (exit 2). */
export type ParsedCommand<N extends CommandName> = { ok: true; values: CommandValues<N>; positionals: string[] } | { ok: false; message: string };

/** Parses `args` with the options of command `name`; an unknown option, a missing value or an argument the command does not take is a message, never a throw. */
export function parseCommandArgs<N extends CommandName>(name: N, args: readonly string[]): ParsedCommand<N> {
  try {
    const { values, positionals } = parseArgs({ args: [...args], options: commandOptions[name], strict: true, allowPositionals: true });
    if (!commandTakesArguments[name] && positionals.length > 0) return { ok: false, message: `unexpected argument '${positionals[0]}'` };
    return { ok: true, values: values as CommandValues<N>, positionals };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** Like {@link parseCommandArgs}, but an unusable command line throws {@link CommandUsageError}. */
export function requireCommandArgs<N extends CommandName>(name: N, args: readonly string[]): { values: CommandValues<N>; positionals: string[] } {
  const parsed = parseCommandArgs(name, args);
  if (!parsed.ok) throw new CommandUsageError(name, parsed.message);
  return parsed;
}

/** The text `xvc NAME --help` prints. */
export function commandUsage(name: CommandName): string {
  return commandHelp[name];
}
