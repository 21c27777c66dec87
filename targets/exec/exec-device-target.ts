/**
 * A device target backed by an external adapter: each PCI function it lists is read and written with
 * config-read/config-write (and BAR requests when it offers them).
 */
import { TargetError, type AccessWidth, type DeviceTarget, type PciFunction } from '../device-target.ts';
import type { AdapterIncident } from './adapter-incident.ts';
import { adapterReportedError, brokenPromise } from './answer-errors.ts';
import { ExecClient, type RecordedError } from './exec-client.ts';
import { execSettings, type ExecTargetOptions } from './exec-options.ts';
import type { AdapterFunction, Answer, Command, ResultOf, StartResult } from './protocol-messages.ts';
import { execMetadata } from './target-metadata.ts';

/** A device target that runs an adapter. */
export interface ExecDeviceTarget extends DeviceTarget {
  readonly started: StartResult;
  readonly errors: readonly RecordedError[];
  readonly restartCount: number;
  /** Every crash, hang and protocol break of the adapter process so far, including those a retry recovered from. */
  readonly incidents: readonly AdapterIncident[];
  /** Incidents since the last call: what happened during the test that ran in between. */
  takeIncidents(): AdapterIncident[];
}

/**
 * A register value must fit the access width: an adapter answering a 1-byte read with 0x1FFFF broke
 * the protocol; judging the device on a value it cannot hold would blame the device for the adapter.
 */
function checkedValue(label: string, client: ExecClient, cmd: 'config-read' | 'bar-read', fn: string, offset: number, width: AccessWidth, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** (8 * width)) {
    throw brokenPromise(label, cmd, `value ${value} (0x${value.toString(16)}) for a ${width}-byte read of function '${fn}' at offset 0x${offset.toString(16)} does not fit in ${width} byte(s)`, client.stderrText());
  }
  return value;
}

function resultOf<C extends Command>(client: ExecClient, label: string, cmd: C, answer: Answer<C>): ResultOf[C] {
  if (answer.kind === 'error') throw adapterReportedError(label, cmd, answer, client.stderrText());
  if (answer.kind === 'skip') throw new TargetError('targetUnavailable', `${label} declined ${cmd}: ${answer.reason}`, { stderr: client.stderrText() });
  return answer.result;
}

function execFunction(client: ExecClient, label: string, listed: AdapterFunction): PciFunction {
  const readConfig = async (offset: number, width: AccessWidth): Promise<number> =>
    checkedValue(label, client, 'config-read', listed.id, offset, width, resultOf(client, label, 'config-read', await client.request({ cmd: 'config-read', function: listed.id, offset, width })).value);
  const fn: PciFunction = {
    id: listed.id,
    ...(listed.description === undefined ? {} : { description: listed.description }),
    live: listed.live,
    configSize: listed.configSize,
    truncated: listed.configSize !== 256 && listed.configSize !== 4096,
    readConfig,
    async snapshot(): Promise<Uint8Array> {
      const bytes = new Uint8Array(listed.configSize);
      const reads: Promise<void>[] = [];
      // Dword reads, pipelined; a tail that is not a whole dword is read byte by byte.
      for (let offset = 0; offset < listed.configSize; ) {
        const width: AccessWidth = listed.configSize - offset >= 4 ? 4 : 1;
        const at = offset;
        reads.push(
          readConfig(at, width).then((value) => {
            for (let index = 0; index < width; index++) bytes[at + index] = (value >>> (8 * index)) & 0xff;
          }),
        );
        offset += width;
      }
      await Promise.all(reads);
      return bytes;
    },
  };
  if (listed.writable) {
    fn.writeConfig = async (offset, width, value) => {
      resultOf(client, label, 'config-write', await client.request({ cmd: 'config-write', function: listed.id, offset, width, value }));
    };
  }
  if (listed.bars) {
    const sizes = [...listed.bars];
    fn.barSizes = async () => [...sizes];
    fn.readBar = async (bar, offset, width) =>
      checkedValue(label, client, 'bar-read', listed.id, offset, width, resultOf(client, label, 'bar-read', await client.request({ cmd: 'bar-read', function: listed.id, bar, offset, width })).value);
    if (listed.writable) {
      fn.writeBar = async (bar, offset, width, value) => {
        resultOf(client, label, 'bar-write', await client.request({ cmd: 'bar-write', function: listed.id, bar, offset, width, value }));
      };
    }
  }
  return fn;
}

/**
 * Starts the adapter `argv` (no shell) in the device role. Rejects with a TargetError when it cannot
 * be started or its handshake is wrong.
 */
export async function createExecDeviceTarget(argv: readonly string[], options: ExecTargetOptions = {}): Promise<ExecDeviceTarget> {
  const settings = execSettings(argv, options);
  const client = await ExecClient.open(argv, 'device', settings);
  const label = `adapter '${argv.join(' ')}'`;
  return {
    metadata: execMetadata(settings.spec, argv, 'device', client.started),
    started: client.started,
    errors: client.errors,
    get restartCount() {
      return client.restartCount;
    },
    incidents: client.incidents,
    takeIncidents: () => client.takeIncidents(),
    async functions(): Promise<PciFunction[]> {
      const { functions } = resultOf(client, label, 'list-functions', await client.request({ cmd: 'list-functions' }));
      const seen = new Set<string>();
      for (const listed of functions) {
        if (seen.has(listed.id)) throw new TargetError('targetProtocol', `${label} listed function '${listed.id}' twice`, { stderr: client.stderrText() });
        seen.add(listed.id);
      }
      return functions.map((listed) => execFunction(client, label, listed));
    },
    close: () => client.close(),
  };
}
