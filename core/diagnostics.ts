/**
 * The catalogue of every error xvc reports, as the TypeScript compiler keeps its diagnostics: each has
 * a stable code (`XVCnnnn`, numbered in blocks by category), a name code refers to it by, a one-line
 * title and a category, and the category alone decides the exit code ({@link categoryExitCodes}).
 * Codes never change meaning and are never reused; a new problem gets a new code. Tests and tools
 * match on `code` (or the name), never on message text. docs/errors.md is rendered from this table.
 */

/** What kind of problem an error is; it fixes the exit code. */
export type ErrorCategory =
  /** A spec file (layouts, requirements, mechanisms) or a file in the same YAML dialect is wrong. */
  | 'spec'
  /** The command line is wrong. */
  | 'usage'
  /** A file or path given to xvc cannot be used. */
  | 'input'
  /** What is tested failed to answer as the target interface promises: a harness error. */
  | 'target'
  /** A results file given to xvc cannot be used, or a result was not the one expected. */
  | 'results'
  /** xvc itself failed: a bug, or an environment fault xvc cannot name. */
  | 'internal';

/** Every category, in the order of their code blocks. */
export const errorCategories: readonly ErrorCategory[] = ['spec', 'usage', 'input', 'target', 'results', 'internal'];

/**
 * The exit code of `xvc` when a command stops on an error of each category: the one place this
 * mapping is made. A command may still end with a verdict's exit code (0, 1, 3, 4: results/verdict.ts).
 */
export const categoryExitCodes = { spec: 2, usage: 2, input: 2, target: 3, results: 2, internal: 3 } as const satisfies Record<ErrorCategory, number>;

/** An exit code an error can cause. */
export type ErrorExitCode = (typeof categoryExitCodes)[ErrorCategory];

/** The first code of each category's block of a thousand: `XVC2xxx` are usage errors. */
export const categoryCodeBlocks = { spec: 1000, usage: 2000, input: 3000, target: 4000, results: 5000, internal: 9000 } as const satisfies Record<ErrorCategory, number>;

/** One entry of the catalogue. */
export interface DiagnosticEntry {
  /** `XVC` and four digits; the first digit is the category's block. */
  readonly code: `XVC${number}`;
  readonly category: ErrorCategory;
  /** What went wrong, in a few words. */
  readonly title: string;
  /** Codes the same problem had before the catalogue, still found in older logs and results files. */
  readonly formerly?: readonly string[];
}

