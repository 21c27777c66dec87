/**
 * `xvc smoke exec:COMMAND`: checks that an adapter speaks the xvc adapter protocol before a full run:
 * handshake, a trivial request, malformed requests (it must answer with an error and live on),
 * pipelining, stop. Prints a checklist that tells the adapter's author what exactly is wrong.
 */
import { categoryExitCodes } from '../../core/diagnostics.ts';
import { MAX_TIMER_MS, OptionValueError, parseIntegerOption } from '../../core/integer-option.ts';
import { terminalSafe } from '../../core/terminal-text.ts';
import { trivialScenario } from '../../targets/exec.ts';
import { TargetError } from '../../targets/device-target.ts';
import { AdapterConnection, RequestFailure } from '../../targets/exec.ts';
import { execSettings, type ExecSettings } from '../../targets/exec.ts';
import { PROTOCOL_VERSION, type AdapterRole, type Answer, type Command, type RequestBody, type StartResult } from '../../targets/exec.ts';
import { parseTargetSpec, TargetSpecError } from '../../targets/target-spec.ts';
import type { CommandIo } from '../main.ts';
import { PCI_TYPE0_HEADER_OFFSETS, PCI_TYPE0_HEADER_SIZE } from '../../generated/ts/pci/pci-type0-header.ts';
import { commandOptions } from '../../generated/ts/commands.ts';
import { commandUsage, parseCommandArgs } from '../command-options.ts';

/** Help text of `xvc smoke` (spec/commands.yaml). */
export const usage = commandUsage('smoke');

/** Result of one check. */
export interface SmokeCheck {
  status: 'ok' | 'fail' | 'warn';
  title: string;
  /** What went wrong and how to fix it; absent when ok. */
  detail?: string;
}


const stderrHint = (connection: AdapterConnection): string => {
  const all = connection.stderrText().trimEnd().split('\n');
  if (all.length === 1 && all[0] === '') return '';
  const tail = all.slice(-10);
  // A stack trace puts the error itself above the frames: show it even when it is not in the tail.
  const headline = all.slice(0, -10).reverse().find((line) => /error|exception|fault|panic|traceback/i.test(line));
  const shown = headline ? [headline, '...', ...tail] : tail;
  return `\n    its stderr ended with:\n${shown.map((line) => `      | ${line}`).join('\n')}`;
};

/** Why a request failed, phrased for the adapter's author. */
function explainFailure(error: TargetError, _settings: ExecSettings, cmd: Command | string): string {
  switch (error.diagnostic) {
    case 'targetTimeout':
      return `${error.message}.\n    fix: answer every request with one line on stdout and flush stdout after writing it (Python: sys.stdout.flush(); C: fflush(stdout)).`;
    case 'targetCrashed':
      return `${error.message} while handling ${cmd}.\n    fix: an adapter must survive any request; answer {"seq": N, "error": {"code": "...", "message": "..."}} instead of exiting.`;
    case 'targetProtocol':
      return `${error.message}.\n    fix: write exactly one JSON object per line on stdout, with the request's seq; log to stderr only. Schemas: spec/schema/protocol/.`;
    default:
      return error.message;
  }
}

async function ask(connection: AdapterConnection, body: RequestBody, unchecked = false): Promise<Answer<Command> | TargetError> {
  try {
    return await connection.send(body, undefined, unchecked);
  } catch (failure) {
    if (failure instanceof RequestFailure) return failure.error;
    if (failure instanceof TargetError) return failure;
    throw failure;
  }
}

/** Bytes of the type-0 header smoke reads back: the part every function has. */
const HEADER_BYTES = PCI_TYPE0_HEADER_SIZE;

