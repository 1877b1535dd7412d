// Every check doctor runs, by name. Each is a pure function of the collected facts.
import type { Facts } from '../facts';
import type { Finding } from '../findings';
import { checkConstraints, checkFencing, checkIdentity, checkMigration } from './cluster';
import { checkDrbd } from './drbd';
import { checkClock, checkHooks, checkLeases, checkLibvirtDomains, checkLibvirtGuests, checkLockManager, checkUdev, checkXlLint } from './host';

export const CHECKS = {
  cib: (facts: Facts): Finding[] =>
    facts.cib.ok
      ? []
      : [
          {
            severity: 'error',
            check: 'cib',
            subject: 'cluster',
            message: `cannot read the CIB: ${facts.cib.error}`,
            evidence: facts.cib.what,
            fix: ['systemctl status pacemaker corosync; run doctor on a node of a running cluster'],
          },
        ],
  fencing: checkFencing,
  constraints: checkConstraints,
  migration: checkMigration,
  identity: checkIdentity,
  drbd: checkDrbd,
  'libvirt-domains': checkLibvirtDomains,
  'libvirt-guests': checkLibvirtGuests,
  'lock-manager': checkLockManager,
  lease: checkLeases,
  clock: checkClock,
  hooks: checkHooks,
  udev: checkUdev,
  'xl-lint': checkXlLint,
} satisfies Record<string, (facts: Facts) => Finding[]>;

export function runChecks(facts: Facts): Finding[] {
  return Object.values(CHECKS).flatMap((check) => check(facts));
}
