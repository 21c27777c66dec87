/**
 * Compiles bench/baselines/virtio-pci-config.ksy to JavaScript with the npm build of the Kaitai Struct
 * compiler (no Java needed) and writes it to bench/baselines/kaitai/ as `.cjs` (the output is a UMD module
 * and this package is ESM). Run: npx tsx bench/baselines/compile-kaitai.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse } from 'yaml';

const here = import.meta.dirname;
const require = createRequire(import.meta.url);

/** The part of the compiler's programmatic API this script uses. */
interface KaitaiCompiler {
  version: string;
  compile(language: string, ksy: unknown, importer: unknown, debug: boolean): Promise<Record<string, string>>;
}

const compiler = require('kaitai-struct-compiler') as KaitaiCompiler;
const ksy: unknown = parse(readFileSync(join(here, 'virtio-pci-config.ksy'), 'utf8'));
const files = await compiler.compile('javascript', ksy, null, false);
for (const [name, content] of Object.entries(files)) {
  const target = name.replace(/\.js$/, '.cjs');
  writeFileSync(join(here, 'kaitai', target), content);
  process.stdout.write(`wrote bench/baselines/kaitai/${target} (kaitai-struct-compiler ${compiler.version})\n`);
}
