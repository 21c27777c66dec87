/**
 * One figure a benchmark reports: its value and unit, the goal it is held to (issue 12's table),
 * whether the goal is met, the command that was measured, and the baseline measured in the same
 * run that it is compared with.
 */

/** Units the benchmarks report in. */
export type MetricUnit = 's' | 'MB' | 'x' | 'per s' | 'ns' | 'count' | 'px';

/** A goal: the value must stay below a bound, or reach one. */
export type Goal = { below: number } | { atMost: number } | { atLeast: number };

/** One measured figure. */
export interface Metric {
  value: number;
  unit: MetricUnit;
  goal?: Goal;
  /** What was run, as a user would type it. */
  command?: string;
  /** The figure measured in the same run that this one is compared with (the ratio is value / baseline). */
  baseline?: { what: string; value: number };
}

/** What a benchmark module reports: a bare number for a plain figure, or a {@link Metric}. */
export type BenchValue = number | Metric;

/** Whether `value` meets `goal`. */
export function meets(value: number, goal: Goal): boolean {
  if ('below' in goal) return value < goal.below;
  if ('atMost' in goal) return value <= goal.atMost;
  return value >= goal.atLeast;
}

/** The goal in words: `< 0.15 s`, `≥ 200000 per s`. */
export function goalText(goal: Goal, unit: MetricUnit): string {
  const [sign, bound] = 'below' in goal ? ['<', goal.below] : 'atMost' in goal ? ['≤', goal.atMost] : ['≥', goal.atLeast];
  return `${sign} ${bound}${unit === 'x' ? '×' : unit === 'count' ? '' : ` ${unit}`}`;
}

/** A metric as `--json` prints it: the figure with its goal, verdict and ratio worked out. */
export interface MetricReport extends Metric {
  met?: boolean;
  ratioToBaseline?: number;
}

/** Fills in the verdict and the ratio of a metric (a bare number becomes a unitless count). */
export function reportMetric(value: BenchValue): MetricReport {
  const metric: Metric = typeof value === 'number' ? { value, unit: 'count' } : value;
  return {
    ...metric,
    ...(metric.goal !== undefined && { met: meets(metric.value, metric.goal) }),
    ...(metric.baseline !== undefined && metric.baseline.value > 0 && { ratioToBaseline: Number((metric.value / metric.baseline.value).toFixed(3)) }),
  };
}

/** Rounds a number of seconds or megabytes for printing (3 significant decimals). */
export function round(value: number, digits = 3): number {
  return Number(value.toFixed(digits));
}
