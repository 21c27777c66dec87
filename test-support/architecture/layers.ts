/**
 * The layers of xvc, in the order data flows, and the folders outside them. This list is the
 * architecture: `architecture.test.ts` checks every import of the repository against it and keeps
 * docs/architecture.md equal to {@link renderLayerTable}.
 */

/** One top-level folder that holds code of the product. */
export interface Layer {
  /** Folder name at the repository root. */
  readonly folder: string;
  /** One line: what the folder holds. */
  readonly holds: string;
  /**
   * Whether other layers may import any module of the folder, not only its public entries (files
   * at the folder's root and `index.ts` of its sub-folders). True for generated code, which is one
   * public module per layout by construction.
   */
  readonly everyModulePublic?: boolean;
  /** Used only to build xvc (`npm run generate`): no layer below it may import it at run time. */
  readonly buildTimeOnly?: boolean;
}

/**
 * The layers, top first: a module may import its own layer and the layers above it, never below,
 * and never a build-time-only layer from below it.
 */
export const layers: readonly Layer[] = [
  { folder: 'core', holds: 'what every layer needs: codec runtime, located YAML, schema validation, diagnostics, seed, package paths' },
  { folder: 'generators', holds: 'loads and validates spec/ (every problem located) and emits generated/; run by `npm run generate`', buildTimeOnly: true },
  { folder: 'generated', holds: 'committed output of the generators: codecs, arbitraries, schema types, catalogues, C headers, docs', everyModulePublic: true },
  { folder: 'reference-impl', holds: 'the reference device, transport, grants, toolstack, mechanisms, frontends and the models of real Linux' },
  { folder: 'targets', holds: 'everything xvc can test, behind one interface: reference, model, dump, qemu, guest, exec' },
  { folder: 'conformance', holds: 'the engines: device checks, frontend invariants and properties, the mechanism matrix, the requirement catalogue' },
  { folder: 'results', holds: 'the result model: streaming, reading, merging, expectations, verdict, compare' },
  { folder: 'suites', holds: 'vitest wiring only: which engine runs on which target, each test tagged with its requirement ids' },
  { folder: 'reports', holds: 'one writer per format (json, junit, markdown, html, earl), rendered from the result model only' },
  { folder: 'cli', holds: 'the `xvc` commands and the run: the only composition root' },
];

/** The layers a module of `layer` may import: its own, and those above it that are not build-time only. */
export function mayImport(layer: Layer): string[] {
  const index = layers.indexOf(layer);
  return layers.filter((other, otherIndex) => otherIndex === index || (otherIndex < index && !other.buildTimeOnly)).map((other) => other.folder);
}

/** Folders outside the layers, with what they may import. */
export interface Outside {
  readonly folder: string;
  readonly holds: string;
  /** Layers (folder names) or other outside folders it may import. */
  readonly mayImport: readonly string[];
}

const allLayers = layers.map((layer) => layer.folder);
const runTimeLayers = layers.filter((layer) => !layer.buildTimeOnly).map((layer) => layer.folder);

/** Folders that hold code but are no layer: they sit around the product and may reach into it. */
export const outside: readonly Outside[] = [
  { folder: 'spec', holds: 'the single source of truth: layouts, requirements, mechanisms, JSON Schemas (YAML and JSON, no code)', mayImport: [] },
  { folder: 'bin', holds: 'the `xvc` executable: starts cli/', mayImport: ['cli'] },
  { folder: 'test-support', holds: 'helpers only tests use: seeds, samples, lspci comparison, this architecture', mayImport: [...allLayers, 'fixtures'] },
  { folder: 'fixtures', holds: 'captured config spaces and adapters that misbehave on purpose', mayImport: runTimeLayers.filter((folder) => folder !== 'cli') },
  { folder: 'examples', holds: 'adapters in C and Python a vendor can copy, with their tests', mayImport: [...runTimeLayers.filter((folder) => folder !== 'cli'), 'test-support'] },
  { folder: 'bench', holds: '`npm run bench`: wall times of real commands against baselines measured in the same run', mayImport: [...allLayers, 'test-support', 'fixtures'] },
];

/**
 * Layers in which every module has a sibling test (`x.ts` ↔ `x.test.ts`): every layer but the
 * generated code, which its generators' tests and the code using it cover.
 */
export const siblingTestedFolders: readonly string[] = ['core', 'generators', 'reference-impl', 'targets', 'conformance', 'results', 'suites', 'reports', 'cli'];

/**
 * Modules of those layers that need no sibling test because they declare only types: nothing in
 * them runs. The architecture test fails when one of them gains code. (A public entry that only
 * re-exports needs no test either; that is read from the module itself.)
 */
export const typeOnlyModules: readonly string[] = [
  'generators/model/spec-model.ts',
  'reference-impl/frontend/frontend.ts',
  'suites/support/test-meta.ts',
  'targets/driver-trace.ts',
  'targets/target-metadata.ts',
];

/** Files at the repository root that may hold code (configuration). */
export const rootFiles: readonly string[] = ['vitest.config.ts'];

/** The layer table of docs/architecture.md, rendered from {@link layers} and {@link outside}. */
export function renderLayerTable(): string {
  const rows = layers.map((layer, index) => {
    const above = mayImport(layer).filter((folder) => folder !== layer.folder).map((folder) => `\`${folder}/\``);
    return `| ${index + 1} | \`${layer.folder}/\` | ${layer.holds} | ${above.length === 0 ? 'nothing of xvc' : above.join(' ')} |`;
  });
  const around = outside.map((folder) => `| – | \`${folder.folder}/\` | ${folder.holds} | ${folder.mayImport.length === 0 ? 'nothing' : folder.mayImport.map((name) => `\`${name}/\``).join(' ')} |`);
  return ['| # | folder | holds | may import |', '|---|---|---|---|', ...rows, ...around].join('\n');
}
