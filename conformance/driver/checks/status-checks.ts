/**
 * Device status and the initialisation sequence (VS13 §2.1.1, §2.4.2, §3.1.1, §4.1.4.3.2): reset
 * first, status bits added in order and never cleared, features negotiated between DRIVER and
 * FEATURES_OK, FEATURES_OK re-read, queues set up before DRIVER_OK, nothing after FAILED but a reset,
 * a reset waited for, and no notification before DRIVER_OK.
 */
import { VirtioDeviceStatus } from '../../../generated/ts/virtio/virtio-core.ts';
import { activeEpochs, FeatureBit, isStatus, negotiated, type Epoch } from '../driver-session.ts';
import { firstViolation, notApplicable, passed, statusText, violation, type DriverCheckInput, type DriverFinding } from '../driver-finding.ts';

const { ACKNOWLEDGE, DRIVER, FEATURES_OK, DRIVER_OK, FAILED } = VirtioDeviceStatus;

function nonZeroWrites(epoch: Epoch): Epoch['statusWrites'] {
  return epoch.statusWrites.filter((write) => write.access.value !== 0);
}

/** VIRTIO-DRV-09 step 1: the driver's first status write is a reset. */
export function checkResetFirst({ session }: DriverCheckInput): DriverFinding {
  const first = session.registers.find((r) => isStatus(r) && r.access.op === 'write');
  if (!first) return notApplicable('the driver never wrote device_status');
  if (first.access.value === 0) return passed();
  return violation(`the driver's first device_status write is ${statusText(first.access.value)}, not a reset (0)`, [first.access.index]);
}

/** VIRTIO-DRV-09 steps 2, 3, 5, 8: ACKNOWLEDGE, then DRIVER, then (modern) FEATURES_OK in a write of its own, then DRIVER_OK. */
export function checkStatusOrder({ session }: DriverCheckInput): DriverFinding {
  const findings: DriverFinding[] = [];
  for (const epoch of activeEpochs(session)) {
    let had = 0;
    for (const write of nonZeroWrites(epoch)) {
      const value = write.access.value;
      const added = value & ~had;
      const at = [write.access.index];
      if (added & DRIVER && !(value & ACKNOWLEDGE)) findings.push(violation(`DRIVER set without ACKNOWLEDGE: ${statusText(value)}`, at));
      else if (added & FEATURES_OK && !(had & DRIVER)) findings.push(violation(`FEATURES_OK set before DRIVER: ${statusText(value)}`, at));
      else if (added & DRIVER_OK && !(value & DRIVER)) findings.push(violation(`DRIVER_OK set without DRIVER: ${statusText(value)}`, at));
      else if (added & DRIVER_OK && write.iface === 'modern' && !(had & FEATURES_OK)) {
        findings.push(violation(`DRIVER_OK set ${value & FEATURES_OK ? 'in the same write as' : 'without'} FEATURES_OK, so FEATURES_OK was never re-read before the device went live: ${statusText(value)}`, at));
      } else findings.push(passed());
      had |= value;
    }
  }
  return firstViolation(findings, 'the driver set no status bit');
}

/** VIRTIO-DRV-09 step 4: features read, then accepted while DRIVER is set and before FEATURES_OK (legacy: DRIVER_OK); no device configuration written meanwhile. */
export function checkFeatureNegotiation({ session, trace }: DriverCheckInput): DriverFinding {
  const findings: DriverFinding[] = [];
  for (const epoch of activeEpochs(session)) {
    if (epoch.featureWrites.length === 0) continue;
    const driverAt = nonZeroWrites(epoch).find((w) => (w.access.value & DRIVER) !== 0)?.access.index;
    const closeAt = epoch.iface === 'legacy' ? epoch.driverOkAt : epoch.featuresOkAt;
    const firstRead = [...epoch.offered.values()].reduce<number | undefined>((min, read) => (min === undefined || read.at < min ? read.at : min), undefined);
    for (const write of epoch.featureWrites) {
      const at = write.access.index;
      if (driverAt === undefined || at < driverAt) findings.push(violation(`driver features written before DRIVER was set`, [at]));
      else if (closeAt !== undefined && at > closeAt) findings.push(violation(`driver features written after ${epoch.iface === 'legacy' ? 'DRIVER_OK' : 'FEATURES_OK'}: no feature may be accepted after it`, [closeAt, at]));
      else if (firstRead === undefined || firstRead > at) findings.push(violation('driver features written before the device features were read', [at]));
      else findings.push(passed());
    }
    if (driverAt !== undefined && closeAt !== undefined) {
      const configWrite = trace.accesses.find((a) => a.index > driverAt && a.index < closeAt && a.structure === 'device' && a.op === 'write');
      if (configWrite) findings.push(violation('device configuration written during feature negotiation (between DRIVER and FEATURES_OK)', [configWrite.index]));
    }
  }
  return firstViolation(findings, 'the driver wrote no driver features');
}

