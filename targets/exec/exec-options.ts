/** Options of an `exec:` target and their defaults. */

/** How an adapter is run and how much misbehaviour xvc tolerates. */
export interface ExecTargetOptions {
  /** The target spec as the user wrote it (for metadata); defaults to `exec:` + the argv. */
  spec?: string;
  /** Variables for the adapter's environment. Nothing else from xvc's environment is passed but PATH. */
  env?: Readonly<Record<string, string>>;
  /** Names of variables copied from xvc's own environment (explicit opt-in, e.g. `LD_LIBRARY_PATH`). */
  passEnv?: readonly string[];
  /** Working directory of the adapter; xvc's own by default. */
  cwd?: string;
  /** Reject answers carrying fields the protocol schemas do not define (`--strict-protocol`). */
  strictProtocol?: boolean;
  /** How long one request may wait for its answer once sent. */
  requestTimeoutMs?: number;
  /** How long the adapter may take to start and answer `start`. */
  startTimeoutMs?: number;
  /** Longest stdout line accepted; a longer one (or endless output without newline) kills the adapter. */
  maxLineBytes?: number;
  /** Most requests sent before the first is answered; the adapter's `maxInFlight` may lower it. */
  window?: number;
  /** Restarts after crashes, timeouts or protocol violations before every further request fails at once. */
  maxRestarts?: number;
  /** How much of the adapter's most recent stderr is kept for error reports. */
  stderrTailBytes?: number;
}

/** Options with every default filled in. */
export type ExecSettings = Required<Omit<ExecTargetOptions, 'spec' | 'cwd'>> & { spec: string; cwd: string | undefined };

/** Fills in defaults for the adapter started with `argv`. */
export function execSettings(argv: readonly string[], options: ExecTargetOptions = {}): ExecSettings {
  return {
    spec: options.spec ?? `exec:${argv.join(' ')}`,
    env: options.env ?? {},
    passEnv: options.passEnv ?? [],
    cwd: options.cwd,
    strictProtocol: options.strictProtocol ?? false,
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    startTimeoutMs: options.startTimeoutMs ?? 10_000,
    maxLineBytes: options.maxLineBytes ?? 16 * 1024 * 1024,
    window: Math.max(1, Math.trunc(options.window ?? 64)),
    maxRestarts: Math.max(0, Math.trunc(options.maxRestarts ?? 16)),
    stderrTailBytes: options.stderrTailBytes ?? 8192,
  };
}

/** The adapter's environment: PATH, the variables named in passEnv, then `env`. */
export function adapterEnvironment(settings: Pick<ExecSettings, 'env' | 'passEnv'>, source: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const environment: Record<string, string> = { PATH: source.PATH ?? '/usr/local/bin:/usr/bin:/bin' };
  for (const name of settings.passEnv) {
    const value = source[name];
    if (value !== undefined) environment[name] = value;
  }
  return { ...environment, ...settings.env };
}