/** The first `length` bytes of a function's configuration space, a dword at a time, or the failure. */
async function readHeader(connection: AdapterConnection, functionId: string, length: number): Promise<Uint8Array | TargetError> {
  const bytes = new Uint8Array(length - (length % 4));
  for (let offset = 0; offset < bytes.length; offset += 4) {
    const answer = await ask(connection, { cmd: 'config-read', function: functionId, offset, width: 4 });
    if (answer instanceof TargetError) return answer;
    if (answer.kind !== 'result') return new TargetError('targetProtocol', `answered config-read at 0x${offset.toString(16)} with ${answer.kind}`);
    const value = (answer.result as { value: number }).value;
    for (let index = 0; index < 4; index++) bytes[offset + index] = (value >>> (8 * index)) & 0xff;
  }
  return bytes;
}

/**
 * Why bytes served as a configuration header cannot be one, or undefined: no function answers with
 * vendor ID 0xFFFF or 0, the header type is 0, 1 or 2, and a header is not printable text (which is
 * what serving an `lspci -v` listing as a binary looks like).
 */
export function headerProblem(bytes: Uint8Array): string | undefined {
  const vendor = bytes.length >= 2 ? bytes[0]! | (bytes[1]! << 8) : undefined;
  const printable = bytes.length > 0 && bytes.every((byte) => (byte >= 0x20 && byte < 0x7f) || byte === 0x0a || byte === 0x09 || byte === 0x0d);
  if (printable) {
    const text = new TextDecoder().decode(bytes).replace(/\s+/g, ' ').slice(0, 48);
    return `its ${bytes.length} bytes are printable text ("${text}..."), not registers: the adapter serves a text file as a binary configuration space (an lspci -v listing?).\n    fix: give it lspci -x/-xxx/-xxxx hex output or a raw config file (/sys/bus/pci/devices/BDF/config).`;
  }
  if (vendor === 0xffff || vendor === 0) return `vendor ID 0x${vendor.toString(16).padStart(4, '0')} means no function answers there.\n    fix: serve the configuration space of a present function.`;
  const headerType = bytes.length > PCI_TYPE0_HEADER_OFFSETS.headerLayout ? bytes[PCI_TYPE0_HEADER_OFFSETS.headerLayout]! & 0x7f : undefined;
  if (headerType !== undefined && headerType > 2) return `header type ${headerType} is none PCI defines (0 device, 1 bridge, 2 CardBus).\n    fix: serve the bytes of the function's configuration space from offset 0.`;
  return undefined;
}

