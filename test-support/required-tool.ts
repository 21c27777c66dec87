/**
 * Tests that need a program of the machine (QEMU, lspci, gcc, busybox, a guest kernel...). CI
 * installs every one of them (.ci/run), so there a missing one fails the tests that need it instead
 * of skipping them: a green CI run has run them. Elsewhere they are skipped, under a title that says
 * what is missing and how to get it, so a skip in a local run is never silent.
 */

/** Whether the tests run in CI (`CI` set to anything but empty, `false` or `0`, as CI services do). */
export function runsInCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI;
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}

/** What the tests that need one tool do on this machine. */
export interface ToolGate {
  /** What is needed, as a reader would name it (`qemu-system-x86_64`, `a static busybox`). */
  readonly tool: string;
  readonly available: boolean;
  /** False only when the tests are to be skipped: the tool is missing outside CI. */
  readonly runs: boolean;
  /** `name`, followed by why the tests are skipped when they are. */
  title(name: string): string;
  /** Throws, naming the tool and how to get it, when it is missing (which in CI fails the test). */
  require(): void;
}

/**
 * The gate for `tool`: `available` says whether this machine has it, `howToGet` how to install it.
 * Declare the tests with `describe.skipIf(!gate.runs)(gate.title(name), ...)` (or `it.skipIf`) and
 * call `gate.require()` first in each test (or in `beforeAll`).
 */
export function toolGate(tool: string, available: boolean, howToGet: string, env: NodeJS.ProcessEnv = process.env): ToolGate {
  const ci = runsInCi(env);
  const runs = available || ci;
  return {
    tool,
    available,
    runs,
    title: (name) => (runs ? name : `${name} — SKIPPED: ${tool} is missing (${howToGet}; CI fails instead of skipping)`),
    require: () => {
      if (!available) throw new Error(`${tool} is missing on this machine: ${howToGet}${ci ? ' (CI must have it: .ci/run installs it)' : ''}`);
    },
  };
}
