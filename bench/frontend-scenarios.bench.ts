/**
 * Frontend scenarios per second in-process through the frontend properties (issue 4 point 6; goal
 * >= 50,000): every property of suites/frontend/properties.ts run with fast-check against the
 * reference frontend and the Linux models, counting each scenario a frontend decided (a metamorphic
 * case is two). Generation, the toolstack, the frontend and the invariant are all inside the timing.
 */
import { frontends } from '../reference-impl/frontend/registry.ts';
import { frontendProperties } from '../suites/frontend/properties.ts';
import { runPropertyInProcess } from '../suites/frontend/run-property.ts';
import type { Frontend } from '../reference-impl/frontend/frontend.ts';

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

function pass(counter: { scenarios: number }, seed: number): void {
  for (const name of benchFrontends) {
    const frontend = counting(frontends[name], counter);
    for (const property of frontendProperties) runPropertyInProcess(property, frontend, { seed, numRuns: runsPerProperty });
  }
}

/** Runs the benchmark. */
export async function run(): Promise<Record<string, number>> {
  pass({ scenarios: 0 }, 1); // warm-up: JIT and module caches
  const counter = { scenarios: 0 };
  const started = performance.now();
  pass(counter, 2);
  const seconds = (performance.now() - started) / 1000;
  return { frontendScenariosPerSecond: Math.round(counter.scenarios / seconds) };
}
