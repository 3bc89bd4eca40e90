import type { Observation as PlanObservation } from '@tcpmem/schema';
import type { Observation } from '@tcpmem/plan';
import type { StaleSetting } from './apply-report';

const canonical = (text: string | undefined): string | null => (text === undefined ? null : text.trim().split(/\s+/).join(' '));

/**
 * The settings that differ between what a plan observed on a host and what the host holds now: live values, the
 * entries of tcpmem's own file, and assignments of later sysctl.d files that would override it at boot. Pure;
 * sorted by sysctl, then live, file, override.
 */
export function staleSettings(planned: PlanObservation | undefined, now: Observation): StaleSetting[] {
  const out: StaleSetting[] = [];
  const liveNow = new Map([...now.sysctls].map(([name, values]) => [name, values.join(' ')]));
  const livePlanned = planned?.sysctls ?? {};
  for (const name of new Set([...Object.keys(livePlanned), ...liveNow.keys()])) {
    const a = canonical(livePlanned[name]);
    const b = liveNow.get(name) ?? null;
    if (a !== b) out.push({ sysctl: name, where: 'live', planned: a, now: b });
  }
  const filePlanned = planned?.persisted ?? {};
  const fileNow = new Map([...(now.persisted?.own ?? new Map<string, readonly number[]>())].map(([name, values]) => [name, values.join(' ')]));
  for (const name of new Set([...Object.keys(filePlanned), ...fileNow.keys()])) {
    const a = canonical(filePlanned[name]);
    const b = fileNow.get(name) ?? null;
    if (a !== b) out.push({ sysctl: name, where: 'file', planned: a, now: b });
  }
  // files systemd-sysctl applies after tcpmem's, which would override it at boot
  const overPlanned = planned?.overriding ?? {};
  const overNow = now.persisted?.overriding ?? new Map<string, { readonly values: readonly number[]; readonly file: string }>();
  for (const name of new Set([...Object.keys(overPlanned), ...overNow.keys()])) {
    const a = overPlanned[name];
    const b = overNow.get(name);
    const bText = b === undefined ? null : b.values.join(' ');
    if (a?.file !== b?.file || canonical(a?.value) !== bText) out.push({ sysctl: name, where: 'override', planned: canonical(a?.value), now: bText, file: b?.file ?? a?.file ?? '?' });
  }
  const rank = { live: 0, file: 1, override: 2 } as const;
  return out.sort((x, y) => (x.sysctl === y.sysctl ? rank[x.where] - rank[y.where] : x.sysctl < y.sysctl ? -1 : 1));
}

/** "net.ipv4.tcp_rmem live 4096 131072 6291456 → 4096 87380 6291456; …" for messages. */
export function describeStale(settings: readonly StaleSetting[]): string {
  if (settings.length === 0) return 'its state differs from the plan (fingerprint mismatch)';
  return settings
    .map((s) => `${s.sysctl} (${s.where === 'live' ? 'live value' : s.where === 'file' ? "tcpmem's file" : `set by ${s.file ?? '?'}, which overrides tcpmem's file at boot`}: planned from ${s.planned ?? 'absent'}, now ${s.now ?? 'absent'})`)
    .join('; ');
}
