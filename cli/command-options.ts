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

/** A negative decimal number (`-1`, `-2147483648`, `-1/3`): what may follow an option that takes a value. */
const negativeNumber = /^-[0-9]/;

/**
 * `args` with each `--name -1` (or `-x -1`) of an option that takes a value written `--name=-1`.
 * node:util parseArgs refuses a value that starts with a dash as ambiguous, yet a seed may be
 * negative: `--seed -1` gave "Option '--seed' argument is ambiguous" while `--seed=-1` worked. Only
 * a negative number right after an option that takes a value is joined: after a flag, as an
 * argument, or after `--` it is left as it is (so `--json -1` is still an unknown option `-1`).
 */
function joinNegativeValues(options: Readonly<Record<string, { readonly type: 'string' | 'boolean'; readonly short?: string }>>, args: readonly string[]): string[] {
  const joined: string[] = [];
  const byShort = new Map(Object.entries(options).flatMap(([long, option]) => (option.short === undefined ? [] : [[option.short, long] as const])));
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === '--') {
      joined.push(...args.slice(index));
      break;
    }
    const long = arg.startsWith('--') ? arg.slice(2) : /^-[A-Za-z]$/.test(arg) ? byShort.get(arg.slice(1)) : undefined;
    const next = args[index + 1];
    if (long !== undefined && !long.includes('=') && Object.hasOwn(options, long) && options[long]!.type === 'string' && next !== undefined && negativeNumber.test(next)) {
      joined.push(`--${long}=${next}`);
      index++;
      continue;
    }
    joined.push(arg);
  }
  return joined;
}

/** Parses `args` with the options of command `name`; an unknown option, a missing value or an argument the command does not take is a message, never a throw. */
export function parseCommandArgs<N extends CommandName>(name: N, args: readonly string[]): ParsedCommand<N> {
  try {
    const { values, positionals } = parseArgs({ args: joinNegativeValues(commandOptions[name], args), options: commandOptions[name], strict: true, allowPositionals: true });
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
