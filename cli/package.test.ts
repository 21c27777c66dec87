/**
 * xvc as a user gets it: `npm pack` (which builds dist/ through `prepare`), then
 * `npm install --offline` of the tarball into an empty project, then the installed `xvc` command and
 * the package's public entries from the user's own JavaScript and TypeScript. Offline: everything the
 * install needs is what `npm ci` already put in the npm cache.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packPackage, writeInstallProject, type PackedPackage } from '../test-support/packed-package.ts';

const repoRoot = resolve(import.meta.dirname, '..');
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string>; exports: Record<string, unknown> };
const work = mkdtempSync(join(tmpdir(), 'xvc-package-test-'));
const project = join(work, 'project');
const installed = join(project, 'node_modules', 'xvc');
let packed: PackedPackage;

beforeAll(() => {
  packed = packPackage(work);
  writeInstallProject(project);
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', packed.tarball], { cwd: project, encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'pipe', 'pipe'] });
}, 600_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function installedXvc(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(join(project, 'node_modules', '.bin', 'xvc'), args, { cwd: work, encoding: 'utf8', timeout: 300_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the npm package', () => {
  it('holds compiled code, spec, generated artefacts, examples and docs, and no tests or TypeScript sources', () => {
    const paths = packed.files.map((file) => file.path);
    for (const needed of ['bin/xvc.js', 'dist/cli/main.js', 'dist/build-stamp', 'dist/targets/index.d.ts', 'spec/versions.yaml', 'spec/expectations/builtin-models.yaml', 'spec/schema/results.schema.json', 'generated/c/xvc/xvc.h', 'docs/adapter-protocol.md', 'examples/adapters/python-frontend/adapter.py', 'examples/adapters/c-linux-2026/adapter.c', 'README.md']) {
      expect(paths, needed).toContain(needed);
    }
    expect(paths.filter((path) => path.startsWith('dist/schema-validators/') && path.endsWith('.cjs')).length, 'validators compiled ahead of time').toBeGreaterThan(0);
    expect(paths.filter((path) => /\.test\.|\.suite\.ts$/.test(path))).toEqual([]);
    expect(paths.filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'))).toEqual([]);
    expect(paths.filter((path) => /^(fixtures|test-support|bench|suites|generators|node_modules)\//.test(path))).toEqual([]);
  });

  it('installs only its run-time dependencies', () => {
    const installedManifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(installedManifest.dependencies).sort()).toEqual(Object.keys(manifest.dependencies).sort());
    for (const devOnly of ['tsx', 'vitest', 'typescript', 'playwright-core']) expect(existsSync(join(project, 'node_modules', devOnly)), devOnly).toBe(false);
  });

  it('runs `xvc --version` and `xvc --help` from the installed command', () => {
    expect(installedXvc(['--version'])).toEqual({ status: 0, stdout: `${manifest.version}\n`, stderr: '' });
    const help = installedXvc(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('usage: xvc <command>');
  });

  it('runs the default `xvc run` to a verdict, every case judged, and writes every report', () => {
    // Whether the default run is conformant is cli/commands/run.test.ts's question; here a file the
    // package lacks would show as a harness error (exit 3) or as cases that could not run.
    const out = join(work, 'report');
    const result = installedXvc(['run', '--out', out]);
    expect(result.stderr).not.toContain('internal error');
    expect([0, 1], result.stderr).toContain(result.status);
    for (const file of ['results.json', 'summary.md', 'junit.xml', 'report.html', 'earl.jsonld']) expect(existsSync(join(out, file)), file).toBe(true);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { records: Array<{ outcome: string; message: string }>; runErrors: string[] };
    expect(results.records.length).toBeGreaterThan(100);
    expect(results.runErrors).toEqual([]);
    expect(results.records.filter((record) => record.outcome === 'error').map((record) => record.message)).toEqual([]);
  });

  it('decodes a dump with the installed command', () => {
    const result = installedXvc(['decode', join(repoRoot, 'fixtures', 'dumps', 'qemu-7.2', 'net-modern.cfg256.lspci')]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/virtio/i);
  });

  it('lets a user open a target through the public entries from JavaScript', () => {
    const script = join(project, 'open-target.mjs');
    writeFileSync(
      script,
      [
        "import { openDeviceTarget, parseTargetSpec } from 'xvc/targets';",
        "import { PROTOCOL_VERSION } from 'xvc/adapter-protocol';",
        "import { outcomes } from 'xvc/results';",
        "const target = await openDeviceTarget(parseTargetSpec('reference'));",
        'const [fn] = await target.functions();',
        'const bytes = await fn.snapshot();',
        'await target.close();',
        'console.log(JSON.stringify({ vendor: bytes[0] | (bytes[1] << 8), protocol: PROTOCOL_VERSION, outcomes: outcomes.length }));',
      ].join('\n'),
    );
    const result = spawnSync(process.execPath, [script], { cwd: project, encoding: 'utf8', timeout: 120_000 });
    expect(result.status, result.stderr).toBe(0);
    // 0x1af4: the virtio vendor ID the reference device presents.
    expect(JSON.parse(result.stdout)).toEqual({ vendor: 0x1af4, protocol: 'xvc-adapter/1', outcomes: 8 });
  });

  it('type-checks a user module against the declarations of every export', () => {
    const consumer = join(project, 'consumer');
    mkdirSync(consumer, { recursive: true });
    const subpaths = Object.keys(manifest.exports).filter((subpath) => subpath !== './package.json');
    writeFileSync(
      join(consumer, 'use-xvc.ts'),
      [
        ...subpaths.map((subpath, index) => `import * as entry${index} from 'xvc${subpath.slice(1)}';`),
        "import type { DeviceTarget, FrontendTarget, PciFunction } from 'xvc/targets';",
        "import type { RequestBody, Scenario, Decision } from 'xvc/adapter-protocol';",
        "import type { ConformanceCase, CaseResult } from 'xvc/conformance';",
        "import type { RunResults, ResultRecord, Outcome } from 'xvc/results';",
        "import { judge } from 'xvc/results/verdict';",
        "import { readResults } from 'xvc/results/read';",
        'export async function firstFunction(target: DeviceTarget): Promise<PciFunction | undefined> { return (await target.functions())[0]; }',
        'export type Used = [FrontendTarget, RequestBody, Scenario, Decision, ConformanceCase, CaseResult, ResultRecord, Outcome];',
        'export function exitCodeOf(results: RunResults): number { return judge(results).exitCode; }',
        'export const reader: typeof readResults = readResults;',
        `export const entries = [${subpaths.map((_, index) => `entry${index}`).join(', ')}];`,
        // A name no entry exports: the check must be able to fail.
        "// @ts-expect-error -- not a public export",
        "import { executeRun } from 'xvc/targets';",
        'export const absent = executeRun;',
      ].join('\n'),
    );
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, types: ['node'], typeRoots: [join(repoRoot, 'node_modules', '@types')] }, include: ['use-xvc.ts'] }),
    );
    const result = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', consumer], { cwd: consumer, encoding: 'utf8', timeout: 300_000 });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