/** Every error code of xvc, by name, grouped by category and in code order. */
export const diagnostics = {
  // spec: XVC1xxx. XVC1001.. are problems the spec loaders report as data (SpecProblem).
  specInvalid: { code: 'XVC1000', category: 'spec', title: 'the spec has problems (each listed under its own code)', formerly: ['XVC_SPEC_INVALID'] },
  yamlSyntax: { code: 'XVC1001', category: 'spec', title: 'YAML syntax error' },
  schemaViolation: { code: 'XVC1002', category: 'spec', title: 'does not match the JSON Schema for this kind of spec file' },
  duplicateName: { code: 'XVC1003', category: 'spec', title: 'duplicate name' },
  unknownReference: { code: 'XVC1004', category: 'spec', title: 'unknown referenced name' },
  overlappingFields: { code: 'XVC1005', category: 'spec', title: 'fields overlap' },
  fieldPastSize: { code: 'XVC1006', category: 'spec', title: 'field extends past the layout size' },
  unsatisfiableConstraint: { code: 'XVC1007', category: 'spec', title: 'constraints no value can satisfy together' },
  unknownVersion: { code: 'XVC1008', category: 'spec', title: 'unknown spec version' },
  invalidWidth: { code: 'XVC1009', category: 'spec', title: 'width does not fit the field type' },
  unknownSpecFamily: { code: 'XVC1010', category: 'spec', title: 'unknown spec family' },
  fileNameMismatch: { code: 'XVC1011', category: 'spec', title: 'file name does not match the layout name' },
  unknownRequirement: { code: 'XVC1012', category: 'spec', title: 'unknown requirement id' },
  invalidUnion: { code: 'XVC1013', category: 'spec', title: 'union cases are inconsistent' },
  readFailure: { code: 'XVC1014', category: 'spec', title: 'spec file could not be read' },
  uncoveredBits: { code: 'XVC1015', category: 'spec', title: 'bits of a layout belong to no field' },
  aliasExpansion: { code: 'XVC1016', category: 'spec', title: 'YAML aliases expand beyond the bound' },
  notNestable: { code: 'XVC1017', category: 'spec', title: 'a union or variable-size layout is nested in another layout' },
  recursiveLayout: { code: 'XVC1018', category: 'spec', title: 'a layout contains itself' },
  constraintOnNonInteger: { code: 'XVC1019', category: 'spec', title: 'constraints on a field that is not an integer' },
  constraintOutsideWidth: { code: 'XVC1020', category: 'spec', title: 'a constraint no value of the field width meets' },
  unalignedField: { code: 'XVC1021', category: 'spec', title: 'a field that must start on a byte boundary starts inside a byte' },
  valueCutByComment: { code: 'XVC1022', category: 'spec', title: 'a plain YAML value is cut short by what YAML reads as a comment (quote the value)' },
  yamlTooDeep: { code: 'XVC1023', category: 'spec', title: 'YAML lists and maps nested deeper than the bound' },

  // usage: XVC2xxx
  badUsage: { code: 'XVC2001', category: 'usage', title: 'arguments or options the command does not accept', formerly: ['XVC_RUN_USAGE'] },
  unknownCommand: { code: 'XVC2002', category: 'usage', title: 'no such xvc command' },
  invalidSeed: { code: 'XVC2003', category: 'usage', title: 'a seed that is not an integer in range', formerly: ['XVC_INVALID_SEED'] },
  badOptionValue: { code: 'XVC2004', category: 'usage', title: 'an option value outside its range', formerly: ['XVC_BAD_OPTION_VALUE'] },
  badTargetSpec: { code: 'XVC2005', category: 'usage', title: 'a target spec xvc cannot parse', formerly: ['XVC_BAD_TARGET'] },

  // input: XVC3xxx. XVC31xx are the problems a dump file can have, reported as data with a severity.
  inputMissing: { code: 'XVC3001', category: 'input', title: 'no such file', formerly: ['XVC_INPUT_MISSING'] },
  inputNotAFile: { code: 'XVC3002', category: 'input', title: 'not a regular file (a directory, FIFO, socket or device)', formerly: ['XVC_INPUT_NOT_A_FILE'] },
  inputTooLarge: { code: 'XVC3003', category: 'input', title: 'more bytes than the bound of its kind of file', formerly: ['XVC_INPUT_TOO_LARGE'] },
  inputUnreadable: { code: 'XVC3004', category: 'input', title: 'a file that cannot be read (permission, I/O error)', formerly: ['XVC_INPUT_UNREADABLE'] },
  outputIsDirectory: { code: 'XVC3011', category: 'input', title: 'an output file path names a directory', formerly: ['XVC_OUTPUT_IS_DIRECTORY'] },
  outputUnwritable: { code: 'XVC3012', category: 'input', title: 'an output file cannot be written', formerly: ['XVC_OUTPUT_UNWRITABLE'] },
  outDirLocked: { code: 'XVC3013', category: 'input', title: 'the output folder is in use by another xvc process (a run or a merge)', formerly: ['XVC_OUT_DIR_LOCKED'] },
  outDirHoldsInput: { code: 'XVC3014', category: 'input', title: 'the output folder holds one of the inputs, which writing there could destroy' },
  outDirNotAFolder: { code: 'XVC3015', category: 'input', title: 'the output folder names an existing file (or lies under one), not a folder' },
  targetUnusable: { code: 'XVC3021', category: 'input', title: 'a target that cannot be opened at all (found before the run starts)', formerly: ['XVC_TARGET_INPUT'] },
  replayInput: { code: 'XVC3022', category: 'input', title: 'a replay request that names nothing xvc can replay (options, file or record)', formerly: ['XVC_REPLAY_INPUT'] },
  initramfsEntry: { code: 'XVC3031', category: 'input', title: 'a file that cannot be put into the guest initramfs', formerly: ['XVC_NEWC_ENTRY'] },
  kernelModule: { code: 'XVC3032', category: 'input', title: 'a kernel module file that cannot be read or decompressed', formerly: ['XVC_KERNEL_MODULE'] },
  dumpUnreadableFile: { code: 'XVC3101', category: 'input', title: 'a dump file that cannot be read', formerly: ['unreadable-file'] },
  dumpUnrecognisedLine: { code: 'XVC3102', category: 'input', title: 'a dump line that is no address, hex line, comment or decoded text', formerly: ['unrecognised-line'] },
  dumpMalformedHexLine: { code: 'XVC3103', category: 'input', title: 'a dump hex line that is not two-digit bytes separated by spaces', formerly: ['malformed-hex-line'] },
  dumpDataWithoutDevice: { code: 'XVC3104', category: 'input', title: 'dump bytes before any device address', formerly: ['data-without-device'] },
  dumpUnexpectedOffset: { code: 'XVC3105', category: 'input', title: 'a dump hex line that does not continue where the previous one stopped', formerly: ['unexpected-offset'] },
  dumpTooManyBytes: { code: 'XVC3106', category: 'input', title: 'dump bytes beyond the 4096-byte configuration space', formerly: ['too-many-bytes'] },
  dumpNoConfigBytes: { code: 'XVC3107', category: 'input', title: 'a dumped device address with no bytes under it', formerly: ['no-config-bytes'] },
  dumpTruncated: { code: 'XVC3108', category: 'input', title: 'a dumped device with fewer bytes than a complete dump (a warning)', formerly: ['truncated'] },
  dumpDuplicateAddress: { code: 'XVC3109', category: 'input', title: 'the same device address twice in one dump (a warning)', formerly: ['duplicate-address'] },
  dumpBinarySize: { code: 'XVC3110', category: 'input', title: 'a raw configuration binary that is not 256 or 4096 bytes', formerly: ['binary-size'] },
  dumpNoDevices: { code: 'XVC3111', category: 'input', title: 'a dump file with no device', formerly: ['no-devices'] },

  // target: XVC4xxx, harness errors: written as the `code` of `harness` evidence in results.
  targetCrashed: { code: 'XVC4001', category: 'target', title: 'the target crashed', formerly: ['target-crashed'] },
  targetTimeout: { code: 'XVC4002', category: 'target', title: 'the target did not answer in time', formerly: ['target-timeout'] },
  targetProtocol: { code: 'XVC4003', category: 'target', title: 'the target answered outside its protocol or promises', formerly: ['target-protocol'] },
  targetUnavailable: { code: 'XVC4004', category: 'target', title: 'the target cannot be started here (a program or file it needs is missing)', formerly: ['target-unavailable'] },
  targetInput: { code: 'XVC4005', category: 'target', title: 'a request the target cannot serve (outside its space, a bad option)', formerly: ['target-input'] },
  targetRole: { code: 'XVC4006', category: 'target', title: 'the target does not play the role the suite needs', formerly: ['target-role'] },
  adapterCrash: { code: 'XVC4011', category: 'target', title: 'an adapter process exited while in use', formerly: ['adapter-crash'] },
  adapterTimeout: { code: 'XVC4012', category: 'target', title: 'an adapter did not answer a request in time and was killed', formerly: ['adapter-timeout'] },
  adapterProtocol: { code: 'XVC4013', category: 'target', title: 'an adapter broke the framing or the protocol and was killed', formerly: ['adapter-protocol'] },
  adapterStartFailure: { code: 'XVC4014', category: 'target', title: 'an adapter could not be started or did not complete start', formerly: ['adapter-start-failure'] },
  guestStart: { code: 'XVC4021', category: 'target', title: 'the guest could not be booted', formerly: ['guest-start'] },
  guestPoweredOff: { code: 'XVC4022', category: 'target', title: 'the guest powered off before its driver could be judged', formerly: ['guest-powered-off'] },
  guestPanic: { code: 'XVC4023', category: 'target', title: 'the guest kernel panicked', formerly: ['guest-panic'] },
  guestTimeout: { code: 'XVC4024', category: 'target', title: 'the guest did not finish in time', formerly: ['guest-timeout'] },
  guestTraceLimit: { code: 'XVC4025', category: 'target', title: "the guest's access trace outgrew its bound", formerly: ['guest-trace-limit'] },
  guestQemuExit: { code: 'XVC4026', category: 'target', title: "the guest's QEMU exited on its own", formerly: ['guest-qemu-exit'] },
  guestAborted: { code: 'XVC4027', category: 'target', title: 'the guest boot was stopped (the run was interrupted)', formerly: ['guest-aborted'] },
  frontendThrew: { code: 'XVC4031', category: 'target', title: 'the frontend under test threw instead of answering', formerly: ['frontend-threw'] },
  nondeterministicFrontend: { code: 'XVC4032', category: 'target', title: 'the frontend answered a replayed case differently', formerly: ['nondeterministic-frontend'] },
  guestKernelMissing: { code: 'XVC4041', category: 'target', title: 'no guest kernel to boot (fetch one, or give your own)', formerly: ['XVC_GUEST_KERNEL_MISSING'] },
  guestKernelFetch: { code: 'XVC4042', category: 'target', title: 'fetching the guest kernel failed', formerly: ['XVC_GUEST_KERNEL_FETCH'] },

  // results: XVC5xxx
  resultsUnreadable: { code: 'XVC5001', category: 'results', title: 'a results file that cannot be read', formerly: ['XVC_RESULTS_UNREADABLE'] },
  resultsSyntax: { code: 'XVC5002', category: 'results', title: 'a results file that is not JSON (or JSON lines)', formerly: ['XVC_RESULTS_SYNTAX'] },
  resultsSchema: { code: 'XVC5003', category: 'results', title: 'a results file that breaks the results schema', formerly: ['XVC_RESULTS_SCHEMA'] },
  resultsNotResults: { code: 'XVC5004', category: 'results', title: 'a JSON file that is not xvc results', formerly: ['XVC_RESULTS_NOT_RESULTS'] },
  caseFailed: { code: 'XVC5011', category: 'results', title: 'a conformance case under vitest had an unexpected result', formerly: ['XVC_CASE_FAILED'] },

  // internal: XVC9xxx
  internalError: { code: 'XVC9001', category: 'internal', title: 'xvc failed: a bug, or a fault of its environment it cannot name' },
  commandUnavailable: { code: 'XVC9002', category: 'internal', title: 'the module of a command could not be loaded' },
  checkCrashed: { code: 'XVC9003', category: 'internal', title: 'a check threw instead of judging', formerly: ['check-crashed'] },
  resultsInvalid: { code: 'XVC9011', category: 'internal', title: 'xvc produced results that break the results schema', formerly: ['XVC_RESULTS_INVALID'] },
  resultsStreamClosed: { code: 'XVC9012', category: 'internal', title: 'a result was written after the results stream finished', formerly: ['XVC_RESULTS_STREAM_CLOSED'] },
  testNamesUnknownRequirement: { code: 'XVC9021', category: 'internal', title: 'a conformance test names a requirement id the catalogue lacks', formerly: ['XVC_UNKNOWN_REQUIREMENT'] },
  testNamesNoRequirement: { code: 'XVC9022', category: 'internal', title: 'a conformance test names no requirement id', formerly: ['XVC_NO_REQUIREMENT'] },
  hostilePlacement: { code: 'XVC9031', category: 'internal', title: 'the hostile backend could not publish a mechanism in a generated platform', formerly: ['hostile-placement'] },
  unknownMatrixCell: { code: 'XVC9032', category: 'internal', title: 'a cell of the mechanism matrix that does not exist was asked for', formerly: ['unknown-cell'] },
  addressFieldOutOfRange: { code: 'XVC9041', category: 'internal', title: 'a value does not fit its field of a PCI address layout', formerly: ['field-out-of-range'] },
  configSpaceBadSize: { code: 'XVC9042', category: 'internal', title: 'a configuration space of a size PCI does not have', formerly: ['bad-size'] },
  configSpaceRegionOutOfRange: { code: 'XVC9043', category: 'internal', title: 'a configuration space region outside the space', formerly: ['region-out-of-range'] },
  configSpaceRegionOverlap: { code: 'XVC9044', category: 'internal', title: 'configuration space regions overlap', formerly: ['region-overlap'] },
  configSpaceBadBars: { code: 'XVC9045', category: 'internal', title: 'BAR definitions a PCI function cannot have', formerly: ['bad-bars'] },
  configSpaceFull: { code: 'XVC9046', category: 'internal', title: 'the capabilities of a reference device do not fit its configuration space', formerly: ['config-space-full'] },
  deviceModelBadDescription: { code: 'XVC9047', category: 'internal', title: 'a reference device description that breaks its rules', formerly: ['bad-description'] },
} as const satisfies Record<string, DiagnosticEntry>;

