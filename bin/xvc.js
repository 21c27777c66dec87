#!/usr/bin/env node
// Entry point of the `xvc` command. It runs the JavaScript that `npm run build` compiles into dist/
// (at `npm ci`/`npm install` in a clone and at `npm pack`, through `prepare`), so a start costs no
// TypeScript compilation.
//
// In a development checkout (a .git beside package.json) the compiled code may lag behind the
// sources: dist/ is used only when its build stamp is newer than every source file the build
// compiles; otherwise the TypeScript sources run through tsx, so an edit takes effect at once and
// stale JavaScript never runs. A terminal is told why the start is slow; a pipe (tests, CI) is not,
// since the result is the same. An installed package has no .git and runs dist/ without looking.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import module from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Node 22.1 and later keep V8's compiled code of xvc's modules between starts (tsc does the same);
// Node 20 has no such cache and starts as before.
module.enableCompileCache?.();

// A reader that goes away (`xvc decode big.lspci | head`) ends xvc's output, not xvc: later output
// is dropped, the command finishes and its exit code stands, instead of a stack trace about EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}

const root = dirname(dirname(fileURLToPath(import.meta.url)));
/** Written by `npm run build` after the compiler finished: dist/ is complete and this recent. */
const stampFile = join(root, 'dist', 'build-stamp');

/** Newest modification time of the files the build compiles (its tsconfig's folders and settings). */
function newestSourceTime() {
  const config = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8'));
  let newest = Math.max(statSync(join(root, 'tsconfig.build.json')).mtimeMs, statSync(join(root, 'tsconfig.json')).mtimeMs);
  const visit = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') visit(path);
      } else if (/\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.test.ts')) {
        newest = Math.max(newest, statSync(path).mtimeMs);
      }
    }
  };
  for (const folder of config.include) visit(join(root, folder));
  return newest;
}

/** Why dist/ cannot be used in this checkout, or undefined when it is current. */
function distProblem() {
  if (!existsSync(stampFile)) return 'dist/ is not built';
  if (newestSourceTime() > statSync(stampFile).mtimeMs) return 'dist/ is older than the sources';
  return undefined;
}

const checkout = existsSync(join(root, '.git'));
let entry;
if (!checkout) {
  if (!existsSync(stampFile)) {
    process.stderr.write(`xvc: this installation has no compiled code (${join(root, 'dist')} is missing or incomplete); reinstall the package\n`);
    process.exit(3);
  }
  entry = pathToFileURL(join(root, 'dist', 'cli', 'main.js')).href;
} else {
  const problem = distProblem();
  if (problem === undefined) {
    entry = pathToFileURL(join(root, 'dist', 'cli', 'main.js')).href;
  } else {
    let register;
    try {
      ({ register } = await import('tsx/esm/api'));
    } catch {
      process.stderr.write(`xvc: ${problem} and tsx is not installed to run the sources: run \`npm run build\` (or \`npm ci\`)\n`);
      process.exit(3);
    }
    if (process.stderr.isTTY) process.stderr.write(`xvc: ${problem}; running the TypeScript sources (slower start; \`npm run build\` to compile)\n`);
    register();
    entry = pathToFileURL(join(root, 'cli', 'main.ts')).href;
  }
}
const { main } = await import(entry);
process.exitCode = await main(process.argv.slice(2));
