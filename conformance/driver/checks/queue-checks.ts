/**
 * The common configuration as a driver must use it (VS13 §4.1.4.3.2): read-only fields never written,
 * valid queue sizes, a queue configured before it is enabled, queue_enable never written 0, a queue
 * reset waited for, admin queues at the advertised indices.
 */
import { virtioPciCommonCfgLayout } from '../../../generated/ts/virtio/virtio-pci-common-cfg.ts';
import { activeEpochs, FeatureBit, negotiated, type RegisterAccess } from '../driver-session.ts';
import { firstViolation, hex, notApplicable, passed, violation, type DriverCheckInput, type DriverFinding } from '../driver-finding.ts';

const BYTE_BITS = 8;

/** Fields the driver may only read, from the layout's access column. */
const readOnlyFields = virtioPciCommonCfgLayout.fields.filter((field) => field.access === 'RO');

/** PCI-DRV-13: no write touches a read-only field of the common configuration. */
export function checkReadOnlyCommonFields({ session }: DriverCheckInput): DriverFinding {
  const findings: DriverFinding[] = [];
  for (const access of session.scope) {
    if (access.structure !== 'common' || access.op !== 'write') continue;
    const end = access.offset + (access.width ?? 1);
    const hit = readOnlyFields.find((field) => field.offset < end && field.offset + field.bits / BYTE_BITS > access.offset);
    findings.push(hit ? violation(`wrote ${hex(access.value)} to ${hit.specName}, which is read-only for the driver`, [access.index]) : passed());
  }
  return firstViolation(findings, 'the driver wrote nothing to the common configuration');
}

function isPowerOfTwo(value: number): boolean {
  return value > 0 && (value & (value - 1)) === 0;
}

/** PCI-DRV-14: with RING_PACKED no 0 to queue_size; without it only powers of two. */
export function checkQueueSizeWrites({ session }: DriverCheckInput): DriverFinding {
  const findings: DriverFinding[] = [];
  for (const epoch of activeEpochs(session)) {
    const packed = negotiated(epoch, FeatureBit.RING_PACKED);
    for (const queue of epoch.queues.values()) {
      for (const write of queue.accesses.filter((r) => r.register === 'queue_size' && r.access.op === 'write' && r.iface === 'modern')) {
        const value = write.access.value;
        const bad = packed ? value === 0 : !isPowerOfTwo(value);
        findings.push(bad ? violation(`queue ${queue.index}: queue_size ${value} written ${packed ? 'with RING_PACKED negotiated' : 'for a split ring (not a power of two)'}`, [write.access.index]) : passed());
      }
    }
  }
  return firstViolation(findings, 'the driver wrote no queue_size');
}

const ADDRESS_FIELDS = ['queue_desc', 'queue_driver', 'queue_device'] as const;

/** PCI-DRV-15: a queue's addresses are written before queue_enable is set. */
export function checkQueueConfiguredBeforeEnable({ session }: DriverCheckInput): DriverFinding {
  const findings: DriverFinding[] = [];
  for (const epoch of activeEpochs(session)) {
    for (const queue of epoch.queues.values()) {
      for (const enable of queue.accesses.filter((r) => r.register === 'queue_enable' && r.access.op === 'write' && r.access.value === 1)) {
        const written = (field: string, half: 0 | 1): boolean => queue.accesses.some((r) => r.register === field && r.half === half && r.access.op === 'write' && r.access.index < enable.access.index);
        const missing = ADDRESS_FIELDS.flatMap((field) => ([0, 1] as const).filter((half) => !written(field, half)).map((half) => `${field}[${half === 0 ? '31:0' : '63:32'}]`));
        findings.push(missing.length === 0 ? passed() : violation(`queue ${queue.index} enabled before ${missing.join(', ')} ${missing.length === 1 ? 'was' : 'were'} written`, [enable.access.index]));
      }
    }
  }
  return firstViolation(findings, 'the driver enabled no queue through queue_enable');
}

/** PCI-DRV-17: queue_enable is never written 0. */
export function checkNoQueueDisable({ session }: DriverCheckInput): DriverFinding {
  const writes = session.registers.filter((r) => r.register === 'queue_enable' && r.access.op === 'write');
  if (writes.length === 0) return notApplicable('the driver never wrote queue_enable');
  const zero = writes.find((r) => r.access.value === 0);
  return zero ? violation(`wrote 0 to queue_enable of queue ${zero.queue ?? '?'}`, [zero.access.index]) : passed();
}

/** PCI-DRV-18: after writing 1 to queue_reset, the queue is used again only once queue_reset reads 0. */
export function checkQueueResetWaited({ session }: DriverCheckInput): DriverFinding {
  const findings: DriverFinding[] = [];
  for (const epoch of session.epochs) {
    for (const queue of epoch.queues.values()) {
      const resets = queue.accesses.filter((r) => r.register === 'queue_reset' && r.access.op === 'write' && r.access.value === 1);
      for (const reset of resets) {
        const reuse = queue.accesses.find((r) => r.access.index > reset.access.index && r.register === 'queue_enable' && r.access.op === 'write');
        const notify = epoch.notifications.find((n) => n.index > reset.access.index && (n.value & 0xffff) === queue.index);
        const next = Math.min(reuse?.access.index ?? Number.POSITIVE_INFINITY, notify?.index ?? Number.POSITIVE_INFINITY);
        if (!Number.isFinite(next)) continue;
        const done = queue.accesses.some((r) => r.register === 'queue_reset' && r.access.op === 'read' && r.access.value === 0 && r.access.index > reset.access.index && r.access.index < next);
        findings.push(done ? passed() : violation(`queue ${queue.index} used again after a queue reset before queue_reset read 0`, [reset.access.index, next]));
      }
    }
  }
  return firstViolation(findings, 'the driver reset no queue with queue_reset');
}

/** PCI-DRV-19: with ADMIN_VQ, queues past num_queues that the driver configures are admin queues at the advertised indices. */
export function checkAdminQueueIndices({ session }: DriverCheckInput): DriverFinding {
  const findings: DriverFinding[] = [];
  for (const epoch of activeEpochs(session)) {
    if (!negotiated(epoch, FeatureBit.ADMIN_VQ)) continue;
    const read = (register: string): RegisterAccess | undefined => session.registers.filter((r) => r.register === register && r.access.op === 'read' && r.access.index >= epoch.from && r.access.index <= epoch.to).at(-1);
    const numQueues = read('num_queues')?.access.value;
    const adminIndex = read('admin_queue_index')?.access.value;
    const adminCount = read('admin_queue_num')?.access.value;
    for (const queue of epoch.queues.values()) {
      if (numQueues === undefined || queue.index < numQueues) continue;
      const configured = queue.accesses.find((r) => r.access.op === 'write');
      if (!configured) continue;
      const inside = adminIndex !== undefined && adminCount !== undefined && queue.index >= adminIndex && queue.index < adminIndex + adminCount;
      findings.push(inside ? passed() : violation(`queue ${queue.index} configured past num_queues (${numQueues}) outside the admin queues ${adminIndex ?? '?'}..${adminIndex !== undefined && adminCount !== undefined ? adminIndex + adminCount - 1 : '?'}`, [configured.access.index]));
    }
  }
  return firstViolation(findings, 'ADMIN_VQ was not negotiated, or no queue past num_queues was configured');
}