/** Runs every check against one adapter command; never throws for adapter misbehaviour. */
export async function smokeAdapter(argv: readonly string[], settings: ExecSettings): Promise<SmokeCheck[]> {
  const checks: SmokeCheck[] = [];
  const ok = (title: string) => checks.push({ status: 'ok', title });
  const fail = (title: string, detail: string) => checks.push({ status: 'fail', title, detail });
  const warn = (title: string, detail: string) => checks.push({ status: 'warn', title, detail });

  // Handshake: ask for a frontend; a device adapter says so in its answer, and is checked as one.
  let connection = new AdapterConnection(argv, settings);
  const started = Date.now();
  let handshake = await connection.handshake('frontend').catch((error: unknown) => error as TargetError);
  let role: AdapterRole = 'frontend';
  if (!(handshake instanceof TargetError) && handshake.kind === 'result' && handshake.result.role === 'device') {
    role = 'device';
    await connection.stop(500);
    connection = new AdapterConnection(argv, settings);
    handshake = await connection.handshake('device').catch((error: unknown) => error as TargetError);
  }
  try {
    if (handshake instanceof TargetError) {
      fail('starts and answers start', `${explainFailure(handshake, settings, 'start')}${stderrHint(connection)}`);
      return checks;
    }
    if (handshake.kind !== 'result') {
      fail('starts and answers start', `answered start with ${handshake.kind === 'skip' ? `a skip: ${handshake.reason}` : `an error: ${handshake.message}`}.\n    fix: start must always succeed with a result (see docs/adapter-protocol.md).`);
      return checks;
    }
    const info: StartResult = handshake.result;
    ok(`starts and answers start in ${Date.now() - started} ms`);
    if (info.protocol !== PROTOCOL_VERSION) {
      fail('speaks the protocol version xvc speaks', `it speaks '${info.protocol}'; this xvc speaks '${PROTOCOL_VERSION}'.\n    fix: answer start with "protocol": "${PROTOCOL_VERSION}" if you implement it.`);
      return checks;
    }
    ok(`speaks ${PROTOCOL_VERSION}`);
    const { implementation } = info;
    ok(`identifies itself: ${implementation.name} ${implementation.version} (${implementation.language}), role ${info.role}`);

    // The trivial request, per role.
    const trivial: RequestBody = role === 'frontend' ? { cmd: 'decide', scenario: trivialScenario } : { cmd: 'list-functions' };
    let functionId: string | undefined;
    const trivialTitle = role === 'frontend' ? 'decides a trivial scenario (one virtio-mmio device)' : 'lists its PCI functions';
    const first = await ask(connection, trivial);
    if (first instanceof TargetError) {
      fail(trivialTitle, `${explainFailure(first, settings, trivial.cmd)}${stderrHint(connection)}`);
      return checks;
    }
    if (first.kind === 'error') {
      fail(trivialTitle, `answered a valid ${trivial.cmd} with error '${first.code}': ${first.message}.\n    fix: a valid request gets a result (or a skip with a reason if the implementation declines it).`);
    } else if (first.kind === 'skip') {
      warn(trivialTitle, `skipped it: ${first.reason}. A skip makes every test using it inapplicable.`);
    } else if (role === 'frontend') {
      const decisions = (first.result as { decisions: { deviceId: string; outcome: string }[] }).decisions;
      if (decisions.length !== 1 || decisions[0]!.deviceId !== 'smoke-net') {
        fail(trivialTitle, `returned decisions for [${decisions.map((decision) => decision.deviceId).join(', ')}]; expected exactly one, for 'smoke-net'.\n    fix: one decision per scenario device, in the scenario's order, each with its deviceId.`);
      } else ok(`${trivialTitle}: smoke-net -> ${decisions[0]!.outcome}`);
    } else {
      const functions = (first.result as { functions: { id: string; configSize: number }[] }).functions;
      if (functions.length === 0) warn(trivialTitle, 'listed no functions, so there is nothing to test.');
      else {
        ok(`${trivialTitle}: ${functions.map((fn) => `${fn.id} (${fn.configSize} bytes)`).join(', ')}`);
        functionId = functions[0]!.id;
        const read = await ask(connection, { cmd: 'config-read', function: functionId, offset: 0, width: 2 });
        if (read instanceof TargetError) fail('reads the vendor ID', `${explainFailure(read, settings, 'config-read')}${stderrHint(connection)}`);
        else if (read.kind !== 'result') fail('reads the vendor ID', `answered config-read of offset 0 with ${read.kind}.\n    fix: every listed function must serve config-read within its configSize.`);
        else {
          ok(`reads the vendor ID of ${functionId}: 0x${(read.result as { value: number }).value.toString(16).padStart(4, '0')}`);
          const header = await readHeader(connection, functionId, Math.min(HEADER_BYTES, functions[0]!.configSize));
          if (header instanceof TargetError) fail('serves a PCI configuration header', `${explainFailure(header, settings, 'config-read')}${stderrHint(connection)}`);
          else {
            const problem = headerProblem(header);
            if (problem === undefined) ok(`serves a PCI configuration header (${header.length} bytes read)`);
            else fail('serves a PCI configuration header', problem);
          }
        }
      }
    }
    // Fields the schemas do not define, seen so far (the trivial answers).
    const ignored = connection.notes.flatMap((note) => note.fields);
    if (ignored.length > 0) {
      const fields = [...new Set(ignored)].slice(0, 5).join('; ');
      if (settings.strictProtocol) fail('sends only fields the protocol defines', `${fields}.\n    fix: remove them (spec/schema/protocol/ lists every field).`);
      else warn('sends only fields the protocol defines', `${fields}: ignored now, rejected with --strict-protocol.`);
    }

    if (!connection.usable) return checks;

    // Bad input: an unknown command, then a request whose body is malformed.
    const unknown = await ask(connection, { cmd: 'xvc-smoke-no-such-command' } as unknown as RequestBody, true);
    reportBadInput(checks, connection, settings, 'answers an unknown command with an error', unknown, 'unknown-command');
    if (!connection.usable) return checks;
    const malformedBody = (role === 'frontend'
      ? { cmd: 'decide', scenario: { guest: 'not a guest', devices: 'none' } }
      : { cmd: 'config-read', function: 42, offset: 'zero', width: 3 }) as unknown as RequestBody;
    const malformed = await ask(connection, malformedBody, true);
    reportBadInput(checks, connection, settings, `answers a malformed ${malformedBody.cmd} with an error`, malformed, 'bad-request');
    if (!connection.usable) return checks;

    // Still alive, and pipelining: several requests written before the first answer.
    const count = Math.min(8, info.maxInFlight ?? 8);
    const answers = await Promise.all(Array.from({ length: count }, () => ask(connection, trivial)));
    const broken = answers.find((answer): answer is TargetError => answer instanceof TargetError);
    if (broken) fail(`answers ${count} pipelined requests after the bad ones`, `${explainFailure(broken, settings, trivial.cmd)}${stderrHint(connection)}`);
    else if (answers.some((answer) => !(answer instanceof TargetError) && answer.kind === 'error')) {
      fail(`answers ${count} pipelined requests after the bad ones`, 'answered some with errors.\n    fix: read requests line by line and answer each; several may arrive before you answer the first.');
    } else ok(`answers ${count} pipelined requests after the bad ones`);

    // stop: answered, then the process exits by itself.
    if (!connection.usable) return checks;
    const stopped = await ask(connection, { cmd: 'stop' });
    if (stopped instanceof TargetError && stopped.diagnostic !== 'targetCrashed') fail('stops when asked', explainFailure(stopped, settings, 'stop'));
    else if (!(stopped instanceof TargetError) && stopped.kind !== 'result') fail('stops when asked', `answered stop with ${stopped.kind}.\n    fix: answer {"seq": N, "result": {}} and exit.`);
    else {
      const status = await connection.exitStatus(2000);
      if (!status) fail('stops when asked', 'answered stop but was still running 2 s later.\n    fix: exit after writing the answer to stop.');
      else if (stopped instanceof TargetError) fail('stops when asked', 'exited without answering stop.\n    fix: write {"seq": N, "result": {}} (and flush) before exiting.');
      else if (status.code !== 0) warn('stops when asked', `exited with ${status.signal ?? `code ${status.code}`} after stop; expected code 0.`);
      else ok('stops when asked (exit code 0)');
    }
    return checks;
  } finally {
    await connection.stop(500);
  }
}

