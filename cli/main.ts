/**
 * The `xvc` command: dispatches to one module per subcommand (cli/commands/<name>.ts).
 * Each command returns its exit code: 0 conformant, 1 unexpected failures, 2 bad usage or input,
 * 3 harness error (DESIGN.md).
 */
import { packageVersion } from '../core/package-root.ts';
export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** What a subcommand module exports. */
export interface CommandModule {
  summary: string;
  run(args: string[], io: CommandIo): Promise<number>;
}

const commands: Record<string, () => Promise<CommandModule>> = {
  run: () => import('./commands/run.ts'),
  requirements: () => import('./commands/requirements.ts'),
  mechanisms: () => import('./commands/mechanisms.ts'),
  replay: () => import('./commands/replay.ts'),
  decode: () => import('./commands/decode.ts'),
  report: () => import('./commands/report.ts'),
  compare: () => import('./commands/compare.ts'),
  smoke: () => import('./commands/smoke.ts'),
};

const defaultIo: CommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Runs `xvc` with the given arguments (without the program name) and returns the exit code. */
export async function main(argv: string[], io: CommandIo = defaultIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(await usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    io.stdout(`${packageVersion()}\n`);
    return 0;
  }
  const load = commands[name];
  if (!load) {
    io.stderr(`xvc: unknown command '${name}'\n${await usage()}`);
    return 2;
  }
  let command: CommandModule;
  try {
    command = await load();
  } catch (error) {
    io.stderr(`xvc: command '${name}' is not available: ${String(error)}\n`);
    return 3;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    // A command reports expected problems itself; reaching here is a bug or an environment fault.
    io.stderr(`xvc ${name}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 3;
  }
}

async function usage(): Promise<string> {
  const lines = ['usage: xvc <command> [options]', '', 'commands:'];
  for (const [name, load] of Object.entries(commands)) {
    const summary = await load().then(
      (module) => module.summary,
      () => '(not available)',
    );
    lines.push(`  ${name.padEnd(14)}${summary}`);
  }
  return `${lines.join('\n')}\n`;
}
