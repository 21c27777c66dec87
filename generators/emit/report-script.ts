/**
 * Compiles the report page's script (reports/html-app.ts, type-checked with the rest of xvc) into the
 * plain browser JavaScript the HTML writer embeds inline: types stripped, wrapped in a function so its
 * names stay out of the page's globals. Done here, at generate time, so `xvc report` starts no
 * compiler; the result is a string constant in a generated module, which html.ts imports like any
 * other code (and which a compiled copy of xvc carries without copying files by hand).
 * `npm run generate:check` fails when it and reports/html-app.ts disagree.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transform } from 'esbuild';
import type { AsyncEmitter, GeneratedFile, SpecModel } from '../model/spec-model.ts';
import { generatedHeader } from './typescript/module.ts';

/** Where the script's source lives and where its generated module goes, relative to the repository root. */
export const reportScript = { source: 'reports/html-app.ts', output: 'generated/report/html-app.ts' } as const;

/** Compiles `source` (TypeScript) into the text of an inline classic script. */
export async function compilePageScript(source: string, sourceName: string = reportScript.source): Promise<string> {
  const result = await transform(source, {
    loader: 'ts',
    format: 'iife',
    // Every browser that can show the report runs ES2020; nothing newer is needed.
    target: 'es2020',
    // Non-ASCII text (×, —) stays as written: the page is UTF-8 and the CSP hash is taken over UTF-8.
    charset: 'utf8',
    sourcefile: sourceName,
  });
  return result.code;
}

/** `text` as a template literal: the script stays readable, one line of source per line of script. */
export function templateLiteral(text: string): string {
  return `\`${text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${')}\``;
}

/** The generated module holding `script` as the constant `reportPageScript`. */
export function pageScriptModule(script: string, sourceName: string = reportScript.source): string {
  return [
    generatedHeader(sourceName).replace('change the spec', 'change that file'),
    `/** The report page's script, compiled from ${sourceName}; the HTML writer embeds it inline and pins it with a CSP hash. */`,
    `export const reportPageScript: string = ${templateLiteral(script)};`,
    '',
  ].join('\n');
}

/** Emits generated/report/html-app.ts. */
export const reportScriptEmitter: AsyncEmitter = {
  name: 'report-script',
  async emit(spec: SpecModel): Promise<GeneratedFile[]> {
    const root = join(spec.specDir, '..');
    const source = readFileSync(join(root, reportScript.source), 'utf8');
    return [{ path: reportScript.output, content: pageScriptModule(await compilePageScript(source)) }];
  },
};
