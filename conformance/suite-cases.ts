/**
 * Every case a run plan asks for, suite by suite: the one entry both runners use (`xvc run` executes
 * the cases itself, the vitest suite files declare one test per case).
 */
import { parseTargetSpec, type TargetSpec } from '../targets/target-spec.ts';
import type { SuiteCases } from './conformance-case.ts';
import { deviceCases } from './device/index.ts';
import { driverCases } from './driver/index.ts';
import { frontendCases } from './frontend/frontend-cases.ts';
import { layoutCases } from './layouts/layout-cases.ts';
import { mechanismCases } from './mechanisms/mechanism-cases.ts';
import { targetMatrixCases } from './mechanisms/index.ts';
import type { RunPlan, SuiteName } from './run-plan.ts';

/** How the cases of a plan are built. */
export interface CaseOptions {
  /** Device targets opened at once (each may be a QEMU process). */
  concurrency?: number;
  /** Stops property runs in progress when the run is stopped. */
  signal?: AbortSignal;
}

/** The plan's targets that can play `role`, parsed. */
export function targetsFor(plan: Pick<RunPlan, 'targets'>, role: 'device' | 'frontend' | 'driver'): TargetSpec[] {
  return plan.targets.map(parseTargetSpec).filter((target) => (target.roles as string[]).includes(role));
}

/** How exec: adapters are started, from the plan. */
export function adapterSettings(plan: Pick<RunPlan, 'strictProtocol' | 'adapterEnv'>): { strictProtocol?: boolean; env?: Record<string, string> } {
  return {
    ...(plan.strictProtocol !== undefined && { strictProtocol: plan.strictProtocol }),
    ...(plan.adapterEnv !== undefined && { env: plan.adapterEnv }),
  };
}

/** Builds the cases of one suite of the plan (opening its targets). */
export async function suiteCases(plan: RunPlan, suite: SuiteName, options: CaseOptions = {}): Promise<SuiteCases> {
  const settings = { seed: plan.seed, numRuns: plan.runs, ...(options.signal !== undefined && { signal: options.signal }) };
  switch (suite) {
    case 'layouts':
      return layoutCases(settings);
    case 'mechanisms':
      return mechanismCases(settings);
    case 'device':
      return deviceCases(targetsFor(plan, 'device'), { adapter: adapterSettings(plan), ...(options.concurrency !== undefined && { concurrency: options.concurrency }) });
    case 'frontend':
      // Each frontend target also gets its own mechanism × property matrix: every mechanism it
      // declares, hostile, malformed and disagreeing, and every other one, which it must ignore.
      return frontendCases(targetsFor(plan, 'frontend'), {
        settings,
        adapter: adapterSettings(plan),
        moreCases: (spec, target) => targetMatrixCases(spec, target, settings),
      });
    case 'driver':
      // Each guest boots when its first case runs: the runner's per-target concurrency bounds the boots.
      return driverCases(targetsFor(plan, 'driver'), { eager: false, ...(options.concurrency !== undefined && { concurrency: options.concurrency }) });
  }
}
