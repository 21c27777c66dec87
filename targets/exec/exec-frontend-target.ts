/**
 * A frontend target backed by an external adapter: `decide` and `map` travel as protocol requests,
 * pipelined, and every answer is validated before a suite sees it.
 */
import type { Decision } from '../../generated/ts/schema/decision.ts';
import type { MapRequest } from '../../generated/ts/schema/map-request.ts';
import type { MapResult } from '../../generated/ts/schema/map-result.ts';
import type { Scenario } from '../../generated/ts/schema/scenario.ts';
import type { FrontendTarget, TargetSkip } from '../frontend-target.ts';
import type { TargetMetadata } from '../target-metadata.ts';
import type { AdapterIncident } from './adapter-incident.ts';
import { adapterReportedError, brokenPromise } from './answer-errors.ts';
import { ExecClient, type RecordedError } from './exec-client.ts';
import { execSettings, type ExecTargetOptions } from './exec-options.ts';
import type { StartResult } from './protocol-messages.ts';
import { execMetadata } from './target-metadata.ts';

/** A frontend target that runs an adapter; exposes what the adapter said and the errors it caused. */
export interface ExecFrontendTarget extends FrontendTarget {
  /** The adapter's answer to its first `start`. */
  readonly started: StartResult;
  /** Harness errors recorded so far (crashes, timeouts, protocol violations), oldest first. */
  readonly errors: readonly RecordedError[];
  /** How many times the adapter was restarted. */
  readonly restartCount: number;
  /** Every crash, hang and protocol break of the adapter process so far, including those a retry recovered from. */
  readonly incidents: readonly AdapterIncident[];
  /** Incidents since the last call: what happened during the test that ran in between. */
  takeIncidents(): AdapterIncident[];
}

/**
 * Starts the adapter `argv` (no shell) in the frontend role. Rejects with a TargetError when it
 * cannot be started or its handshake is wrong.
 */
export async function createExecFrontendTarget(argv: readonly string[], options: ExecTargetOptions = {}): Promise<ExecFrontendTarget> {
  const settings = execSettings(argv, options);
  const client = await ExecClient.open(argv, 'frontend', settings);
  const label = `adapter '${argv.join(' ')}'`;
  const metadata: TargetMetadata = execMetadata(settings.spec, argv, 'frontend', client.started);
  return {
    metadata,
    started: client.started,
    errors: client.errors,
    get restartCount() {
      return client.restartCount;
    },
    incidents: client.incidents,
    takeIncidents: () => client.takeIncidents(),
    async decide(scenario: Scenario): Promise<Decision[] | TargetSkip> {
      const answer = await client.request({ cmd: 'decide', scenario });
      if (answer.kind === 'skip') return { skip: true, reason: answer.reason };
      if (answer.kind === 'error') throw adapterReportedError(label, 'decide', answer, client.stderrText());
      const { decisions } = answer.result;
      const expected = scenario.devices.map((device) => device.id);
      const got = decisions.map((decision) => decision.deviceId);
      if (expected.length !== got.length || expected.some((id, index) => got[index] !== id)) {
        throw brokenPromise(label, 'decide', `decisions for [${got.join(', ')}], expected one per device in order [${expected.join(', ')}]`, client.stderrText());
      }
      return decisions;
    },
    async map(scenario: Scenario, request: MapRequest): Promise<MapResult | TargetSkip> {
      const answer = await client.request({ cmd: 'map', scenario, request });
      if (answer.kind === 'skip') return { skip: true, reason: answer.reason };
      if (answer.kind === 'error') throw adapterReportedError(label, 'map', answer, client.stderrText());
      if (answer.result.deviceId !== request.deviceId) {
        throw brokenPromise(label, 'map', `result for device '${answer.result.deviceId}', request was for '${request.deviceId}'`, client.stderrText());
      }
      return answer.result;
    },
    close: () => client.close(),
  };
}
