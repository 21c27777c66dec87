/**
 * One run of an adapter process: spawned from an argument vector (never a shell) with an explicit
 * environment, spoken to in JSON lines, every message validated, every request bounded by a timeout.
 * Answers are matched by `seq`, so they may arrive in any order. When the process dies, hangs or
 * breaks the framing, the connection kills it and fails every outstanding request with a
 * {@link RequestFailure} saying whether the request itself was to blame; the client decides on retries.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { TargetError } from '../device-target.ts';
import { reap, trackChild } from '../qemu/process-reaper.ts';
import { adapterEnvironment, type ExecSettings } from './exec-options.ts';
import { LineSplitter } from './line-splitter.ts';
import { StderrTail } from './stderr-tail.ts';
import {
  PROTOCOL_VERSION,
  type AdapterErrorCode,
  type AdapterRole,
  type Answer,
  type Command,
  type RequestBody,
  type StartResult,
} from './protocol-messages.ts';
import { validateMessage, type ProtocolSchemaName } from './protocol-validator.ts';

/** Why a request got no usable answer; `retryable` when it was not the request's own fault. */
export class RequestFailure extends Error {
  constructor(
    readonly error: TargetError,
    readonly retryable: boolean,
  ) {
    super(error.message);
    this.name = 'RequestFailure';
  }
}

interface Outstanding {
  seq: number;
  cmd: Command;
  resolve(answer: Answer<Command>): void;
  reject(failure: RequestFailure): void;
  timer: NodeJS.Timeout;
}

/** Observations about an adapter that are not errors (unknown fields ignored, ...), for smoke. */
export type ConnectionNote = { kind: 'ignored-fields'; cmd: Command; seq: number; fields: string[] };

const preview = (text: string): string => JSON.stringify(text.length > 160 ? `${text.slice(0, 160)}...` : text);

/** A live adapter process. */
export class AdapterConnection {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly outstanding = new Map<number, Outstanding>();
  private readonly splitter: LineSplitter;
  private readonly stderr: StderrTail;
  private nextSeq = 0;
  private failed: TargetError | undefined;
  private stopping = false;
  private readonly exited: Promise<void>;
  /** Non-fatal observations, oldest first (bounded). */
  readonly notes: ConnectionNote[] = [];
  readonly label: string;

  constructor(
    readonly argv: readonly string[],
    private readonly settings: ExecSettings,
  ) {
    this.label = `adapter '${argv.join(' ')}'`;
    this.splitter = new LineSplitter(settings.maxLineBytes);
    this.stderr = new StderrTail(settings.stderrTailBytes);
    this.child = spawn(argv[0]!, argv.slice(1), {
      cwd: settings.cwd,
      env: adapterEnvironment(settings),
      shell: false,
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    trackChild(this.child);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.once('error', () => resolve());
    });
    this.child.stdout.on('data', (chunk: Buffer) => this.onStdout(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk));
    // A write to a dead adapter fails with EPIPE; the exit handler reports the real cause.
    this.child.stdin.on('error', () => undefined);
    this.child.once('error', (error) => {
      this.fail(new TargetError('target-unavailable', `${this.label} cannot be started: ${error.message}`, { stderr: this.stderrText() }));
    });
    this.child.once('exit', (code, signal) => {
      if (this.failed) return;
      // Give stderr a moment to drain so the report carries the adapter's last words.
      const settle = setTimeout(() => this.onExit(code, signal), 100);
      this.child.once('close', () => {
        clearTimeout(settle);
        this.onExit(code, signal);
      });
    });
  }

  /** Process id, while the process lives. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Requests sent and not yet answered. */
  get inFlight(): number {
    return this.outstanding.size;
  }

  /** False once the connection failed or was stopped. */
  get usable(): boolean {
    return this.failed === undefined && !this.stopping;
  }

  /** The adapter's most recent stderr. */
  stderrText(): string {
    return this.stderr.text();
  }

