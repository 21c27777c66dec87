/** Names of what a generated layout module exports, and the doc comments on them. */
import { camelCase, pascalCase } from '../../model/names.ts';

/** Export names of one layout or union. */
export interface LayoutNames {
  type: string;
  decode: string;
  encode: string;
  check: string;
  /** The `LayoutMeta` constant. */
  meta: string;
  codec: string;
  size: string;
  offsets: string;
}

/** Names used for one layout's exports. */
export function layoutNames(name: string): LayoutNames {
  const pascal = pascalCase(name);
  const upper = name.toUpperCase();
  return {
    type: pascal,
    decode: `decode${pascal}`,
    encode: `encode${pascal}`,
    check: `check${pascal}`,
    meta: `${camelCase(name)}Layout`,
    codec: `${camelCase(name)}Codec`,
    size: `${upper}_SIZE`,
    offsets: `${upper}_OFFSETS`,
  };
}

/** Escapes text for a one-line `/** ... *\/` comment. */
export function docComment(text: string, indent = ''): string {
  return `${indent}/** ${text.replace(/\*\//g, '*\\/').replace(/\s+/g, ' ').trim()} */`;
}
