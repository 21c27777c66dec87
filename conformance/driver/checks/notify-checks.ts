/**
 * Available-buffer notifications (VS13 §4.1.4.4, §4.1.5.2.1): 16-bit writes without
 * NOTIFICATION_DATA and 32-bit with it, carrying the queue index (or queue_notif_config_data with
 * NOTIF_CONFIG_DATA), at the queue's address cap.offset + queue_notify_off × notify_off_multiplier.
 */
import { VirtioPciCfgType } from '../../../generated/ts/virtio/virtio-pci-cap.ts';
import type { TraceAccess } from '../../../targets/driver-trace.ts';
import { FeatureBit, negotiated, type Epoch } from '../driver-session.ts';
import { firstViolation, hex, notApplicable, passed, violation, type DriverCheckInput, type DriverFinding } from '../driver-finding.ts';

const SHORT_NOTIFICATION_BYTES = 2;
const DATA_NOTIFICATION_BYTES = 4;
const VQ_INDEX_MASK = 0xffff;

/** The last value read from `register` of queue `queue` in the epoch before index `before`. */
function queueRead(epoch: Epoch, queue: number, register: string, before: number): number | undefined {
  return epoch.queues
    .get(queue)
    ?.accesses.filter((r) => r.register === register && r.access.op === 'read' && r.access.index < before)
    .at(-1)?.access.value;
}

/** Queues the driver enabled in the epoch before index `before`. */
function enabledQueues(epoch: Epoch, before: number): number[] {
  return [...epoch.queues.values()]
    .filter((queue) => queue.accesses.some((r) => r.access.op === 'write' && r.access.index < before && ((r.register === 'queue_enable' && r.access.value === 1) || (r.register === 'queue_address' && r.access.value !== 0))))
    .map((queue) => queue.index);
}

function eachNotification(session: DriverCheckInput['session'], judge: (epoch: Epoch, notification: TraceAccess) => DriverFinding | undefined, whenNone: string): DriverFinding {
  const findings: DriverFinding[] = [];
  for (const epoch of session.epochs) {
    for (const notification of epoch.notifications) {
      const finding = judge(epoch, notification);
      if (finding) findings.push(finding);
    }
  }
  return firstViolation(findings, whenNone);
}

/** PCI-DRV-32: notification width follows NOTIFICATION_DATA. */
export function checkNotificationWidth({ session }: DriverCheckInput): DriverFinding {
  return eachNotification(
    session,
    (epoch, n) => {
      const expected = n.structure === 'notify' && negotiated(epoch, FeatureBit.NOTIFICATION_DATA) ? DATA_NOTIFICATION_BYTES : SHORT_NOTIFICATION_BYTES;
      return n.width === expected ? passed() : violation(`a ${n.width ?? '?'}-byte notification where ${expected}-byte writes are required${expected === DATA_NOTIFICATION_BYTES ? ' (NOTIFICATION_DATA negotiated)' : ''}`, [n.index]);
    },
    'the driver sent no notification',
  );
}

/** PCI-DRV-33: the notification carries the index of a queue the driver enabled (or its queue_notif_config_data). */
export function checkNotificationValue({ session }: DriverCheckInput): DriverFinding {
  return eachNotification(
    session,
    (epoch, n) => {
      const value = negotiated(epoch, FeatureBit.NOTIFICATION_DATA) ? n.value & VQ_INDEX_MASK : n.value;
      const queues = enabledQueues(epoch, n.index);
      if (negotiated(epoch, FeatureBit.NOTIF_CONFIG_DATA)) {
        const data = queues.map((q) => queueRead(epoch, q, 'queue_notif_config_data', n.index)).filter((v): v is number => v !== undefined);
        return data.includes(value) ? passed() : violation(`notification value ${hex(value)} is no queue_notif_config_data the device gave (${data.map(hex).join(', ') || 'none read'})`, [n.index]);
      }
      return queues.includes(value) ? passed() : violation(`notification value ${value} is not the index of a queue the driver enabled (${queues.join(', ') || 'none'})`, [n.index]);
    },
    'the driver sent no notification',
  );
}

/** PCI-DRV-35: each notification goes to cap.offset + queue_notify_off × notify_off_multiplier of its queue. */
export function checkNotificationAddress({ session, trace }: DriverCheckInput): DriverFinding {
  const cap = trace.device.capabilities.find((c) => c.cfgType === VirtioPciCfgType.NOTIFY_CFG && !c.reserved);
  return eachNotification(
    session,
    (epoch, n) => {
      if (n.structure !== 'notify') return notApplicable('legacy notifications go to the queue_notify register');
      if (!cap || cap.notifyOffMultiplier === undefined) return notApplicable('the notification capability was not read');
      if (negotiated(epoch, FeatureBit.NOTIF_CONFIG_DATA)) return notApplicable('with NOTIF_CONFIG_DATA the value does not name the queue');
      const queue = negotiated(epoch, FeatureBit.NOTIFICATION_DATA) ? n.value & VQ_INDEX_MASK : n.value;
      const notifyOff = queueRead(epoch, queue, 'queue_notify_off', n.index);
      if (notifyOff === undefined) return notApplicable(`queue_notify_off of queue ${queue} was not read`);
      const expected = notifyOff * cap.notifyOffMultiplier;
      return n.offset === expected
        ? passed()
        : violation(`queue ${queue} notified at offset ${hex(n.offset)} of the notification structure; queue_notify_off ${notifyOff} × notify_off_multiplier ${cap.notifyOffMultiplier} is ${hex(expected)}`, [n.index]);
    },
    'the driver sent no notification',
  );
}