  /**
   * Sends `start` and returns the adapter's validated answer, whatever version or role it names.
   * Rejects with a TargetError when there is no valid answer (the connection is then dead).
   */
  async handshake(role: AdapterRole): Promise<Answer<'start'>> {
    try {
      return (await this.send({ cmd: 'start', protocols: [PROTOCOL_VERSION], role }, this.settings.startTimeoutMs)) as Answer<'start'>;
    } catch (failure) {
      throw failure instanceof RequestFailure ? failure.error : failure;
    }
  }

  /**
   * Sends `start`, checks the protocol version and the role, and returns what the adapter said about
   * itself. Rejects with a TargetError (the connection is then dead).
   */
  async start(role: AdapterRole): Promise<StartResult> {
    const answer = await this.handshake(role);
    const refuse = (code: TargetError['code'], message: string): never => {
      const error = new TargetError(code, `${this.label}: ${message}`, { stderr: this.stderrText() });
      this.fail(error);
      throw error;
    };
    if (answer.kind !== 'result') {
      return refuse('target-unavailable', `answered start with ${answer.kind}: ${answer.kind === 'skip' ? answer.reason : answer.message}`);
    }
    const result = answer.result;
    if (result.protocol !== PROTOCOL_VERSION) {
      return refuse('target-protocol', `speaks protocol '${result.protocol}', xvc speaks '${PROTOCOL_VERSION}'`);
    }
    if (result.role !== role) return refuse('target-role', `implements the ${result.role} role, xvc needs a ${role}`);
    return result;
  }

