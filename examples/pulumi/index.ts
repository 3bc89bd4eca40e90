// TCP memory settings as Pulumi resources: two hosts declared here, and a tcpmem config repo (tcpmem/) that the
// `tcpmem` CLI reads too. See README.md for how to run it; docs/pulumi.md for every input and output.
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { HostTcpMemory, TcpMemFleet } from '@tcpmem/pulumi';

const config = new pulumi.Config();
// The deploy user's private key, kept encrypted in the stack: `pulumi config set --secret sshPrivateKey < key`.
const privateKey = config.requireSecret('sshPrivateKey');
const user = config.get('sshUser') ?? 'deploy';

// A database host: absolute sizes, factors of the kernel default, "only ever raise", and the kernel default.
const db1 = new HostTcpMemory('db-1', {
  address: config.require('db1Address'),
  ssh: { user, port: config.getNumber('db1Port') ?? 22 },
  privateKey,
  // Pins the host key (the content of the host's /etc/ssh/ssh_host_ed25519_key.pub).
  hostKey: config.require('db1HostKey'),
  sysctls: {
    'net.ipv4.tcp_rmem': { max: '16MiB' },
    'net.ipv4.tcp_wmem': [4096, '64KiB', '2x'],
    'net.core.somaxconn': { atLeast: 4096 },
    'net.ipv4.tcp_max_syn_backlog': 'default',
  },
});

// A transfer host: buffers sized from a workload, on top of a built-in preset.
const dtn1 = new HostTcpMemory('dtn-1', {
  address: config.require('dtn1Address'),
  ssh: { user, port: config.getNumber('dtn1Port') ?? 22 },
  privateKey,
  hostKey: config.require('dtn1HostKey'),
  presets: ['tcpmem:esnet-10g-100ms'],
  workload: { flowRate: '1Gbit', rtt: '50ms', flows: 8 },
});

// The web tier from the tcpmem config repo: one HostTcpMemory per host of tcpmem/fleet.yaml.
const web = new TcpMemFleet('web', {
  config: path.join(__dirname, 'tcpmem'),
  privateKey,
  hostKeys: config.getObject<Record<string, string>>('webHostKeys') ?? {},
});

export const db1Applied = db1.applied;
export const db1KernelDefaults = db1.kernelDefaults;
export const dtn1Applied = dtn1.applied;
export const dtn1Unavailable = dtn1.unavailable;
export const webApplied = Object.fromEntries(Object.entries(web.hosts).map(([name, host]) => [name, host.applied]));
export const persistedFile = db1.persistedFile;
