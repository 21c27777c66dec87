/**
 * MSI-X vector configuration and interrupts (VS13 §4.1.4.5.2, §4.1.5.1.2.2): any table size works,
 * no vector outside the table, every mapping read back, no ISR read while MSI-X is enabled.
 */
import { VIRTIO_MSI_NO_VECTOR } from '../../../generated/ts/virtio/virtio-pci-constants.ts';
import { VirtioDeviceStatus } from '../../../generated/ts/virtio/virtio-core.ts';
import { activeEpochs, type RegisterAccess } from '../driver-session.ts';
import { firstViolation, notApplicable, passed, violation, type DriverCheckInput, type DriverFinding } from '../driver-finding.ts';

const VECTOR_REGISTERS = new Set(['config_msix_vector', 'queue_msix_vector']);

function vectorWrites(registers: readonly RegisterAccess[]): RegisterAccess[] {
  return registers.filter((r) => VECTOR_REGISTERS.has(r.register) && r.access.op === 'write');
}

function describe(r: RegisterAccess): string {
  return r.register === 'queue_msix_vector' ? `queue ${r.queue ?? '?'}'s queue_msix_vector` : 'config_msix_vector';
}

/** PCI-DRV-30: every vector written (but NO_VECTOR) is an entry of the MSI-X table. */
export function checkVectorsInTable({ session, trace }: DriverCheckInput): DriverFinding {
  const writes = vectorWrites(session.registers).filter((r) => r.access.value !== VIRTIO_MSI_NO_VECTOR);
  if (writes.length === 0) return notApplicable('the driver mapped no vector');
  const msix = trace.device.msix;
  const entries = msix === undefined ? 0 : msix.tableSize + 1;
  return firstViolation(
    writes.map((r) => (r.access.value < entries ? passed() : violation(`${describe(r)} set to vector ${r.access.value}; the MSI-X table has ${entries} entr${entries === 1 ? 'y' : 'ies'}`, [r.access.index]))),
    'the driver mapped no vector',
  );
}

/** PCI-DRV-31: each mapping is read back (same register, same queue) before another vector is written. */
export function checkVectorsReadBack({ session }: DriverCheckInput): DriverFinding {
  const relevant = session.registers.filter((r) => VECTOR_REGISTERS.has(r.register) || r.register === 'queue_select');
  const findings: DriverFinding[] = [];
  relevant.forEach((r, i) => {
    if (!VECTOR_REGISTERS.has(r.register) || r.access.op !== 'write' || r.access.value === VIRTIO_MSI_NO_VECTOR) return;
    let verified = false;
    let queue = r.queue;
    for (const next of relevant.slice(i + 1)) {
      if (next.register === 'queue_select' && next.access.op === 'write') {
        queue = next.access.value;
        continue;
      }
      if (next.register === r.register && next.access.op === 'read' && (r.register === 'config_msix_vector' || queue === r.queue)) {
        verified = true;
        break;
      }
      if (VECTOR_REGISTERS.has(next.register) && next.access.op === 'write') break;
    }
    findings.push(verified ? passed() : violation(`${describe(r)} set to ${r.access.value} and not read back before the next mapping`, [r.access.index]));
  });
  return firstViolation(findings, 'the driver mapped no vector');
}

/** PCI-DRV-27: the driver works with whatever MSI-X table the device has (it reaches DRIVER_OK). */
export function checkAnyTableSize({ session, trace, boot }: DriverCheckInput): DriverFinding {
  if (boot.noDriver) return notApplicable('the guest kernel has no driver for this device type');
  const taken = activeEpochs(session).filter((epoch) => epoch.statusWrites.some((w) => (w.access.value & VirtioDeviceStatus.DRIVER) !== 0));
  if (taken.length === 0) return notApplicable('no driver took the device');
  const size = trace.device.msix === undefined ? 'no MSI-X capability the trace shows' : `MSI-X Table Size ${trace.device.msix.tableSize} (${trace.device.msix.tableSize + 1} vectors)`;
  const ok = taken.find((epoch) => epoch.driverOkAt !== undefined);
  if (ok) return passed(`driven to DRIVER_OK with ${size}`);
  // A driver that gave up (FAILED) did so for a reason of its own, which the table size need not be.
  if (taken.some((epoch) => epoch.failedAt !== undefined)) return notApplicable('the driver gave up on the device (FAILED) before it was live');
  const last = taken.at(-1)!.statusWrites.at(-1)!;
  return violation(`the driver did not get the device to DRIVER_OK with ${size}`, [last.access.index]);
}

/**
 * PCI-DRV-20: while MSI-X is enabled the driver does not read the ISR on a queue interrupt (a SHOULD
 * NOT). A read counts when it is the driver's first access after an interrupt the device sent: that
 * is the handler reading it. A read with no interrupt before it is something else (Linux reads the
 * legacy ISR to flush a vector write when it tears a queue down), which the statement does not cover.
 */
export function checkNoIsrReadWithMsix({ session, trace }: DriverCheckInput): DriverFinding {
  const isrReads = session.scope.filter((a) => a.op === 'read' && (a.structure === 'isr' || (a.structure === 'legacy' && session.registers.some((r) => r.access === a && r.register === 'isr_status'))));
  const enabledEver = session.scope.some((a) => session.msixEnabledAt(a.index));
  if (!enabledEver) return notApplicable('MSI-X was never enabled');
  if (isrReads.length === 0) return passed('the driver never read the ISR');
  const afterInterrupt = new Set(trace.interrupts.map((interrupt) => interrupt.at));
  return firstViolation(
    isrReads.map((a) => (session.msixEnabledAt(a.index) && afterInterrupt.has(a.index) ? violation('read the ISR status as its first access after an interrupt while MSI-X was enabled', [a.index]) : passed())),
    'the driver never read the ISR',
  );
}
