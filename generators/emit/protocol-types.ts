/**
 * Emits generated/ts/schema/protocol.ts: the messages of the xvc adapter protocol as TypeScript types,
 * from the JSON Schemas under spec/schema/protocol/. The protocol's files `$ref` one another and the
 * data schemas (scenario, decision, map request and result); compiled one by one, each would carry
 * its own copy of every shared type. So they are joined into one in-memory schema: protocol files
 * become definitions of it, and a reference to a data schema becomes the type generated/ts/schema/
 * already emits for it, imported rather than declared again.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from 'json-schema-to-typescript';
import type { GeneratedFile } from '../model/spec-model.ts';

/** Path of the emitted module, relative to the repository root. */
export const protocolTypesPath = 'generated/ts/schema/protocol.ts';

/** The union of every request, whose order is the order commands are listed in. */
const requestUnion = 'request';
/** The union of every response. */
const responseUnion = 'response';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readSchema(file: string): JsonObject {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Json;
  if (!isObject(parsed)) throw new Error(`${file}: a schema must be a JSON object`);
  return parsed;
}

/** Base name of a schema file: `start-request.schema.json` → `start-request`. */
function baseName(file: string): string {
  return file.slice(0, -'.schema.json'.length);
}

/** What {@link joinProtocolSchemas} builds: one self-contained schema and the data types it uses. */
export interface JoinedProtocol {
  /** Every protocol file as a definition; references point inside it. */
  schema: JsonObject;
  /** Data-schema types the joined schema names (title → base name under spec/schema/). */
  imports: Map<string, string>;
}

/**
 * Joins the files of `protocolDir` into one schema: `x.schema.json#/p` becomes `#/$defs/x/p` (and `#/p`
 * inside x too), and
 * `../y.schema.json` (a data schema) becomes a `tsType` naming y's title, recorded in `imports`.
 */
export function joinProtocolSchemas(protocolDir: string): JoinedProtocol {
  const imports = new Map<string, string>();
  const rewrite = (node: Json, from: string): Json => {
    if (Array.isArray(node)) return node.map((item) => rewrite(item, from));
    if (!isObject(node)) return node;
    const ref = node.$ref;
    if (typeof ref === 'string' && ref.startsWith('../')) {
      const file = ref.slice('../'.length);
      if (file.includes('#') || file.includes('/')) throw new Error(`unsupported reference '${ref}': a protocol schema may name a whole data schema only`);
      const title = readSchema(join(protocolDir, '..', file)).title;
      if (typeof title !== 'string') throw new Error(`${file} has no title to name its type`);
      imports.set(title, baseName(file));
      const { $ref: _ref, ...rest } = node;
      return { ...(rewrite(rest, from) as JsonObject), tsType: title };
    }
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        // A reference inside the same file is relative to that file, now a definition too.
        const [file = '', pointer = ''] = value.split('#');
        out.$ref = `#/$defs/${file === '' ? from : baseName(file)}${pointer}`;
      } else {
        out[key] = rewrite(value, from);
      }
    }
    return out;
  };
  const defs: JsonObject = {};
  for (const file of readdirSync(protocolDir).filter((name) => name.endsWith('.schema.json')).sort()) {
    const { $schema: _schema, $id: _id, ...schema } = readSchema(join(protocolDir, file));
    defs[baseName(file)] = rewrite(schema, baseName(file));
  }
  if (!isObject(defs[requestUnion]) || !isObject(defs[responseUnion])) {
    throw new Error(`${protocolDir} needs ${requestUnion}.schema.json and ${responseUnion}.schema.json, the unions of every message`);
  }
  const schema: JsonObject = {
    title: 'AdapterMessage',
    description: 'Any line of the xvc adapter protocol: a request xvc writes, or a response an adapter writes.',
    anyOf: [{ $ref: `#/$defs/${requestUnion}` }, { $ref: `#/$defs/${responseUnion}` }],
    $defs: defs,
  };
  return { schema, imports };
}

/** The commands of the protocol, in the order the request union lists their requests. */
export function protocolCommands(joined: JoinedProtocol): string[] {
  const defs = joined.schema.$defs as JsonObject;
  const members = (defs[requestUnion] as JsonObject).anyOf;
  if (!Array.isArray(members)) throw new Error(`${requestUnion}.schema.json must be an anyOf of the requests`);
  return members.map((member) => {
    const ref = isObject(member) ? member.$ref : undefined;
    const request = typeof ref === 'string' ? defs[ref.slice('#/$defs/'.length)] : undefined;
    const cmd = isObject(request) && isObject(request.properties) && isObject(request.properties.cmd) ? request.properties.cmd.const : undefined;
    if (typeof cmd !== 'string') throw new Error(`${String(ref)}: a request needs a cmd const`);
    if (!isObject(defs[`${cmd}-response`])) throw new Error(`command '${cmd}' has no ${cmd}-response.schema.json`);
    return cmd;
  });
}

/** Title of the type emitted for definition `name` (every message file has one). */
function titleOf(joined: JoinedProtocol, name: string): string {
  const title = ((joined.schema.$defs as JsonObject)[name] as JsonObject).title;
  if (typeof title !== 'string') throw new Error(`${name}.schema.json has no title`);
  return title;
}

/** Produces the TypeScript source of generated/ts/schema/protocol.ts from `<specDir>/schema/protocol`. */
export async function emitProtocolTypes(specDir: string): Promise<GeneratedFile> {
  const joined = joinProtocolSchemas(join(specDir, 'schema', 'protocol'));
  const commands = protocolCommands(joined);
  const banner =
    '// Generated by xvc (npm run generate) from spec/schema/protocol/*.schema.json. ' +
    'Do not edit: change the schemas and regenerate.';
  const body = await compile(joined.schema, 'AdapterMessage', {
    bannerComment: '',
    additionalProperties: false,
    declareExternallyReferenced: true,
    strictIndexSignatures: false,
    unknownAny: true,
    unreachableDefinitions: false,
    ignoreMinAndMaxItems: true,
    format: true,
    style: { singleQuote: true, printWidth: 120 },
  });
  const imports = [...joined.imports].sort(([a], [b]) => a.localeCompare(b)).map(([title, base]) => `import type { ${title} } from './${base}.ts';`);
  const resultOf = commands.map((cmd) => `  '${cmd}': ${titleOf(joined, `${cmd}-response`)}['result'];`);
  const extras = `
/** Every command, in the order spec/schema/protocol/request.schema.json lists its request. */
export const adapterCommands = [${commands.map((cmd) => `'${cmd}'`).join(', ')}] as const;

/** The \`result\` an adapter answers each command with (its \`<cmd>-response\` schema). */
export interface AdapterResultOf {
${resultOf.join('\n')}
}
`;
  return { path: protocolTypesPath, content: `${banner}\n\n${imports.join('\n')}\n\n${body.trim()}\n${extras}` };
}
