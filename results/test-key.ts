/**
 * What a test is, apart from the target it ran on. A record's `test` is its full name, whose groups
 * usually start with the target (`frontend model:linux-6.5 > XEN-INV-02 the initial domain ...`), so
 * the same check on two implementations has two names. Reports that line implementations up per test
 * (EARL's test cases, JUnit's test names under a per-target class) use the name with the target taken
 * out.
 */
import type { ResultRecord } from './result-model.ts';

/** Stands for the target in a {@link testKey}. */
export const targetPlaceholder = '{target}';

/** The record's test name without its target: every group naming the target (`<suite> <target>`) becomes `<suite> {target}`. */
export function testWithoutTarget(record: Pick<ResultRecord, 'test' | 'target'>): string {
  if (record.target === '') return record.test;
  return record.test
    .split(' > ')
    .map((group) => (group === record.target ? targetPlaceholder : group.endsWith(` ${record.target}`) ? `${group.slice(0, -record.target.length)}${targetPlaceholder}` : group))
    .join(' > ');
}

/** The test's identity across targets: suite, name without the target, requirement. */
export function testKey(record: Pick<ResultRecord, 'suite' | 'test' | 'target' | 'requirement'>): string {
  return `${record.suite}:${testWithoutTarget(record)}#${record.requirement}`;
}
