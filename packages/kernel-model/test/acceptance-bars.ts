import type { BootDefaults } from '../src/tcp-init/compute-boot-defaults';
import { formatSysctlValue } from '../src/tcp-init/format-sysctl-value';
import { parseHashTablesLine } from '../src/hardware/parse-dmesg';
import type { FixtureCase } from './fixture-cases';

/** Hosts whose zoneinfo cannot describe the boot: the checks from captured facts are skipped for them. */
const observedNumbers = (text: string | undefined): number[] => (text ?? '').split(/\s+/).filter(Boolean).map(Number);

function relative(model: number, observed: number): number {
  return observed === 0 ? Math.abs(model) : Math.abs(model - observed) / observed;
}

/** Checks the acceptance bars and returns the failures as readable lines (empty = pass). */
export function failures(c: FixtureCase, fromHardware: BootDefaults, fromFacts: BootDefaults): string[] {
  const out: string[] = [];
  const exact = (name: string, model: number, observed: number | undefined): void => {
    if (observed !== undefined && model !== observed) out.push(`hardware: ${name} ${model} ≠ ${observed}`);
  };
  const within = (label: string, name: string, model: number, observed: number | undefined, bar: number): void => {
    if (observed !== undefined && relative(model, observed) > bar) out.push(`${label}: ${name} ${model} vs ${observed} (${(relative(model, observed) * 100).toFixed(3)}% > ${bar * 100}%)`);
  };
  const s = c.sysctls;
  const hashes = parseHashTablesLine(c.dmesg);
  exact('established', fromHardware.hashTables.established, hashes?.established);
  exact('bind', fromHardware.hashTables.bind, hashes?.bind);
  for (const name of ['net.ipv4.tcp_max_tw_buckets', 'net.ipv4.tcp_max_orphans', 'net.ipv4.tcp_max_syn_backlog', 'net.core.somaxconn', 'net.ipv4.tcp_limit_output_bytes']) {
    const model = fromHardware.sysctls[name];
    if (s[name] !== undefined && model !== undefined) exact(name, Number(formatSysctlValue(model)), Number(s[name]));
  }
  for (const name of ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']) {
    const model = fromHardware.sysctls[name];
    const observed = observedNumbers(s[name]);
    if (typeof model !== 'object') continue;
    exact(`${name}[0]`, model[0], observed[0]);
    exact(`${name}[1]`, model[1], observed[1]);
    within('hardware', `${name}[2]`, model[2], observed[2], 0.005);
    const fact = fromFacts.sysctls[name];
    if (typeof fact === 'object') within('facts', `${name}[2]`, fact[2], observed[2], 0.001);
  }
  for (const name of ['net.ipv4.tcp_mem', 'net.ipv4.udp_mem']) {
    const model = fromHardware.sysctls[name];
    const observed = observedNumbers(s[name]);
    if (typeof model !== 'object') continue;
    model.forEach((v, i) => within('hardware', `${name}[${i}]`, v, observed[i], 0.005));
    const fact = fromFacts.sysctls[name];
    if (name === 'net.ipv4.tcp_mem' && typeof fact === 'object') fact.forEach((v, i) => within('facts', `${name}[${i}]`, v, observed[i], 0.001));
  }
  within('hardware', 'vm.min_free_kbytes', fromHardware.memory.min_free_kbytes, s['vm.min_free_kbytes'] === undefined ? undefined : Number(s['vm.min_free_kbytes']), 0.02);
  return out;
}

