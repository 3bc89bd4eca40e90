import { checkWrite, getSysctl, isSysctlName, parseKernelRelease, valuesAfter } from '@tcpmem/kernel-model';
import { persistedFile } from '@tcpmem/plan';
import type { EmitEvent } from '../engine/apply-events';
import type { HostApplyResult } from '../engine/apply-report';
import type { CheckOutcome, Executor, HostTask } from '../engine/executor';
import { fail, resultBuilder } from '../engine/host-result';
import { parseValueText } from '../engine/host-work';

/**
 * The model executor (`--dry-run`): applies each host's plan to the kernel model instead of the host. The host
 * starts as the plan observed it; every live write goes through kernel-model's `checkWrite` (the kernel's
 * acceptance rules for the host's release) and its read-back is the value the kernel would store, so a write
 * the kernel would refuse, or store differently, fails and rolls back exactly as it would over SSH. Nothing is
 * contacted. The result per host is the state the model ends in: live values and tcpmem's file.
 */
export function modelExecutor(): Executor {
  const check = (): Promise<CheckOutcome> => Promise.resolve({ fresh: true });

  const apply = (task: HostTask, emit: EmitEvent): Promise<HostApplyResult> => {
    const started = Date.now();
    const { plan, work } = task;
    const host = plan.name;
    const result = resultBuilder(task, started);
    emit({ type: 'host-started', host, ...(plan.address === undefined ? {} : { address: plan.address }) });
    emit({ type: 'host-read', host, fresh: true });

    const release = plan.observed?.release ?? plan.kernel?.release;
    const version = release === undefined ? undefined : parseKernelRelease(release);
    if (version === undefined) {
      return Promise.resolve(
        fail(emit, result, 'untouched', { stage: 'plan', code: 'TCPMEM_APPLY_NO_KERNEL', message: `the plan does not say which kernel ${host} runs${release === undefined ? '' : ` ("${release}" is not a kernel release)`}, so the model cannot check the writes` }),
      );
    }
    const live = new Map<string, string>();
    for (const [name, text] of Object.entries(plan.observed?.sysctls ?? {})) if (text !== undefined) live.set(name, text.trim().split(/\s+/).join(' '));
    for (const c of plan.changes) if (!live.has(c.sysctl) && c.before !== null) live.set(c.sysctl, c.before.join(' '));

    const old = new Map(work.writes.map((w) => [w.sysctl, live.get(w.sysctl) ?? '']));
    emit({ type: 'host-prepared', host, recorded: work.writes.map((w) => ({ sysctl: w.sysctl, values: parseValueText(old.get(w.sysctl)) ?? [] })) });

    const wrote: string[] = [];
    const verified = new Map<string, readonly number[]>();
    const restored = new Map<string, readonly number[]>();
    const oldValues = new Map(work.writes.map((w) => [w.sysctl, parseValueText(old.get(w.sysctl)) ?? []]));
    const rollback = () => {
      for (const name of [...wrote].reverse()) restored.set(name, oldValues.get(name) ?? []);
    };
    for (const w of work.writes) {
      if (!isSysctlName(w.sysctl)) continue; // host-work only lets registry names through
      if (old.get(w.sysctl) === w.values.join(' ')) {
        verified.set(w.sysctl, w.values);
        continue;
      }
      wrote.push(w.sysctl);
      const outcome = checkWrite(w.sysctl, w.values, version);
      if (!outcome.accepted) {
        rollback();
        const field = outcome.elementIndex === undefined ? '' : ` on element ${outcome.elementIndex} (${getSysctl(w.sysctl).fields[outcome.elementIndex] ?? '?'})`;
        const failure = {
          stage: 'write' as const,
          code: 'TCPMEM_APPLY_KERNEL_REJECTED',
          sysctl: w.sysctl,
          message: `the kernel (${release ?? '?'}, per kernel-model) would refuse ${w.sysctl} = ${w.values.join(' ')} with ${outcome.errno}${field}: ${outcome.reason}`,
        };
        emit({ type: 'host-rolled-back', host, failure, restored: [...restored].map(([sysctl, values]) => ({ sysctl, values })) });
        return Promise.resolve(fail(emit, result, 'rolled-back', failure, { wrote, old: oldValues, verified, restored }));
      }
      const previous = (parseValueText(old.get(w.sysctl)) ?? w.values).map((v) => BigInt(v));
      const after = valuesAfter(previous, outcome);
      const stored = after.map((v) => (v === undefined ? '?' : v.toString())).join(' ');
      if (stored !== w.values.join(' ')) {
        rollback();
        const failure = { stage: 'verify' as const, code: 'TCPMEM_APPLY_VERIFY_MISMATCH', sysctl: w.sysctl, message: `${w.sysctl} was written as ${w.values.join(' ')} but the kernel would store ${stored}` };
        emit({ type: 'host-rolled-back', host, failure, restored: [...restored].map(([sysctl, values]) => ({ sysctl, values })) });
        return Promise.resolve(fail(emit, result, 'rolled-back', failure, { wrote, old: oldValues, verified, restored }));
      }
      verified.set(w.sysctl, after.map(Number));
    }
    const persisted = !work.fileChanged ? undefined : work.fileEntries.length === 0 ? ('removed' as const) : ('written' as const);
    if (wrote.length > 0) emit({ type: 'host-written', host, sysctls: work.writes.filter((w) => wrote.includes(w.sysctl)).map((w) => ({ sysctl: w.sysctl, values: w.values })) });
    if (verified.size > 0) emit({ type: 'host-verified', host, sysctls: [...verified].map(([sysctl, values]) => ({ sysctl, values })) });
    if (persisted !== undefined) emit({ type: 'host-persisted', host, file: persistedFile, action: persisted });
    return Promise.resolve(result.committed({ wrote, old: oldValues, verified, restored, persisted }));
  };

  return { kind: 'model', check, apply };
}
