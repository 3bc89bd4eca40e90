import fs from 'node:fs';
import { calibrateBuild, CalibrationError, type KernelBuild } from '@tcpmem/kernel-model';
import { checkSource, formatProblem, type FactsDocument } from '@tcpmem/schema';
import { userError } from '../errors/errors';

/**
 * `tcpmem model --calibrate FILE`: learns the kernel build from FILE, a facts file written by `tcpmem discover`
 * (its boot log, zoneinfo and meminfo), or a raw `dmesg` text; `zoneinfo`/`meminfo` are files of that same boot.
 */
export function buildFromCalibrationFile(file: string, sameBoot: { readonly zoneinfo?: string | undefined; readonly meminfo?: string | undefined }): KernelBuild {
  const text = read(file);
  // A tcpmem document names its kind near its top: facts are read as facts, any other kind (a saved plan, a fleet
  // file) is said to be one, instead of being read as a boot log that lacks its `Linux version` line.
  const kind = /^\s*kind:\s*["']?([a-z-]+)|"kind"\s*:\s*"([a-z-]+)"/m.exec(text.slice(0, 4096));
  const isFacts = (kind?.[1] ?? kind?.[2]) === 'facts';
  if (kind !== null && !isFacts) {
    throw userError('TCPMEM_INVALID_FACTS', `${file} is a "${kind[1] ?? kind[2] ?? ''}" document, not facts or a boot log`, 'Pass a facts file written by `tcpmem discover` (facts/HOST.json), or the raw boot log (dmesg) of one boot.');
  }
  let input: Parameters<typeof calibrateBuild>[0];
  if (isFacts) {
    const checked = checkSource(file, text);
    if (!checked.ok) throw userError('TCPMEM_INVALID_FACTS', checked.problems.map(formatProblem).join('\n'), 'Fix the facts file, or pass the raw boot log (dmesg) instead.');
    if (checked.value.kind !== 'facts') throw userError('TCPMEM_INVALID_FACTS', `${file} is a "${checked.value.kind}" document, not facts`, 'Pass a facts file written by `tcpmem discover`, or the raw boot log (dmesg).');
    const doc: FactsDocument = checked.value;
    if (doc.facts.dmesg === undefined)
      throw userError('TCPMEM_CALIBRATE', `${file}: the facts of ${doc.host} hold no boot log (facts.dmesg)`, 'Run `tcpmem discover` again on a host whose boot log is readable (dmesg or journalctl -k -b), or pass a saved dmesg.');
    input = { dmesg: doc.facts.dmesg, zoneinfo: sameBoot.zoneinfo ?? doc.facts.zoneinfo, meminfo: sameBoot.meminfo ?? doc.facts.meminfo, release: doc.facts.release, source: `${doc.host} (${file})` };
  } else {
    input = { dmesg: text, zoneinfo: sameBoot.zoneinfo, meminfo: sameBoot.meminfo, source: file };
  }
  try {
    return calibrateBuild(input);
  } catch (error) {
    if (error instanceof CalibrationError) throw userError('TCPMEM_CALIBRATE', error.message, 'Give the whole boot log of one boot (dmesg from its first line), with /proc/meminfo or /proc/zoneinfo of the same boot.');
    throw error;
  }
}

function read(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw userError('TCPMEM_PATH', `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, 'Check the path.');
  }
}
