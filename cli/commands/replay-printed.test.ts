/**
 * The replay commands every report prints work when pasted: one real `xvc run` (a built-in model, the
 * C example adapter and xvc's mechanism matrix), then the commands printed on the console, in
 * summary.md, report.html, earl.jsonld, results.json, by `xvc mechanisms --from` and by a re-rendered
 * report are run as printed, by a POSIX shell in the directory the run was started from, with `xvc`
 * on PATH as an installed package has it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultRecord, RunResults } from '../../results/result-model.ts';
import { recordDigest } from '../../results/short-record-id.ts';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'xvc-replay-printed-'));
const binDir = join(work, 'bin');
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs `command` as a user pastes it: a shell in the run's directory, xvc on PATH. */
function paste(command: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('/bin/sh', ['-c', command], { cwd: work, encoding: 'utf8', timeout: 120_000, env: { PATH: `${binDir}:${process.env.PATH ?? ''}` } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function xvc(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(repoRoot, 'bin', 'xvc.js'), ...args], { cwd: work, encoding: 'utf8', timeout: 300_000, maxBuffer: 64 << 20 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const counterexampleOf = (record: ResultRecord) => record.evidence.find((evidence) => evidence.kind === 'counterexample');

let results: RunResults;
let consoleOutput: string;
let adapterTarget: string;

beforeAll(() => {
  mkdirSync(binDir);
  // `xvc` as `npm install -g` puts it on PATH.
  writeFileSync(join(binDir, 'xvc'), `#!/bin/sh\nexec '${process.execPath}' '${join(repoRoot, 'bin', 'xvc.js')}' "$@"\n`);
  chmodSync(join(binDir, 'xvc'), 0o755);
  const sources = join(repoRoot, 'examples', 'adapters', 'c-linux-2026');
  execFileSync('gcc', ['-O2', '-I', join(repoRoot, 'generated', 'c'), '-o', join(work, 'adapter'), join(sources, 'adapter.c'), join(sources, 'json.c')]);
  adapterTarget = 'exec:./adapter --as linux';
  const run = xvc(['run', '--target', 'model:linux-6.5', '--target', adapterTarget, '--suite', 'frontend', '--suite', 'mechanisms', '--runs', '40', '--out', 'out']);
  // The adapter's known defects are no built-in expectation: unexpected failures, exit 1.
  expect(run.status, run.stderr).toBe(1);
  consoleOutput = run.stdout;
  results = JSON.parse(readFileSync(join(work, 'out', 'results.json'), 'utf8')) as RunResults;
}, 600_000);

describe('replay commands printed by a run', () => {
  it('are in results.json for every counterexample, naming the output directory and a 10-digit short id', () => {
    const records = results.records.filter((record) => counterexampleOf(record) !== undefined);
    expect(records.length).toBeGreaterThan(5);
    for (const record of records) {
      const replay = counterexampleOf(record)!.kind === 'counterexample' ? (counterexampleOf(record) as { replay: string }).replay : '';
      const target = record.target === adapterTarget ? ` --target 'exec:./adapter --as linux'` : '';
      expect(replay).toBe(`xvc replay --from out --record ${recordDigest(record.id).slice(0, 10)}${target}`);
    }
  });

  it('re-run each kind of counterexample when pasted: a frontend property, a cell of a target matrix, of xvc matrix, an adapter record', () => {
    const kinds: [string, (record: ResultRecord) => boolean][] = [
      ['frontend property of a model', (record) => record.target === 'model:linux-6.5' && record.mechanism === undefined],
      ["cell of the model's own matrix", (record) => record.target === 'model:linux-6.5' && record.mechanism !== undefined],
      ["cell of xvc's matrix", (record) => record.target.startsWith('mechanism:')],
      ['record of the adapter', (record) => record.target === adapterTarget],
    ];
    for (const [kind, select] of kinds) {
      const record = results.records.find((candidate) => select(candidate) && counterexampleOf(candidate) !== undefined);
      expect(record, kind).toBeDefined();
      const command = (counterexampleOf(record!) as { replay: string }).replay;
      const pasted = paste(command);
      expect(pasted.stderr, `${kind}: ${command}`).toBe('');
      expect(pasted.status, `${kind}: ${command}\n${pasted.stdout}`).toBe(1);
      expect(pasted.stdout).toContain('VIOLATION');
    }
  });

  it('are on the console, in summary.md, report.html and earl.jsonld, and work as printed there', () => {
    const consoleCommands = [...consoleOutput.matchAll(/^ {4}replay: (.+)$/gm)].map((match) => match[1]!);
    expect(consoleCommands.length).toBeGreaterThan(0);
    const summary = readFileSync(join(work, 'out', 'summary.md'), 'utf8');
    const summaryCommands = [...summary.matchAll(/```sh\n(xvc replay .+)\n```/g)].map((match) => match[1]!);
    expect(summaryCommands.length).toBeGreaterThan(0);
    const html = readFileSync(join(work, 'out', 'report.html'), 'utf8');
    const page = JSON.parse(/<script type="application\/json" id="xvc-data">([^]*?)<\/script>/.exec(html)![1]!.replace(/\\u003c/g, '<').replace(/\\u003e/g, '>').replace(/\\u0026/g, '&')) as { replays: (string | null)[] };
    const pageCommands = page.replays.filter((replay): replay is string => replay !== null);
    const earl = JSON.parse(readFileSync(join(work, 'out', 'earl.jsonld'), 'utf8')) as { '@graph': Record<string, unknown>[] };
    const earlCommands = earl['@graph'].flatMap((node) => (typeof node['xvc:replay'] === 'string' ? [node['xvc:replay']] : []));
    for (const [where, commands] of [['console', consoleCommands], ['summary.md', summaryCommands], ['report.html', pageCommands], ['earl.jsonld', earlCommands]] as const) {
      expect(commands.length, where).toBeGreaterThan(0);
      const pasted = paste(commands[0]!);
      expect(pasted.status, `${where}: ${commands[0]}\n${pasted.stderr}`).toBe(1);
      expect(pasted.stdout, where).toContain('VIOLATION');
    }
  });

  it('accept a unique prefix of the short id and the full record id', () => {
    const record = results.records.find((candidate) => candidate.target === 'model:linux-6.5' && counterexampleOf(candidate) !== undefined)!;
    for (const id of [recordDigest(record.id).slice(0, 6), record.id]) {
      const replayed = xvc(['replay', '--from', 'out', '--record', id]);
      expect(replayed.status, replayed.stderr).toBe(1);
      expect(replayed.stdout).toContain(`record ${recordDigest(record.id).slice(0, 10)}`);
    }
  });

  it('never start the program a results file names: without --target a record of the adapter is refused, saying how', () => {
    const record = results.records.find((candidate) => candidate.target === adapterTarget && counterexampleOf(candidate) !== undefined)!;
    const refused = xvc(['replay', '--from', 'out/results.json', '--record', recordDigest(record.id).slice(0, 10)]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('xvc never starts a program named in a results file');
    expect(refused.stderr).toContain(`xvc replay --from out/results.json --record ${recordDigest(record.id).slice(0, 10)} --target exec:./your-adapter`);
  });

  it('are printed with the matrices by `xvc mechanisms --from`, xvc matrix and each target matrix', () => {
    const printed = xvc(['mechanisms', '--from', 'out']);
    expect(printed.status, printed.stderr).toBe(0);
    expect(printed.stdout).toContain("xvc's mechanism matrix");
    expect(printed.stdout).toContain('model:linux-6.5: its own matrix');
    expect(printed.stdout).toContain(`${adapterTarget}: its own matrix`);
    expect(printed.stdout).toMatch(/^\* dt-iommus/m);
    const command = /^ {4}replay: (.+)$/m.exec(printed.stdout)![1]!;
    expect(paste(command).status).toBe(1);
  });

  it('name the results as the user reached them in a re-rendered report', () => {
    const rendered = xvc(['report', '--from', 'out/results.json', '--format', 'md']);
    expect(rendered.status, rendered.stderr).toBe(0);
    const command = /```sh\n(xvc replay .+)\n```/.exec(rendered.stdout)![1]!;
    expect(command).toMatch(/^xvc replay --from out\/results\.json --record [0-9a-f]{10}/);
    expect(paste(command).status).toBe(1);
  });
});