function reportBadInput(checks: SmokeCheck[], connection: AdapterConnection, settings: ExecSettings, title: string, answer: Answer<Command> | TargetError, expectedCode: string): void {
  if (answer instanceof TargetError) {
    checks.push({ status: 'fail', title, detail: `${explainFailure(answer, settings, 'a malformed request')}${stderrHint(connection)}` });
  } else if (answer.kind === 'result') {
    checks.push({ status: 'fail', title, detail: 'accepted it and answered with a result.\n    fix: check every request and answer bad ones with {"seq": N, "error": {"code": "bad-request" | "unknown-command", "message": ...}}.' });
  } else if (answer.kind === 'skip') {
    checks.push({ status: 'warn', title, detail: `answered with a skip ('${answer.reason}'); an error with code '${expectedCode}' is expected.` });
  } else if (answer.code !== expectedCode) {
    checks.push({ status: 'warn', title, detail: `answered with error code '${answer.code}'; '${expectedCode}' would tell xvc more precisely what happened.` });
  } else checks.push({ status: 'ok', title: `${title} (${answer.code})` });
}

/** Renders the checklist. */
export function renderChecklist(spec: string, checks: readonly SmokeCheck[]): string {
  const mark = { ok: '[ok]  ', fail: '[FAIL]', warn: '[warn]' } as const;
  const lines = [`xvc smoke ${spec}`];
  for (const check of checks) {
    lines.push(`  ${mark[check.status]} ${check.title}`);
    if (check.detail) lines.push(...check.detail.split('\n').map((line) => `    ${line.trimStart().startsWith('|') ? `  ${line.trim()}` : line.trim()}`));
  }
  const count = (status: SmokeCheck['status']) => checks.filter((check) => check.status === status).length;
  lines.push(`${count('ok')} passed, ${count('fail')} failed, ${count('warn')} warnings`);
  return `${lines.join('\n')}\n`;
}

