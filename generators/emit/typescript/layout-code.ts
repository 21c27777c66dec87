/**
 * Emits the TypeScript for one layout: its type, metadata, decoder, checker, encoder and codec object,
 * each written by its own module. The emitted code is straight-line per field; what is the same for
 * every layout (truncation, width checks, issue records) lives in core/codec-runtime.ts.
 */
import type { RuleContext } from '../../constraints/registry.ts';
import type { LayoutModel, UnionModel } from '../../model/spec-model.ts';
import { emitChecker } from './layout-checker.ts';
import { emitDecoder } from './layout-decoder.ts';
import { emitEncoder } from './layout-encoder.ts';
import { emitLayoutMeta } from './layout-meta.ts';
import { emitLayoutType } from './layout-type.ts';
import { docComment, layoutNames } from './names.ts';

/** Emits everything for one fixed or variable layout. */
export function emitLayout(layout: LayoutModel, context: RuleContext): string {
  const names = layoutNames(layout.name);
  return [
    ...emitLayoutType(layout),
    ...emitLayoutMeta(layout, context),
    ...emitDecoder(layout),
    ...emitChecker(layout, context),
    ...emitEncoder(layout),
    docComment(`The codec of {@link ${names.type}} behind the uniform {@link LayoutCodec} interface.`),
    `export const ${names.codec}: LayoutCodec<${names.type}> = { meta: ${names.meta}, decode: ${names.decode}, encode: ${names.encode}, check: ${names.check} };`,
    '',
  ].join('\n');
}

/** The layouts a layout or union refers to (for imports). */
export function referencedLayouts(layout: LayoutModel | UnionModel): string[] {
  if (layout.kind === 'union') return [...new Set([...layout.cases.map((entry) => entry.layoutName), layout.defaultLayout])];
  const names = new Set<string>();
  for (const field of layout.fields) {
    if (field.layoutName !== undefined) names.add(field.layoutName);
    if (field.array?.layoutName !== undefined) names.add(field.array.layoutName);
  }
  return [...names];
}