/** Name of one catalogue entry, e.g. `targetCrashed`. */
export type DiagnosticName = keyof typeof diagnostics;
/** Stable code of one catalogue entry, e.g. `XVC4001`. */
export type DiagnosticCode = (typeof diagnostics)[DiagnosticName]['code'];
/** Code of the entry named `N`. */
export type CodeOf<N extends DiagnosticName> = (typeof diagnostics)[N]['code'];
/** Category of the entry named `N`. */
export type CategoryOf<N extends DiagnosticName> = (typeof diagnostics)[N]['category'];
/** Names of the entries of category `C`. */
export type DiagnosticNameIn<C extends ErrorCategory> = { [N in DiagnosticName]: CategoryOf<N> extends C ? N : never }[DiagnosticName];

/** Every entry with its name, in catalogue order. */
export const diagnosticList: readonly (DiagnosticEntry & { readonly name: DiagnosticName })[] = (Object.keys(diagnostics) as DiagnosticName[]).map(
  (name) => ({ name, ...diagnostics[name] }),
);

const byCode = new Map<string, DiagnosticEntry & { readonly name: DiagnosticName }>();
for (const entry of diagnosticList) {
  byCode.set(entry.code, entry);
  for (const former of entry.formerly ?? []) byCode.set(former, entry);
}

