import fs from 'node:fs';
import { checkSource, formatProblem, type Hardware, type HostFacts } from '@tcpmem/schema';
import { compareVersion, parseKernelRelease, parseSize, supportedSeries } from '@tcpmem/kernel-model';
import { usageError, userError } from '../errors/errors';

/** The ways to describe a host to the kernel model (`tcpmem model`'s flags): a hardware file, fields, captured /proc files. */
export interface HostDescription {
  readonly hardware: string | undefined;
  readonly memory: string | undefined;
  readonly nodes: string | undefined;
  readonly cpus: number | undefined;
  readonly kernel: string | undefined;
  readonly cmdline: string | undefined;
  readonly thp: string | undefined;
  readonly zoneinfo: string | undefined;
  readonly meminfo: string | undefined;
}

/**
 * Builds one Hardware description from a hardware file and/or fields (the fields win), with captured /proc files
 * as facts, and puts it through the schema gate like any config.
 */
export function describeHardware(flags: HostDescription): Hardware {
  let base: Partial<Hardware> = {};
  if (flags.hardware !== undefined) {
    const text = readText(flags.hardware);
    const checked = checkSource(flags.hardware, text);
    if (!checked.ok) throw userError('TCPMEM_INVALID_HARDWARE', checked.problems.map(formatProblem).join('\n'), 'Fix the hardware file (`tcpmem validate` checks it).');
    if (checked.value.kind !== 'hardware') throw userError('TCPMEM_INVALID_HARDWARE', `${flags.hardware} is a "${checked.value.kind}" document, not a hardware file`, 'Pass a file with `kind: hardware`.');
    base = checked.value.hardware;
  }
  const facts: HostFacts = { ...(base.facts ?? {}) };
  if (flags.zoneinfo !== undefined) facts.zoneinfo = readText(flags.zoneinfo);
  if (flags.meminfo !== undefined) facts.meminfo = readText(flags.meminfo);
  const candidate: Record<string, unknown> = { ...base };
  if (flags.memory !== undefined || flags.nodes !== undefined) {
    delete candidate['memory'];
    delete candidate['nodes'];
  }
  if (flags.memory !== undefined) candidate['memory'] = flags.memory;
  if (flags.nodes !== undefined) candidate['nodes'] = flags.nodes.split(',').map((n) => n.trim());
  if (flags.cpus !== undefined) candidate['cpus'] = flags.cpus;
  if (flags.kernel !== undefined) candidate['kernel'] = flags.kernel;
  if (flags.cmdline !== undefined) candidate['cmdline'] = flags.cmdline;
  if (flags.thp !== undefined) candidate['transparentHugepage'] = flags.thp;
  if (Object.keys(facts).length > 0) candidate['facts'] = facts;
  if (candidate['kernel'] === undefined) throw usageError('no kernel given', 'Pass --kernel (a release such as 6.1.0-26-amd64 or a series such as 6.12), or --hardware FILE.');
  if (candidate['memory'] === undefined && candidate['nodes'] === undefined && facts.zoneinfo === undefined && facts.meminfo === undefined) {
    throw usageError('no memory given', 'Pass --memory 8GiB, --nodes 2GiB,6GiB, --hardware FILE, or --zoneinfo/--meminfo captured from the host.');
  }
  const checked = checkSource('(flags)', JSON.stringify({ kind: 'hardware', hardware: candidate }));
  if (!checked.ok) {
    throw usageError(checked.problems.map((p) => `${p.path ?? ''}: ${p.message}`).join('; '), 'Check the flag values: sizes like 8GiB, kernels like 6.1 or 6.1.0-26-amd64.');
  }
  if (checked.value.kind !== 'hardware') throw new Error('the hardware built from the flags is not a hardware document'); // unreachable: it is made with `kind: hardware`
  const hardware = checked.value.hardware;
  checkModelled(hardware, flags.hardware ?? '(flags)');
  return hardware;
}

/**
 * What the model refuses rather than notes: no memory (`--memory 0`, a node of 0 bytes), and a kernel outside
 * the series the model was written against (3.10 to 7.1): `99.1` or `2.6` would otherwise be modelled with the
 * nearest series' facts and exit 0, which reads as an answer.
 */
function checkModelled(hardware: Hardware, source: string): void {
  const sizes = [...(hardware.memory === undefined ? [] : [['memory', hardware.memory] as const]), ...(hardware.nodes ?? []).map((n, i) => [`nodes[${i}]`, typeof n === 'object' ? n.memory : n] as const)];
  for (const [what, size] of sizes) {
    if (parseSize(size) === 0) throw usageError(`${what} is 0 bytes in ${source}: a host has memory`, 'Give the RAM the host has, e.g. --memory 8GiB.');
  }
  const version = parseKernelRelease(hardware.kernel);
  const oldest = supportedSeries[0];
  const newest = supportedSeries[supportedSeries.length - 1];
  if (version !== undefined && (compareVersion(version, oldest) < 0 || compareVersion(version, `${newest}.99999`) > 0)) {
    throw usageError(
      `kernel ${hardware.kernel} in ${source} is outside the series tcpmem models (${oldest} to ${newest})`,
      `Give the release the host runs (\`uname -r\`); to model a newer kernel with the newest facts, pass --kernel ${newest}.`,
    );
  }
}

/** The text of a file given by a flag, or undefined when the flag was not given. */
export function readOptional(file: string | undefined): string | undefined {
  return file === undefined ? undefined : readText(file);
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw userError('TCPMEM_PATH', `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, 'Check the path.');
  }
}