/** VIRTIO-DRV-09 step 6: after setting FEATURES_OK the driver reads the status back before going on. */
export function checkFeaturesOkReread({ session }: DriverCheckInput): DriverFinding {
  const findings: DriverFinding[] = [];
  for (const epoch of activeEpochs(session)) {
    const featuresOk = epoch.featuresOkAt;
    if (featuresOk === undefined || epoch.iface === 'legacy') continue;
    const nextWrite = epoch.statusWrites.find((w) => w.access.index > featuresOk)?.access.index ?? Number.POSITIVE_INFINITY;
    const setup = [...epoch.queues.values()].flatMap((q) => q.accesses).filter((r) => r.access.op === 'write' && r.register !== 'queue_select' && r.access.index > featuresOk);
    const firstSetup = setup.reduce((min, r) => Math.min(min, r.access.index), Number.POSITIVE_INFINITY);
    const reread = epoch.statusReads.find((r) => r.access.index > featuresOk && r.access.index < Math.min(nextWrite, firstSetup));
    if (reread) findings.push(passed());
    else {
      const next = Math.min(nextWrite, firstSetup);
      findings.push(violation('FEATURES_OK was not read back before the driver went on', Number.isFinite(next) ? [featuresOk, next] : [featuresOk]));
    }
  }
  return firstViolation(findings, 'the driver never set FEATURES_OK');
}

/** VIRTIO-DRV-09 step 8: a driver that took the device (DRIVER) finishes with DRIVER_OK, unless it gave up (FAILED). */
export function checkReachesDriverOk({ session, boot }: DriverCheckInput): DriverFinding {
  if (boot.noDriver) return notApplicable('the guest kernel has no driver for this device type');
  const taken = activeEpochs(session).filter((epoch) => epoch.statusWrites.some((w) => (w.access.value & DRIVER) !== 0));
  if (taken.length === 0) return notApplicable('no driver took the device (DRIVER never set)');
  const findings = taken.map((epoch): DriverFinding => {
    if (epoch.driverOkAt !== undefined) return passed();
    if (epoch.failedAt !== undefined) return notApplicable('the driver gave up on the device (FAILED)');
    const last = epoch.statusWrites.at(-1)!;
    return violation(`the driver set DRIVER but neither DRIVER_OK nor FAILED (last status written: ${statusText(last.access.value)})`, [last.access.index]);
  });
  return firstViolation(findings, 'no driver took the device');
}

/** VIRTIO-DRV-09 step 7: queues are set up (enabled) before DRIVER_OK, except one re-enabled after a queue reset. */
export function checkQueuesBeforeDriverOk({ session }: DriverCheckInput): DriverFinding {
  const findings: DriverFinding[] = [];
  for (const epoch of activeEpochs(session)) {
    const driverOk = epoch.driverOkAt;
    if (driverOk === undefined) continue;
    for (const queue of epoch.queues.values()) {
      const enables = queue.accesses.filter((r) => r.access.op === 'write' && ((r.register === 'queue_enable' && r.access.value === 1) || (r.register === 'queue_address' && r.access.value !== 0)));
      for (const enable of enables) {
        const afterReset = queue.accesses.some((r) => r.register === 'queue_reset' && r.access.op === 'write' && r.access.value === 1 && r.access.index < enable.access.index);
        if (enable.access.index > driverOk && !(afterReset && negotiated(epoch, FeatureBit.RING_RESET))) {
          findings.push(violation(`queue ${queue.index} enabled after DRIVER_OK`, [driverOk, enable.access.index]));
        } else findings.push(passed());
      }
    }
  }
  return firstViolation(findings, 'no queue was enabled in an initialisation that reached DRIVER_OK');
}

/**
 * VIRTIO-DRV-01: within one initialisation the driver never clears a status bit. Compared with the
 * status as the driver last knew it (its last write, or a read after it): a device that drops
 * FEATURES_OK has cleared that bit itself, and writing FAILED on top of what it read clears nothing.
 */