/**
 * The entry a code names: an `XVCnnnn` code, or a code the same problem had before the catalogue
 * (`target-crashed`), as older results files hold. Undefined for anything else.
 */
export function diagnosticForCode(code: string): (DiagnosticEntry & { readonly name: DiagnosticName }) | undefined {
  return byCode.get(code);
}

/**
 * A code as reports show it: `XVC4001 targetCrashed` for a catalogued (or former) code, the text
 * itself for anything else (a results file may hold any string).
 */
export function describeDiagnosticCode(code: string): string {
  const entry = diagnosticForCode(code);
  return entry === undefined ? code : `${entry.code} ${entry.name}`;
}

/** Name of a problem the spec loaders report as data (every spec entry but the aggregate specInvalid). */
export type SpecDiagnosticName = Exclude<DiagnosticNameIn<'spec'>, 'specInvalid'>;
/** Stable code of one spec problem, e.g. `XVC1005`. */
export type SpecDiagnosticCode = CodeOf<SpecDiagnosticName>;

/** The spec problems of the catalogue, by name. */
export const specDiagnostics: { readonly [N in SpecDiagnosticName]: (typeof diagnostics)[N] } = Object.fromEntries(
  diagnosticList.filter((entry) => entry.category === 'spec' && entry.name !== 'specInvalid').map((entry) => [entry.name, diagnostics[entry.name]]),
) as { readonly [N in SpecDiagnosticName]: (typeof diagnostics)[N] };
