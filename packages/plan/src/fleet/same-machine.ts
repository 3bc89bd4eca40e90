import { problem, type HostPlan } from '@tcpmem/schema';
import { childPointer, type FleetModel } from './fleet-model';

/**
 * Warns on each planned host that is reached the way an earlier one is (the same address, SSH port and jump host):
 * two entries for one machine — a host copied and not edited, an address mistyped. Each would plan and apply its
 * own settings to the same /proc/sys and the same file, so the one applied last wins and the next plan shows the
 * other's as drift, for ever. `plans[i]` is the plan of `fleet.hosts[indexes[i]]`; the warning is added to the later
 * host's problems, placed at its `address`.
 */
export function warnSameMachine(fleet: FleetModel, indexes: readonly number[], plans: readonly HostPlan[]): void {
  const first = new Map<string, HostPlan>();
  plans.forEach((plan, i) => {
    if (plan.address === undefined) return;
    const port = plan.ssh?.port ?? 22;
    const jump = plan.ssh?.jumpHost;
    const key = `${jump ?? ''}\0${plan.address.toLowerCase()}\0${port}`;
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, plan);
      return;
    }
    const host = fleet.hosts[indexes[i] as number];
    if (host === undefined) return;
    const where = `${plan.address} port ${port}${jump === undefined ? '' : ` through ${jump}`}`;
    plan.problems.push(
      problem('TCPMEM_SAME_MACHINE', `${plan.name} is reached as ${earlier.name} is (${where}): two entries for one machine, each applying its own settings over the other's`, {
        severity: 'warning',
        file: host.origin.file,
        path: host.value.address === undefined ? host.origin.pointer : childPointer(host.origin.pointer, 'address'),
        hint: `Give each machine one host entry (put ${plan.name}'s groups on ${earlier.name}), or correct the address.`,
      }),
    );
  });
}
