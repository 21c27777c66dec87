/**
 * The frontend suite's power, measured: every frontend property (and the two columns of a target's
 * mechanism matrix that need two sources or a declaration) is run on the conformant subject and on
 * every mutant of mutants.ts; a property kills a mutant when it fails on it. Rendered as the frontend
 * section of docs/kill-matrix.md.
 */
import type { Frontend } from '../../../reference-impl/frontend/index.ts';
import { frontendProperties } from '../../frontend/properties.ts';
import { runPropertyInProcess, type RunSettings } from '../../frontend/run-property.ts';
import { runTargetMechanismCell, targetMatrixCells, targetMatrixColumns } from '../../mechanisms/target-matrix.ts';
import { conformantSubject, frontendMutants, mutantFrontend, type Mutant } from './mutants.ts';

/** A row of the matrix: a property, or a column of the target matrix. */
export interface KillProperty {
  id: string;
  requirements: readonly string[];
}

/** The properties the matrix runs, in report order. */
export const killProperties: readonly KillProperty[] = [
  ...frontendProperties.map((property) => ({ id: property.id, requirements: property.requirements })),
  ...targetMatrixColumns.filter((column) => column.id === 'disagreeing-sources' || column.id === 'ignores-undeclared').map((column) => ({ id: column.id, requirements: column.id === 'disagreeing-sources' ? ['XEN-INV-14'] : ['XEN-INV-23'] })),
];

/** What one subject did under every property. */
export interface SubjectResult {
  name: string;
  /** Ids of the properties that failed on it (for a mutant: killed it). */
  killedBy: string[];
  /** Properties that ended in a harness error instead of a verdict. */
  errors: string[];
}

/** The whole matrix. */
export interface FrontendKillMatrix {
  runs: number;
  /** The fast-check seed the properties ran with. */
  seed: number;
  conformant: SubjectResult;
  mutants: (SubjectResult & { mutant: Mutant })[];
}

const asTarget = (frontend: Pick<Frontend, 'decide' | 'map'>) => ({
  decide: async (scenario: Parameters<Frontend['decide']>[0]) => frontend.decide(scenario),
  map: async (scenario: Parameters<Frontend['map']>[0], request: Parameters<Frontend['map']>[1]) => frontend.map(scenario, request),
});

/** Runs every property on `frontend`, declared as reading `declared`. */
async function judge(name: string, frontend: Frontend, declared: readonly string[], settings: RunSettings): Promise<SubjectResult> {
  const killedBy: string[] = [];
  const errors: string[] = [];
  for (const property of frontendProperties) {
    const run = runPropertyInProcess(property, frontend, settings);
    if (run.kind === 'fail') killedBy.push(property.id);
    if (run.kind === 'error') errors.push(property.id);
  }
  // The matrix columns run once per mechanism; a quarter of the runs each keeps the matrix quick.
  const cellSettings = { ...settings, numRuns: Math.max(10, Math.ceil(settings.numRuns / 4)) };
  for (const column of ['disagreeing-sources', 'ignores-undeclared']) {
    for (const cell of targetMatrixCells(declared).filter((candidate) => candidate.property === column)) {
      const run = await runTargetMechanismCell(asTarget(frontend), declared, cell.mechanism, column, cellSettings);
      if (run.kind === 'error') errors.push(`${column} ${cell.mechanism}`);
      if (run.kind === 'fail') {
        killedBy.push(column);
        break;
      }
    }
  }
  return { name, killedBy, errors };
}

/** Computes the matrix with `settings` (fixed seed, so the same matrix every time). */
export async function computeFrontendKillMatrix(settings: RunSettings): Promise<FrontendKillMatrix> {
  const conformant = await judge(conformantSubject.name, conformantSubject, conformantSubject.mechanisms, settings);
  const mutants: FrontendKillMatrix['mutants'] = [];
  for (const mutant of frontendMutants) {
    const frontend = mutantFrontend(mutant.name, mutant.defects, mutant.declared);
    mutants.push({ ...(await judge(mutant.name, frontend, frontend.mechanisms, settings)), mutant });
  }
  return { runs: settings.numRuns, seed: settings.seed, conformant, mutants };
}

/** Markers around the frontend section of docs/kill-matrix.md. */
export const FRONTEND_SECTION_BEGIN = '<!-- frontend:begin -->';
export const FRONTEND_SECTION_END = '<!-- frontend:end -->';

/** The frontend section, markers included. Deterministic: no timings, stable order. */
export function frontendSection(matrix: FrontendKillMatrix): string {
  const column = (index: number) => `P${index + 1}`;
  const lines = [
    FRONTEND_SECTION_BEGIN,
    '## Frontend properties',
    '',
    'Written by `XVC_UPDATE_KILL_MATRIX=1 npx vitest run conformance/mutants/frontend`; that test fails when this section is',
    'stale, when a property kills no mutant, when a mutant survives the property named for it, or when the conformant',
    'subject fails anything. The conformant subject is the reference frontend plus a cross-check a frontend may add (it',
    "refuses a device whose own backend-domid capability contradicts the trusted source), so that the capability walk",
    'decides something; each mutant breaks one rule of it (`conformance/mutants/frontend/mutants.ts`). A property kills a',
    `mutant when it finds a counterexample in ${matrix.runs} generated cases (seed ${matrix.seed}; the two matrix columns ${Math.max(10, Math.ceil(matrix.runs / 4))} per mechanism).`,
    '',
    `Conformant subject: fails ${matrix.conformant.killedBy.length === 0 ? 'nothing' : matrix.conformant.killedBy.join(', ')}. Mutants: ${matrix.mutants.length}; killed by the property named for them: ${matrix.mutants.filter((result) => result.killedBy.includes(result.mutant.killedBy)).length}; survived every property: ${matrix.mutants.filter((result) => result.killedBy.length === 0).length}.`,
    '',
    '### Properties',
    '',
    '| | property | requirements | mutants killed |',
    '|---|---|---|---|',
    ...killProperties.map((property, index) => `| ${column(index)} | \`${property.id}\` | ${property.requirements.join(' ')} | ${matrix.mutants.filter((result) => result.killedBy.includes(property.id)).length} |`),
    '',
    '### Property × mutant',
    '',
    '`X` killed, `·` survived; the cell of the property named for the mutant is bold.',
    '',
    `| mutant | defect | ${killProperties.map((_, index) => column(index)).join(' | ')} |`,
    `|---|---|${killProperties.map(() => '---').join('|')}|`,
    ...matrix.mutants.map((result) => {
      const cells = killProperties.map((property) => {
        const mark = result.killedBy.includes(property.id) ? 'X' : '·';
        return property.id === result.mutant.killedBy ? `**${mark}**` : mark;
      });
      return `| \`${result.mutant.name}\` | ${result.mutant.defect} | ${cells.join(' | ')} |`;
    }),
    FRONTEND_SECTION_END,
  ];
  return lines.join('\n');
}

/** `document` with its frontend section replaced by `section` (or appended after everything), other sections kept. */
export function withFrontendSection(document: string, section: string): string {
  const begin = document.indexOf(FRONTEND_SECTION_BEGIN);
  const end = document.indexOf(FRONTEND_SECTION_END);
  if (begin < 0 || end < begin) {
    const head = document.trim() === '' ? '# Kill matrix\n\nWhat the suites catch: for each conformance check, the minimally broken subjects it kills.\n\n' : `${document.trimEnd()}\n\n`;
    return `${head}${section}\n`;
  }
  return `${document.slice(0, begin)}${section}${document.slice(end + FRONTEND_SECTION_END.length)}`;
}
