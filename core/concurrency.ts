/**
 * How many jobs of a kind may run at once when each job is a process that holds memory (a QEMU):
 * no more than there are cores to drive them, and no more than a share of the memory available
 * now can hold, whatever the number of jobs waiting. `qemu:all` started every QEMU of its sweep
 * at once (51 processes, 2.1 GB) because only the cores were counted, and never the memory.
 */
import { availableParallelism } from 'node:os';

/** What bounds a pool of memory-holding jobs. */
export interface ConcurrencyBudget {
  /** Cores that may work at once. */
  cores: number;
  /** Memory available to new processes, in bytes (MemAvailable, or what the cgroup still allows). */
  availableBytes: number;
  /** Resident memory one job needs at its peak, in bytes. */
  bytesPerJob: number;
  /** Share of the available memory the jobs may take together (the rest stays for everything else). */
  memoryShare?: number;
}

/** Share of the available memory the jobs may take when the budget does not say. */
export const DEFAULT_MEMORY_SHARE = 0.5;

/**
 * Jobs that may run at once under `budget`: at least 1 (a job that does not fit is run alone rather
 * than never), at most the cores, and at most what fits in the memory share.
 */
export function boundedConcurrency(budget: ConcurrencyBudget): number {
  const cores = Math.max(1, Math.floor(budget.cores));
  if (!(budget.bytesPerJob > 0)) return cores;
  const share = budget.memoryShare ?? DEFAULT_MEMORY_SHARE;
  const byMemory = Math.floor((Math.max(0, budget.availableBytes) * share) / budget.bytesPerJob);
  return Math.max(1, Math.min(cores, byMemory));
}

/** This machine's budget for jobs of `bytesPerJob`: its cores, and the memory available to this process now. */
export function machineBudget(bytesPerJob: number): ConcurrencyBudget {
  // process.availableMemory() (Node 20.13+) is the smaller of MemAvailable and what a cgroup limit leaves.
  return { cores: availableParallelism(), availableBytes: process.availableMemory(), bytesPerJob };
}