export function checkNeverClearsBits({ session }: DriverCheckInput): DriverFinding {
  const findings: DriverFinding[] = [];
  for (const epoch of activeEpochs(session)) {
    const accesses = [...epoch.statusWrites, ...epoch.statusReads].sort((a, b) => a.access.index - b.access.index);
    let known: Epoch['statusWrites'][number] | undefined;
    for (const access of accesses) {
      if (access.access.op === 'read') {
        if (known) known = access;
        continue;
      }
      if (access.access.value === 0) continue;
      if (known && (known.access.value & ~access.access.value) !== 0) {
        findings.push(violation(`status went from ${statusText(known.access.value)} to ${statusText(access.access.value)} without a reset`, [known.access.index, access.access.index]));
      } else findings.push(passed());
      known = access;
    }
  }
  return firstViolation(findings, 'the driver set no status bit');
}

/** VIRTIO-DRV-02: after setting FAILED, nothing but a reset. */
export function checkResetAfterFailed({ session }: DriverCheckInput): DriverFinding {
  const failing = session.epochs.filter((epoch) => epoch.failedAt !== undefined);
  if (failing.length === 0) return notApplicable('the driver never set FAILED');
  const findings = failing.map((epoch): DriverFinding => {
    const after = nonZeroWrites(epoch).find((w) => w.access.index > epoch.failedAt! && (w.access.value & ~FAILED & ~epoch.statusWrites.filter((x) => x.access.index <= epoch.failedAt!).reduce((bits, x) => bits | x.access.value, 0)) !== 0);
    return after ? violation(`after FAILED the driver wrote ${statusText(after.access.value)} without resetting first`, [epoch.failedAt!, after.access.index]) : passed();
  });
  return firstViolation(findings, 'the driver never set FAILED');
}

/** PCI-DRV-16 and VIRTIO-DRV-06: after writing 0, the driver reads device_status until it is 0 before initialising again. */
export function checkResetCompletes({ session }: DriverCheckInput): DriverFinding {
  const findings: DriverFinding[] = [];
  const statusAccesses = session.registers.filter(isStatus);
  statusAccesses.forEach((r, i) => {
    if (r.access.op !== 'write' || r.access.value !== 0) return;
    const next = statusAccesses.slice(i + 1).find((x) => x.access.op === 'write');
    if (!next || next.access.value === 0) return;
    const reads = statusAccesses.filter((x) => x.access.op === 'read' && x.access.index > r.access.index && x.access.index < next.access.index);
    if (reads.some((x) => x.access.value === 0)) findings.push(passed());
    else if (reads.length === 0) findings.push(violation(`the driver wrote ${statusText(next.access.value)} after a reset without reading device_status back`, [r.access.index, next.access.index]));
    else findings.push(violation(`the driver went on after a reset although device_status last read ${statusText(reads.at(-1)!.access.value)}`, [r.access.index, reads.at(-1)!.access.index, next.access.index]));
  });
  return firstViolation(findings, 'no reset was followed by a new initialisation');
}

/** VIRTIO-DRV-10: when FEATURES_OK does not stick, the driver does not use the device. */
export function checkFeaturesOkRefused({ session }: DriverCheckInput): DriverFinding {
  const findings: DriverFinding[] = [];
  for (const epoch of session.epochs) {
    const featuresOk = epoch.featuresOkAt;
    if (featuresOk === undefined || epoch.iface === 'legacy') continue;
    const reread = epoch.statusReads.find((r) => r.access.index > featuresOk);
    if (!reread || (reread.access.value & FEATURES_OK) !== 0) continue;
    const use = epoch.driverOkAt ?? epoch.notifications[0]?.index;
    findings.push(use === undefined ? passed() : violation(`FEATURES_OK read back clear (${statusText(reread.access.value)}), yet the driver went on to use the device`, [featuresOk, reread.access.index, use]));
  }
  return firstViolation(findings, 'FEATURES_OK always read back set');
}

/** VIRTIO-DRV-11: no available-buffer notification before DRIVER_OK. */
export function checkNoNotifyBeforeDriverOk({ session }: DriverCheckInput): DriverFinding {
  const findings: DriverFinding[] = [];
  for (const epoch of session.epochs) {
    for (const notification of epoch.notifications) {
      if (epoch.driverOkAt === undefined || notification.index < epoch.driverOkAt) {
        findings.push(violation(`queue notification ${epoch.driverOkAt === undefined ? 'in an initialisation that never set DRIVER_OK' : 'before DRIVER_OK'}`, [notification.index, ...(epoch.driverOkAt === undefined ? [] : [epoch.driverOkAt])]));
      } else findings.push(passed());
    }
  }
  return firstViolation(findings, 'the driver sent no notification');
}
