import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { computeBootDefaults } from '../../src/tcp-init/compute-boot-defaults';
import { failures } from '../acceptance-bars';
import { loadCase } from '../fixture-cases';

/**
 * Boots real Debian kernels under QEMU in the test run itself (tools/qemu/capture.sh: the kernel package is
 * fetched with apt-get download), on hardware that is not among the committed fixtures, and checks the model
 * against what each kernel printed — from the hardware alone and from its /proc/zoneinfo.
 */
const capture = path.resolve(__dirname, '../../../../tools/qemu/capture.sh');

const boots = [
  { id: 'ci-v61-cloud-384m-2cpu', args: ['--series', '6.1', '--flavor', 'cloud-amd64', '--mem', '384', '--cpus', '2'] },
  { id: 'ci-v612-generic-1536m+512m-thp-never', args: ['--series', '6.12', '--flavor', 'amd64', '--mem', '1536,512', '--cpus', '2', '--cmdline', 'transparent_hugepage=never'] },
];

describe('the model against kernels booted now under QEMU', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-boot-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(boots)('$id: matches the boot within the acceptance bars', ({ id, args }) => {
    execFileSync('bash', [capture, '--id', id, ...args, '--out', path.join(dir, id)], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 900_000 });
    const c = loadCase(dir, id);
    expect(c.sysctls['net.ipv4.tcp_mem']).toMatch(/^\d+\t\d+\t\d+$/);
    expect(failures(c, computeBootDefaults(c.hardware, c.assumptions), computeBootDefaults(c.facts, c.assumptions))).toEqual([]);
  }, 900_000);
});
