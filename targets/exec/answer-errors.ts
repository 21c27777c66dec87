/** Turns adapter answers that are not results into what targets report. */
import { TargetError } from '../device-target.ts';
import type { Answer, Command } from './protocol-messages.ts';

/** The error for an adapter that answered a valid request with an error response. */
export function adapterReportedError(label: string, cmd: Command, answer: Extract<Answer<Command>, { kind: 'error' }>, stderr: string): TargetError {
  return new TargetError('targetProtocol', `${label} answered ${cmd} with error '${answer.code}': ${answer.message}`, { stderr });
}

/** The error for an answer that is valid JSON but breaks a promise of the target interface. */
export function brokenPromise(label: string, cmd: Command, message: string, stderr: string): TargetError {
  return new TargetError('targetProtocol', `${label} answered ${cmd} inconsistently: ${message}`, { stderr });
}
