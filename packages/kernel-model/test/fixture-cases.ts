// Reads the captured boots under fixtures/ (test code only: src/ stays free of I/O) and turns each into the
// hardware description the model takes, plus the observed sysctls.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hardware } from '@tcpmem/schema';
import type { BootAssumptions } from '../src/hardware/normalize-hardware';

export interface FixtureCase {
  readonly id: string;
  readonly dir: string;
  /** What QEMU (or the host) was given: memory per node, CPUs, release, command line. */
  readonly hardware: Hardware;
  /** The same machine described by its captured /proc/zoneinfo (plus release, cmdline, meminfo, THP mode). */
  readonly facts: Hardware;
  readonly assumptions: BootAssumptions;
  readonly sysctls: Readonly<Record<string, string>>;
  readonly dmesg: string;
}

interface CaseJson {
  kernel: { release: string; arch?: string };
  qemu?: { machine?: string; cpu?: string; smp: number; nodesMiB: number[]; argv?: string[]; initrdBytes?: number };
  host?: { cpus: number; nodesMiB: number[] };
  cmdline?: string;
}

const read = (dir: string, file: string): string | undefined => (existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8') : undefined);

function appendOf(c: CaseJson, dir: string): string {
  const argv = c.qemu?.argv ?? [];
  const i = argv.indexOf('-append');
  return (i >= 0 ? argv[i + 1] : undefined) ?? read(dir, 'cmdline')?.trim() ?? '';
}

/** One captured boot: the folder `root/id` written by tools/qemu/capture.sh (or capture-host.sh). */
export function loadCase(root: string, id: string): FixtureCase {
  const dir = join(root, id);
  const c = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as CaseJson;
  const dmesg = read(dir, 'dmesg.txt') ?? '';
  const nodesMiB = c.qemu?.nodesMiB ?? c.host?.nodesMiB ?? [];
  const cpus = c.qemu?.smp ?? c.host?.cpus ?? 1;
  const cmdline = appendOf(c, dir);
  const release = c.kernel.release;
  const nodes = nodesMiB.map((n) => `${n}MiB`);
  // The hardware as whoever set up the VM knows it: memory per node, CPUs, boot parameters, the machine type.
  // The initramfs size is given when case.json records it (captures since the arm64 ones); otherwise the model's
  // default (a minimal initramfs, 1 MiB like the x86 capture image) stands in for it.
  const arm64 = c.kernel.arch === 'arm64';
  const platform = arm64 ? 'qemu-virt' : c.qemu?.machine === 'q35' ? 'qemu-q35' : 'qemu-pc';
  const arch = arm64 ? 'aarch64' : 'x86_64';
  const fiveLevelPaging = !arm64 && c.qemu?.cpu === 'max';
  const initrd = c.qemu?.initrdBytes === undefined ? {} : { initrd: c.qemu.initrdBytes };
  const hardware: Hardware = { kernel: release, arch, cpus, cmdline, platform, fiveLevelPaging, ...initrd, ...(nodes.length === 1 ? { memory: nodes[0] ?? '0' } : { nodes: [nodes[0] ?? '0', ...nodes.slice(1)] }) };
  const thp = read(dir, 'thp_enabled');
  const facts: Hardware = {
    kernel: release,
    arch,
    cpus,
    platform,
    fiveLevelPaging,
    facts: {
      ...(dmesg === '' ? {} : { dmesg }),
      release,
      cmdline: read(dir, 'cmdline') ?? cmdline,
      zoneinfo: read(dir, 'zoneinfo') ?? '',
      ...(read(dir, 'meminfo') !== undefined ? { meminfo: read(dir, 'meminfo') ?? '' } : {}),
      ...(thp !== undefined ? { thpEnabled: thp } : {}),
    },
  };
  const assumptions: BootAssumptions = {};
  const sysctls = JSON.parse(readFileSync(join(dir, 'sysctls.json'), 'utf8')) as Record<string, string>;
  return { id, dir, hardware, facts, assumptions, sysctls, dmesg };
}

/** Every fixture folder with a case.json under fixtures/qemu and fixtures/host. */
export function loadFixtureCases(): FixtureCase[] {
  const base = join(__dirname, '..', 'fixtures');
  const cases: FixtureCase[] = [];
  for (const kind of ['qemu', 'host']) {
    const root = join(base, kind);
    if (!existsSync(root)) continue;
    for (const id of readdirSync(root).sort()) {
      if (existsSync(join(root, id, 'case.json')) && existsSync(join(root, id, 'sysctls.json'))) cases.push(loadCase(root, id));
    }
  }
  return cases;
}
