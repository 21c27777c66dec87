/** How each outcome is shown: a symbol for Markdown and a label for every format. */
import type { Outcome } from '../results/result-model.ts';

/** Symbol per outcome, so a matrix reads at a glance (also without colour). */
export const outcomeSymbol: Record<Outcome, string> = {
  pass: '✅',
  fail: '❌',
  warning: '🟡',
  error: '⚠️',
  xfail: '☑️',
  xpass: '❗',
  skip: '⏭️',
  inapplicable: '➖',
};

/** A short explanation of each outcome for legends. */
export const outcomeMeaning: Record<Outcome, string> = {
  pass: 'meets the requirement',
  fail: 'breaks a MUST or MUST NOT',
  warning: 'a SHOULD (or a non-normative note) not met; fails the gate only with --strict',
  error: 'harness error: no verdict',
  xfail: 'known failure (expectations file)',
  xpass: 'expected to fail but passed: update the expectations',
  skip: 'not run',
  inapplicable: 'does not apply to this target',
};