/**
 * Where smoke's own options end: at the first word that is not an option or an option's value
 * (normally `exec:...`). Everything from there on is the adapter's command, its own flags included.
 */
function optionsEnd(args: readonly string[]): number {
  const options: Readonly<Record<string, { type: string; short?: string }>> = commandOptions.smoke;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === '--') return index;
    if (!arg.startsWith('-') || arg === '-') return index;
    const name = arg.startsWith('--') ? arg.slice(2).split('=')[0]! : Object.keys(options).find((key) => options[key]!.short === arg.slice(1));
    if (name !== undefined && options[name]?.type === 'string' && !arg.includes('=')) index++;
  }
  return args.length;
}

/** Runs `xvc smoke`. */
export async function run(args: string[], io: CommandIo): Promise<number> {
  const end = optionsEnd(args);
  const parsed = parseCommandArgs('smoke', args.slice(0, end));
  if (!parsed.ok) return usageError(io, parsed.message);
  const { values } = parsed;
  if (values.help) {
    io.stdout(usage);
    return 0;
  }
  let timeout: number | undefined;
  if (values.timeout !== undefined) {
    try {
      timeout = parseIntegerOption('--timeout', values.timeout, { min: 1, max: MAX_TIMER_MS });
    } catch (error) {
      if (error instanceof OptionValueError) return usageError(io, `${error.message} (milliseconds)`);
      throw error;
    }
  }
  const env: Record<string, string> = {};
  const passEnv: string[] = [];
  for (const assignment of values['adapter-env'] ?? []) {
    const equals = assignment.indexOf('=');
    const name = equals < 0 ? assignment : assignment.slice(0, equals);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return usageError(io, `--adapter-env expects NAME=VALUE or NAME, got '${assignment}'`);
    if (equals < 0) passEnv.push(name);
    else env[name] = assignment.slice(equals + 1);
  }
  const rest = args.slice(end);
  const spec = (rest[0] === '--' ? rest.slice(1) : rest).join(' ');
  if (spec === '') return usageError(io, 'no target given');
  let argv: string[];
  try {
    const parsedSpec = parseTargetSpec(spec);
    if (parsedSpec.kind !== 'exec') return usageError(io, `smoke checks exec: adapters; '${spec}' is a ${parsedSpec.kind} target`);
    argv = parsedSpec.argv;
  } catch (error) {
    if (error instanceof TargetSpecError) return usageError(io, error.message);
    throw error;
  }
  const settings = execSettings(argv, { spec, strictProtocol: values['strict-protocol'] ?? false, env, passEnv, ...(timeout === undefined ? {} : { requestTimeoutMs: timeout, startTimeoutMs: timeout }) });
  const checks = await smokeAdapter(argv, settings);
  // The checklist quotes the adapter (its name, its stderr): nothing it wrote may reach the terminal as a control sequence.
  io.stdout(terminalSafe(renderChecklist(spec, checks), { multiline: true }));
  return checks.some((check) => check.status === 'fail') ? 1 : 0;
}

function usageError(io: CommandIo, message: string): number {
  io.stderr(`xvc smoke: ${terminalSafe(message)}\n${usage}`);
  return categoryExitCodes.usage;
}