  /** How the process ended, once it has; waits at most `ms`. */
  async exitStatus(ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null } | undefined> {
    await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, ms).unref())]);
    if (this.child.exitCode === null && this.child.signalCode === null) return undefined;
    return { code: this.child.exitCode, signal: this.child.signalCode };
  }

  /** The error that ended the connection, if it failed. */
  get failure(): TargetError | undefined {
    return this.failed;
  }

  /**
   * Sends one request and resolves with the adapter's validated answer. Rejects with a
   * RequestFailure. `unchecked` skips validation of the request (for smoke's malformed request).
   */
  send(body: RequestBody, timeoutMs = this.settings.requestTimeoutMs, unchecked = false): Promise<Answer<Command>> {
    return new Promise((resolve, reject) => {
      if (this.failed) return reject(new RequestFailure(this.failed, true));
      if (this.stopping) return reject(new RequestFailure(new TargetError('target-unavailable', `${this.label} is stopping`), true));
      const seq = this.nextSeq++;
      const message = { seq, ...body };
      if (!unchecked) {
        const checked = validateMessage(`${body.cmd}-request` as ProtocolSchemaName, message, true);
        if (!checked.ok) {
          const error = new TargetError('target-input', `xvc built an invalid ${body.cmd} request: ${checked.problems.join('; ')}`);
          return reject(new RequestFailure(error, false));
        }
      }
      const timer = setTimeout(() => this.onTimeout(seq), timeoutMs);
      this.outstanding.set(seq, { seq, cmd: body.cmd, resolve, reject, timer });
      this.child.stdin.write(`${JSON.stringify(message)}\n`);
    });
  }

  /** Asks the adapter to stop, then makes sure it has exited (SIGTERM, then SIGKILL). Idempotent. */
  async stop(graceMs = 1000): Promise<void> {
    if (this.usable) {
      const stopped = this.send({ cmd: 'stop' }, graceMs).catch(() => undefined);
      this.stopping = true;
      await stopped;
    }
    this.stopping = true;
    this.failAll(new TargetError('target-unavailable', `${this.label} was stopped`), true);
    this.child.stdin.end();
    await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    await reap(this.child, graceMs);
  }

  private onStdout(chunk: Buffer): void {
    if (this.failed) return;
    const { lines, overflow } = this.splitter.push(chunk);
    for (const line of lines) {
      if (this.failed) return;
      this.onLine(line);
    }
    if (overflow && !this.failed) {
      this.fail(
        new TargetError('target-protocol', `${this.label} wrote a stdout line longer than ${this.settings.maxLineBytes} bytes: output cut off and adapter killed`, {
          stderr: this.stderrText(),
        }),
      );
    }
  }

  private protocolFailure(message: string): void {
    this.fail(new TargetError('target-protocol', `${this.label} ${message}`, { stderr: this.stderrText() }));
  }

  private onLine(line: string): void {
    if (line.trim() === '') return;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      return this.protocolFailure(`wrote a line that is not JSON: ${preview(line)} (stdout is for protocol messages only; log to stderr)`);
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      return this.protocolFailure(`wrote a message that is not a JSON object: ${preview(line)}`);
    }
    const seq = (message as { seq?: unknown }).seq;
    if (seq === null && 'error' in message) {
      const reported = (message as { error?: { message?: unknown } }).error?.message;
      return this.protocolFailure(`answered with an error for a request it could not read (seq null): ${preview(String(reported))}`);
    }
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq)) {
      return this.protocolFailure(`wrote a message without an integer seq: ${preview(line)}`);
    }
    const request = this.outstanding.get(seq);
    if (!request) {
      const waiting = [...this.outstanding.keys()];
      const expected = waiting.length === 0 ? 'no request was outstanding' : `outstanding: ${waiting.slice(0, 10).join(', ')}`;
      return this.protocolFailure(`answered seq ${seq}, which matches no outstanding request (${expected}): ${preview(line)}`);
    }
    this.outstanding.delete(seq);
    clearTimeout(request.timer);
    const schema: ProtocolSchemaName = 'error' in message ? 'error-response' : 'skip' in message ? 'skip-response' : (`${request.cmd}-response` as ProtocolSchemaName);
    const checked = validateMessage(schema, message, this.settings.strictProtocol);
    if (!checked.ok) {
      const error = new TargetError('target-protocol', `${this.label} sent an invalid answer to ${request.cmd} (seq ${seq}): ${checked.problems.join('; ')}`, {
        stderr: this.stderrText(),
      });
      return request.reject(new RequestFailure(error, false));
    }
    if (checked.ignoredFields.length > 0 && this.notes.length < 100) {
      this.notes.push({ kind: 'ignored-fields', cmd: request.cmd, seq, fields: checked.ignoredFields });
    }
    const valid = checked.value as { result?: unknown; skip?: { reason: string }; error?: { code: AdapterErrorCode; message: string } };
    if (valid.error) request.resolve({ kind: 'error', code: valid.error.code, message: valid.error.message });
    else if (valid.skip) request.resolve({ kind: 'skip', reason: valid.skip.reason });
    else request.resolve({ kind: 'result', result: valid.result as never });
  }

  private onTimeout(seq: number): void {
    const request = this.outstanding.get(seq);
    if (!request || this.failed) return;
    const error = new TargetError('target-timeout', `${this.label} did not answer ${request.cmd} (seq ${seq}) within ${this.timeoutOf(request.cmd)} ms; adapter killed`, {
      stderr: this.stderrText(),
    });
    this.outstanding.delete(seq);
    request.reject(new RequestFailure(error, false));
    this.fail(
      new TargetError('target-timeout', `${this.label} was killed because ${request.cmd} (seq ${seq}) timed out`, { stderr: this.stderrText() }),
    );
  }

  private timeoutOf(cmd: Command): number {
    return cmd === 'start' ? this.settings.startTimeoutMs : this.settings.requestTimeoutMs;
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.failed) return;
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    if (this.stopping) {
      this.failed = new TargetError('target-unavailable', `${this.label} stopped`);
      return;
    }
    this.fail(new TargetError('target-crashed', `${this.label} ${how}`, { stderr: this.stderrText() }));
  }

  /** Marks the connection dead, kills the process and fails every outstanding request. */
  private fail(error: TargetError): void {
    if (this.failed) return;
    this.failed = error;
    this.failAll(error, true);
    if (this.child.exitCode === null && this.child.signalCode === null) {
      try {
        this.child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  private failAll(error: TargetError, retryable: boolean): void {
    for (const request of this.outstanding.values()) {
      clearTimeout(request.timer);
      const detail = new TargetError(error.code, `${error.message} before answering ${request.cmd} (seq ${request.seq})`, error.details);
      request.reject(new RequestFailure(detail, retryable));
    }
    this.outstanding.clear();
  }
}
