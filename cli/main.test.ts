/**
 * The `xvc` command line as a user meets it: the real bin/xvc.js in a child process, for the
 * overview, the version and the help of every command.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { batchAddress, formatLspciHex } from '../test-support/pciutils/lspci-text-writer.ts';
import { commandOptions, commandSummaries } from '../generated/ts/commands.ts';
import { XvcError } from '../core/xvc-error.ts';
import { TargetError } from '../targets/device-target.ts';
import { commandTable, reportThrown, type CommandModule } from './main.ts';

const repoRoot = resolve(import.meta.dirname, '..');
const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

function xvc(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(repoRoot, 'bin', 'xvc.js'), ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const commandNames = Object.keys(commandTable);
const scratch = mkdtempSync(join(tmpdir(), 'xvc-main-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** What {@link reportThrown} prints and returns for `error` thrown by command `name`. */
function reported(name: string, error: unknown): { code: number; stderr: string } {
  let stderr = '';
  const code = reportThrown(name, error, { stdout: () => undefined, stderr: (text) => (stderr += text) });
  return { code, stderr };
}

describe('an error a command throws', () => {
  it('is printed with its catalogue code and ends with its category\'s exit code', () => {
    expect(reported('run', new TargetError('targetCrashed', 'qemu died'))).toEqual({ code: 3, stderr: 'xvc run: XVC4001 qemu died\n' });
    expect(reported('report', new XvcError('resultsSyntax', 'r.json:1:2: not JSON', {}))).toEqual({ code: 2, stderr: 'xvc report: XVC5002 r.json:1:2: not JSON\n' });
    expect(reported('run', new XvcError('outDirLocked', 'out is in use', {}))).toEqual({ code: 2, stderr: 'xvc run: XVC3013 out is in use\n' });
  });

  it('is followed by the command\'s help when it is a usage error', () => {
    const { code, stderr } = reported('decode', new XvcError('badUsage', 'expected exactly one PATH', {}));
    expect(code).toBe(2);
    expect(stderr.startsWith('xvc decode: XVC2001 expected exactly one PATH\nusage: xvc decode')).toBe(true);
  });

  it('keeps control characters of a message off the terminal', () => {
    expect(reported('decode', new XvcError('inputMissing', 'evil\u001b]0;owned\u0007.txt: no such file', {})).stderr).toBe('xvc decode: XVC3001 evil?]0;owned?.txt: no such file\n');
  });

  it('is an internal error (XVC9001, exit 3) when it is not in the catalogue', () => {
    const { code, stderr } = reported('mechanisms', new TypeError('undefined is not a function'));
    expect(code).toBe(3);
    expect(stderr).toMatch(/^xvc mechanisms: XVC9001 internal error: TypeError: undefined is not a function\n/);
  });
});

describe('what reaches the terminal from hostile command-line values and input files', () => {
  // OSC (set the window title) and C1 CSI: what a crafted CI input or argument would carry.
  const osc = '\u001b]0;owned\u0007';
  const csi = '\u009b2J';
  const hostile = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

  it('keeps control characters off stderr and stdout, whichever command refuses the value', () => {
    const expectations = join(scratch, 'hostile-expectations.yaml');
    // A plain value cut by ' #word' is refused with an excerpt of the line (XVC1022): the excerpt carries the ESC.
    writeFileSync(expectations, `expectations:\n  - { target: reference, requirement: PCI-DEV-02, reason: r }\nx: a #${osc}\n`);
    const cases: string[][] = [
      ['mechanisms', '--seed', osc],
      ['mechanisms', '--runs', csi],
      ['compare', `--${osc}`],
      ['requirements', `--${csi}`],
      ['run', '--suite', 'frontend', '--target', 'model:linux-2026', '--expectations', expectations, '--out', join(scratch, 'hostile-out')],
    ];
    for (const args of cases) {
      const result = xvc(args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr.length, args.join(' ')).toBeGreaterThan(0);
      expect(hostile.test(result.stderr), `${args.join(' ')}: ${JSON.stringify(result.stderr.slice(0, 300))}`).toBe(false);
      expect(hostile.test(result.stdout), args.join(' ')).toBe(false);
    }
  });
});

