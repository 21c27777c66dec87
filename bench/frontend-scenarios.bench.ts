/**
 * Frontend scenarios per second in-process through the frontend properties (issue 12's goal:
 * >= 200,000), against the reference frontend and the Linux models, counting each scenario a frontend
 * decided (a metamorphic case is two):
 * - `frontendScenariosPerSecond`: every property run with fast-check as the suite runs it —
 *   generation, the reference toolstack, the frontend, the invariant and shrinking all timed;
 * - `frontendScenarioChecksPerSecond`: the same properties on cases generated beforehand, so only
 *   the frontends' decisions and the invariants are timed.
 */
import fc from 'fast-check';
import type { Frontend } from '../reference-impl/frontend/frontend.ts';
import { frontends } from '../reference-impl/frontend/registry.ts';
import { answerCase } from '../conformance/frontend/evaluate.ts';
import { frontendProperties } from '../conformance/frontend/properties.ts';
import { runPropertyInProcess } from '../conformance/frontend/run-property.ts';
import type { BenchValue } from './metric.ts';

const runsPerProperty = 400;
const benchFrontends = ['reference', 'linux-6.2', 'linux-6.5', 'linux-2026'] as const;

/** Wraps a frontend so that every scenario it decides is counted. */
function counting(frontend: Frontend, counter: { scenarios: number }): Pick<Frontend, 'decide' | 'map'> {
  return {
    decide(scenario) {
      counter.scenarios++;
      return frontend.decide(scenario);
    },
    map: (scenario, request) => frontend.map(scenario, request),
  };
}

function propertiesPass(counter: { scenarios: number }, seed: number): void {
  for (const name of benchFrontends) {
    const frontend = counting(frontends[name], counter);
    for (const property of frontendProperties) runPropertyInProcess(property, frontend, { seed, numRuns: runsPerProperty });
  }
}

function checksPass(counter: { scenarios: number }, seed: number): number {
  const samples = frontendProperties.map((property) => ({ property, cases: fc.sample(property.cases, { seed, numRuns: runsPerProperty }) }));
  const started = performance.now();
  let violations = 0;
  for (const name of benchFrontends) {
    const frontend = counting(frontends[name], counter);
    for (const { property, cases } of samples) for (const testCase of cases) if (property.check(testCase, answerCase(frontend, testCase))) violations++;
  }
  // Keeps the checks observable so they cannot be optimised away.
  if (violations < 0) throw new Error('unreachable');
  return (performance.now() - started) / 1000;
}

/** Runs the benchmark. */
export async function run(): Promise<Record<string, BenchValue>> {
  propertiesPass({ scenarios: 0 }, 1); // warm-up: JIT and module caches
  const counter = { scenarios: 0 };
  const started = performance.now();
  propertiesPass(counter, 2);
  const seconds = (performance.now() - started) / 1000;
  const checked = { scenarios: 0 };
  const checkSeconds = checksPass(checked, 3);
  return {
    frontendScenariosPerSecond: { value: Math.round(counter.scenarios / seconds), unit: 'per s', goal: { atLeast: 200_000 }, command: 'frontend properties in-process (generation, toolstack, frontend, invariant, shrinking)' },
    frontendScenarioChecksPerSecond: Math.round(checked.scenarios / checkSeconds),
  };
}
