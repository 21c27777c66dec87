/**
 * `npm run generate` writes generated/ from spec/; `npm run generate:check` fails when generated/
 * differs from what the spec produces (stale, missing or extra files), which CI runs.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emitters } from './emitters.ts';
import { loadSpec } from './load/spec.ts';
import { formatSpecProblem, SpecLoadError } from '../core/spec-problem.ts';
import type { GeneratedFile } from './model/spec-model.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Directories whose every file is produced by an emitter; anything else found there is stale. */
export const generatedRoots = ['generated/ts', 'generated/arbitraries', 'generated/c', 'generated/docs', 'generated/report'];
/**
 * Single files outside those roots that generate also writes: documentation wholly generated, and the
 * README, of which only the command table between its markers is. A hand edit there is drift too.
 */
export const generatedFiles = ['README.md', 'docs/commands.md', 'docs/errors.md'];

/** Runs every emitter over the loaded spec. Throws a SpecLoadError-like summary on spec problems. */
export async function generateAll(root = repoRoot): Promise<{ files: GeneratedFile[]; problems: string[] }> {
  const requirementIds = await loadRequirementIds(root);
  const { model, problems } = loadSpec(join(root, 'spec'), { repoRoot: root, ...(requirementIds && { requirementIds }) });
  if (!model) return { files: [], problems: problems.map(formatSpecProblem) };
  const files: GeneratedFile[] = [];
  try {
    for (const emitter of await emitters()) files.push(...(await emitter.emit(model)));
  } catch (error) {
    // An emitter that loads its own part of spec/ (requirements) reports located problems this way.
    if (error instanceof SpecLoadError) return { files: [], problems: error.problems.map(formatSpecProblem) };
    throw error;
  }
  return { files, problems: [] };
}

async function loadRequirementIds(root: string): Promise<Set<string> | undefined> {
  const { requirementsForGeneration } = await import('./emitters.ts');
  return requirementsForGeneration(root);
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) found.push(...listFiles(full));
    else found.push(full);
  }
  return found;
}

async function run(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  const { files, problems } = await generateAll();
  if (problems.length > 0) {
    process.stderr.write(`${problems.join('\n')}\n${problems.length} problem(s) in spec/\n`);
    return 2;
  }
  const wanted = new Map(files.map((file) => [file.path, file.content]));
  const existing = generatedRoots.flatMap((root) => listFiles(join(repoRoot, root))).map((file) => relative(repoRoot, file));
  const stale: string[] = [];
  for (const [path, content] of wanted) {
    const full = join(repoRoot, path);
    const current = existsSync(full) ? readFileSync(full, 'utf8') : undefined;
    if (current === content) continue;
    stale.push(`${current === undefined ? 'missing' : 'stale'}: ${path}`);
    if (!check) {
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
  }
  for (const path of existing) {
    if (wanted.has(path)) continue;
    stale.push(`extra: ${path}`);
    if (!check) rmSync(join(repoRoot, path));
  }
  if (check) {
    if (stale.length > 0) {
      process.stderr.write(`${stale.join('\n')}\ngenerated/ is out of date with spec/: run npm run generate\n`);
      return 1;
    }
    process.stdout.write(`generated/ is up to date (${wanted.size} files)\n`);
    return 0;
  }
  process.stdout.write(`generated ${wanted.size} files (${stale.length} changed)\n`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await run(process.argv.slice(2));
}