describe('xvc', () => {
  it('prints the version for --version, -V and version', () => {
    for (const flag of ['--version', '-V', 'version']) {
      const result = xvc([flag]);
      expect(result.status, flag).toBe(0);
      expect(result.stdout, flag).toBe(`${version}\n`);
    }
  });

  it('lists every command with its summary for --help, -h and help, and exits 0', () => {
    for (const flag of ['--help', '-h', 'help']) {
      const result = xvc([flag]);
      expect(result.status, flag).toBe(0);
      for (const name of commandNames) expect(result.stdout, `${flag} lists ${name}`).toMatch(new RegExp(`^  ${name} +${commandTable[name]!.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
      expect(result.stdout).toMatch(/^ {2}version +/m);
    }
  });

  it('exits 2 with the overview on stderr when no command is given', () => {
    const result = xvc([]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('usage: xvc <command>');
  });

  it('exits 2 on an unknown command, naming the nearest one', () => {
    const result = xvc(['decod']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("xvc: XVC2002 unknown command 'decod' (did you mean 'decode'?)");
    const help = xvc(['help', 'nope']);
    expect(help.status).toBe(2);
    expect(help.stderr).toContain("unknown command 'nope'");
  });

  it.each(commandNames)('shows the usage of %s for `xvc help NAME`, `NAME --help` and `NAME -h`, exit 0', (name) => {
    const outputs = [xvc(['help', name]), xvc([name, '--help']), xvc([name, '-h'])];
    for (const result of outputs) {
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^usage: xvc ${name}\\b`));
    }
    expect(outputs[1]!.stdout).toBe(outputs[0]!.stdout);
  });

  it('takes --help among other options as a request for help, not as an error', () => {
    const result = xvc(['run', '--target', 'reference', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^usage: xvc run/);
  });

  it('leaves --help after an exec: target to the adapter command line', () => {
    // `--help` belongs to the adapter here; xvc must try to start it rather than print its own help.
    const result = xvc(['smoke', 'exec:/nonexistent/xvc-adapter', '--help']);
    expect(result.stdout).not.toMatch(/^usage: xvc smoke/);
    expect(result.status).not.toBe(0);
  });
});

describe('xvc writing to a reader that goes away', () => {
  it('finishes with its own exit code and no EPIPE stack trace (`xvc decode big.lspci | head -1`)', async () => {
    // Far more output than a pipe buffer holds, so writes go on after the reader has closed.
    const file = join(scratch, 'many.lspci');
    const bytes = new Uint8Array(256).map((_, index) => (index * 7) & 0xff);
    writeFileSync(file, formatLspciHex(Array.from({ length: 3000 }, (_, index) => ({ address: batchAddress(index), bytes }))));
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'xvc.js'), 'decode', file], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const status = await new Promise<number | null>((done) => child.once('close', (code) => done(code)));
    expect(stderr).not.toMatch(/EPIPE|Unhandled 'error' event/);
    // The same exit code as with a reader that stays: decode's own verdict on these devices.
    const whole = spawnSync(process.execPath, [join(repoRoot, 'bin', 'xvc.js'), 'decode', file], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 30 });
    expect(status).toBe(whole.status);
  }, 120_000);
});

describe('commandTable', () => {
  it('loads a module with run() for every command of spec/commands.yaml, with its summary', async () => {
    expect(Object.keys(commandTable)).toEqual(Object.keys(commandOptions));
    for (const [name, entry] of Object.entries(commandTable)) {
      const module: CommandModule = await entry.load();
      expect(typeof module.run, name).toBe('function');
      expect(entry.summary, name).toBe(commandSummaries[name as keyof typeof commandSummaries]);
    }
  });
});
