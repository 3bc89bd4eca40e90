#!/usr/bin/env node
'use strict';
/**
 * From the harness's hosts.json, writes what each tool needs to configure the same N test hosts:
 *   OUT/fleet.yaml      tcpmem config: the 4 per-namespace settings on every host
 *   OUT/inventory.ini   Ansible inventory: deploy user, key, strict known_hosts, become, python3
 *   OUT/hosts.tsv       name, namespace, address, port, sysctl.d folder (for run.sh's reset and checks)
 *   OUT/expected.tsv    /proc/sys path and the value the kernel reads back after either tool ran
 *
 * Usage: node bench/apply/gen.js STATE_DIR/hosts.json OUT_DIR
 */
const fs = require('node:fs');
const path = require('node:path');

/** The settings both tools apply, as tcpmem config values and as the text the kernel reads back. */
const SETTINGS = [
  { name: 'net.ipv4.tcp_rmem', yaml: '[4096, 131072, 8MiB]', text: '4096 131072 8388608' },
  { name: 'net.ipv4.tcp_wmem', yaml: '[4096, 16384, 8MiB]', text: '4096 16384 8388608' },
  { name: 'net.core.somaxconn', yaml: '8192', text: '8192' },
  { name: 'net.ipv4.tcp_max_syn_backlog', yaml: '4096', text: '4096' },
];

function main(argv) {
  const [hostsJson, out] = argv;
  if (hostsJson === undefined || out === undefined) {
    process.stderr.write('usage: node bench/apply/gen.js STATE_DIR/hosts.json OUT_DIR\n');
    return 64;
  }
  const state = JSON.parse(fs.readFileSync(hostsJson, 'utf8'));
  fs.mkdirSync(out, { recursive: true });

  const fleet = [
    'kind: fleet',
    'defaults:',
    `  ssh: { user: ${state.user}, identityFile: ${state.identityFile}, knownHostsFile: ${state.knownHosts} }`,
    '  sysctls:',
    ...SETTINGS.map((s) => `    ${s.name}: ${s.yaml}`),
    'hosts:',
    ...state.hosts.map((h) => `  ${h.name}: { address: ${h.address}, ssh: { port: ${h.port} } }`),
    '',
  ].join('\n');
  fs.writeFileSync(path.join(out, 'fleet.yaml'), fleet);

  const inventory = [
    '[fleet]',
    ...state.hosts.map((h) => `${h.name} ansible_host=${h.address} ansible_port=${h.port}`),
    '',
    '[fleet:vars]',
    `ansible_user=${state.user}`,
    `ansible_ssh_private_key_file=${state.identityFile}`,
    `ansible_ssh_common_args='-o UserKnownHostsFile=${state.knownHosts} -o StrictHostKeyChecking=yes'`,
    'ansible_become=true',
    'ansible_python_interpreter=/usr/bin/python3',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(out, 'inventory.ini'), inventory);

  fs.writeFileSync(path.join(out, 'hosts.tsv'), state.hosts.map((h) => [h.name, h.namespace, h.address, h.port, h.sysctlDir].join('\t')).join('\n') + '\n');
  // The values run.sh checks after a run: /proc/sys path and the text the kernel reads back (tabs → spaces).
  fs.writeFileSync(path.join(out, 'expected.tsv'), SETTINGS.map((s) => `/proc/sys/${s.name.replace(/\./g, '/')}\t${s.text}`).join('\n') + '\n');
  return 0;
}

process.exitCode = main(process.argv.slice(2));
