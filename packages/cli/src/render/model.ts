import { getSysctl, isSysctlName } from '@tcpmem/kernel-model';
import { printable, type ModelReport } from '@tcpmem/schema';
import { readableSize } from './readable-size';
import type { Style } from './style';

/** The unit of a reported value: the registry's for the sysctls tcpmem manages, else from the name. */
function unitOf(name: string): string {
  if (isSysctlName(name)) return getSysctl(name).unit;
  if (name.endsWith('_kbytes')) return 'KiB';
  if (name.endsWith('mem_default') || name.endsWith('mem_max')) return 'bytes';
  return 'count';
}

/** A table of a model report for people: each sysctl with its unit and, for memory, its share of RAM. */
export function renderModel(report: ModelReport, style: Style, ramBytes: number, explain: boolean): string {
  const out: string[] = [];
  const { memory } = report;
  out.push(style.bold(`Kernel ${report.kernel.series}`) + style.dim(` (${printable(report.kernel.release)})`) + ` · ${gib(ramBytes)} RAM · page ${memory.pageSize} B · THP raise ${memory.thp ? 'applied' : 'not applied'}`);
  out.push('');
  const rows = Object.entries(report.sysctls).map(([name, text = '']) => {
    const unit = unitOf(name);
    const values = text.split('\t').map(Number);
    const share = unit !== 'pages' || ramBytes === 0 ? '' : values.map((v) => `${((100 * v * memory.pageSize) / ramBytes).toFixed(2)}%`).join(' / ');
    return [name, values.join(' '), unit, share + uncertainty(report.ranges?.[name]), readableSize(values, unit, memory.pageSize) ?? ''] as const;
  });
  const widths = ([0, 1, 2, 3] as const).map((i) => Math.max(...rows.map((r) => r[i].length), ['sysctl', 'value', 'unit', '% of RAM'][i]!.length));
  out.push(style.dim(`${'sysctl'.padEnd(widths[0]!)}  ${'value'.padEnd(widths[1]!)}  ${'unit'.padEnd(widths[2]!)}  ${'% of RAM'.padEnd(widths[3]!)}  size`));
  for (const [name, value, unit, share, size] of rows) out.push(`${name.padEnd(widths[0]!)}  ${value.padEnd(widths[1]!)}  ${unit.padEnd(widths[2]!)}  ${share.padEnd(widths[3]!)}  ${size}`.trimEnd());
  out.push('');
  out.push(`hash tables: established ${report.hashTables.established}, bind ${report.hashTables.bind}`);
  const profile = report.kernel.buildProfile;
  if (profile !== undefined) {
    const centred = profile.kind === 'estimated' && profile.estimate !== undefined ? `, centred by ${profile.estimate.centre.replace('-', ' ')}: ${centreName(profile.estimate.from)}` : '';
    out.push(`build profile: ${profile.kind} (${profile.id}${profile.learnedFrom === undefined ? '' : `, learned from ${printable(profile.learnedFrom)}`}${centred})${profile.kind === 'estimated' ? ' — ± is the spread of real kernel images; --calibrate makes it exact' : ''}`);
  }
  out.push(`nr_free_buffer_pages ${memory.nr_free_buffer_pages} · nr_kernel_pages ${memory.nr_kernel_pages} · min_free_kbytes ${memory.min_free_kbytes} (from ${memory.source})`);
  if (explain) {
    out.push('', style.bold('Zones at tcp_init() (pages)'));
    out.push(style.dim('node zone      spanned    present    managed   min     low     high    → nr_free_buffer_pages'));
    for (const z of report.zones) {
      out.push(`${String(z.node).padEnd(4)} ${z.zone.padEnd(8)} ${pad(z.spanned, 10)} ${pad(z.present, 10)} ${pad(z.managed, 10)} ${pad(z.min, 7)} ${pad(z.low, 7)} ${pad(z.high, 7)}  ${z.nr_free_buffer_pages}`);
    }
    out.push('', style.bold('Derivation'));
    for (const step of report.explain ?? []) {
      const inputs = Object.entries(step.inputs).map(([k, v]) => `${k}=${String(v)}`).join(', ');
      out.push(`- ${step.step}: ${step.result}`, style.dim(`    ${step.kernelFunction} — ${step.rule}${inputs === '' ? '' : ` [${inputs}]`}`));
    }
  }
  // The report's notes repeat the kernel's (--json keeps both lists): a person reads each note once.
  const notes = new Set([...report.kernel.notes, ...report.notes]);
  if (notes.size > 0) {
    out.push('', style.bold('Notes'));
    for (const note of notes) out.push(`- ${printable(note)}`);
  }
  return out.join('\n');
}

/** `  ±x.xx% (estimated build)` when the model's range for the value is wider than the value itself (an estimated build). */
function uncertainty(range: { readonly low: string; readonly high: string } | undefined): string {
  if (range === undefined || range.low === range.high) return '';
  const low = range.low.split('\t').map(Number);
  const high = range.high.split('\t').map(Number);
  const half = Math.max(...low.map((l, i) => ((high[i] ?? l) - l) / ((high[i] ?? l) + l)));
  return half > 0 ? `  ±${(100 * half).toFixed(2)}% (estimated build)` : '';
}

function gib(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(bytes % 2 ** 30 === 0 ? 0 : 2)} GiB` : `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width);
}

/** The name an estimate's centre was taken from (`ubuntu-5.15-generic: Ubuntu 22.04 …` → `ubuntu-5.15-generic`); its source is in the notes. */
function centreName(from: string): string {
  return from.split(/: | \(/)[0] ?? from;
}
