/**
 * How many targets a run works on at once: the cores, and for runs that start QEMUs also what the
 * available memory holds (core/concurrency.ts), so that `qemu:all` on a small CI machine does not
 * start more QEMUs than it can keep.
 */
import { boundedConcurrency, machineBudget, type ConcurrencyBudget } from '../../core/concurrency.ts';

/**
 * Peak resident memory to count per QEMU as xvc starts it (q35, TCG, paused, one device): ~41 MB
 * measured over the 51 variants of `qemu:all` with QEMU 7.2 (2.12 GB for all of them plus xvc),
 * rounded up for larger devices and newer QEMUs.
 */
export const QEMU_BYTES = 64 * 1024 * 1024;

/** Whether a target spec starts QEMU processes. */
function startsQemu(spec: string): boolean {
  return spec.startsWith('qemu:');
}

/** Targets worked on at once for a run of `targets` on a machine with `budget` (this one by default). */
export function runConcurrency(targets: readonly string[], budget: ConcurrencyBudget = machineBudget(QEMU_BYTES)): number {
  return targets.some(startsQemu) ? boundedConcurrency(budget) : Math.max(1, Math.floor(budget.cores));
}
