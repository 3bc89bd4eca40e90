#!/usr/bin/env node
// Writes a realistic, offline-plannable tcpmem fleet of N hosts into a folder, deterministically (seeded).
//
//   node bench/plan/generate-fleet.js --hosts 10000 [--out DIR] [--seed 1] [--per-file 1000] [--format yaml|json]
//
// Layout (what `tcpmem plan DIR --offline` reads):
//   DIR/fleet.yaml              kind: fleet — defaults, presets, role/datacenter/rack groups, `include: [hosts/]`
//   DIR/hosts/hosts-00001.yaml  `--per-file` hosts each (a fleet part: only `hosts:`)
//
// What varies, and why: hosts carry their own `hardware` (a few dozen memory sizes × NUMA layouts × kernel
// series 4.19/5.4/5.15/6.1/6.12/6.18, with two releases per series), so the planner's kernel lookup sees a few
// hundred distinct machines, as a real fleet does; desired values use every form (absolute, sizes, `2x`, `6%`,
// `{atLeast}`, presets, a workload group); a few hosts override their groups, have no address (hardware being
// ordered) or take their memory from a group. Addresses are from the documentation ranges only (RFC 5737
// 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, then RFC 3849 2001:db8::/32): nothing here is a real host, and the
// benchmark plans with --offline anyway.
//
// Prints one JSON line on stdout: { dir, hosts, files, bytes, seed }.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** mulberry32: a small, fast, seeded PRNG (same seed → same fleet, on every machine and Node version). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks from `[value, weight]` pairs. */
const weighted = (rand, pairs) => {
  const total = pairs.reduce((s, [, w]) => s + w, 0);
  let x = rand() * total;
  for (const [value, w] of pairs) {
    x -= w;
    if (x < 0) return value;
  }
  return pairs[pairs.length - 1][0];
};
const pick = (rand, list) => list[Math.floor(rand() * list.length)];

// Kernel releases as `uname -r` prints them (two per series, distribution-flavoured), and the THP mode their
// distribution builds in. Weights: a fleet mid-migration from Debian 11/Ubuntu 20.04 to Debian 12/13.
const kernels = [
  { series: '4.19', releases: ['4.19.0-27-amd64', '4.19.0-26-cloud-amd64'], thp: 'always', weight: 4 },
  { series: '5.4', releases: ['5.4.0-182-generic', '5.4.0-200-generic'], thp: 'madvise', weight: 8 },
  { series: '5.15', releases: ['5.15.0-91-generic', '5.15.0-125-generic'], thp: 'madvise', weight: 22 },
  { series: '6.1', releases: ['6.1.0-26-amd64', '6.1.0-28-cloud-amd64'], thp: 'always', weight: 36 },
  { series: '6.12', releases: ['6.12.57-amd64', '6.12.48-cloud-amd64'], thp: 'always', weight: 24 },
  { series: '6.18', releases: ['6.18'], thp: 'madvise', weight: 6 },
];

// Machine shapes by role: memory per host (GiB), NUMA nodes, CPUs. 32 distinct memory sizes in all.
const shapes = {
  frontend: [[[2, 1, 2], 2], [[4, 1, 2], 6], [[4, 1, 4], 4], [[6, 1, 4], 2], [[8, 1, 4], 8], [[8, 1, 8], 3], [[12, 1, 6], 2], [[16, 1, 8], 5], [[24, 1, 12], 1], [[32, 1, 16], 2]],
  cache: [[[24, 1, 8], 1], [[32, 1, 8], 3], [[48, 1, 12], 2], [[64, 1, 16], 4], [[96, 2, 24], 2], [[128, 2, 32], 3], [[192, 2, 48], 1]],
  db: [[[64, 1, 16], 1], [[128, 2, 32], 3], [[192, 2, 48], 3], [[256, 2, 64], 4], [[384, 2, 96], 2], [[512, 4, 128], 2], [[768, 4, 192], 1], [[1024, 4, 256], 1], [[1536, 8, 384], 0.3], [[2048, 8, 448], 0.2]],
  transfer: [[[128, 2, 32], 2], [[256, 2, 64], 3], [[384, 2, 64], 1], [[512, 4, 128], 1]],
  app: [[[1, 1, 1], 1], [[3, 1, 2], 1], [[5, 1, 2], 1], [[7, 1, 4], 1], [[10, 1, 4], 1], [[14, 1, 8], 1], [[16, 1, 8], 4], [[20, 1, 8], 1], [[28, 1, 8], 1], [[32, 1, 16], 4], [[40, 1, 16], 1], [[56, 2, 16], 1], [[64, 2, 32], 3], [[80, 2, 32], 1], [[112, 2, 48], 1], [[160, 2, 64], 1], [[224, 4, 64], 0.5], [[320, 4, 96], 0.5]],
};
const roles = [['frontend', 38], ['cache', 14], ['db', 9], ['transfer', 5], ['app', 34]];
const datacenters = ['ams1', 'fra1', 'iad1', 'sjc1', 'sin1', 'gru1'];
const racksPerDc = 12;

/** A documentation-range address for the i-th host: the three IPv4 TEST-NETs first, then 2001:db8::/32. */
function addressFor(i) {
  const v4 = ['192.0.2', '198.51.100', '203.0.113'];
  if (i < v4.length * 254) return `${v4[Math.floor(i / 254)]}.${(i % 254) + 1}`;
  const j = i - v4.length * 254;
  return `2001:db8:${(Math.floor(j / 65536) + 1).toString(16)}::${(j % 65536).toString(16)}`;
}

/** The memory block of a hardware description: `memory` on one node, else `nodes` split evenly. */
function memoryFields(gib, nodes) {
  if (nodes === 1) return { memory: `${gib}GiB` };
  return { nodes: Array.from({ length: nodes }, () => `${gib / nodes}GiB`) };
}

function fleetFile(name) {
  const groups = {
    frontend: {
      description: 'nginx terminating TLS; many short flows behind the load balancers.',
      sysctls: { 'net.ipv4.tcp_wmem': { max: '8MiB' }, 'net.ipv4.tcp_max_tw_buckets': '2x', 'net.ipv4.tcp_max_syn_backlog': 16384 },
    },
    cache: {
      description: 'memcached; keep TCP memory pressure well below the cache\'s share of RAM.',
      hardware: { memory: '32GiB', cpus: 8 },
      sysctls: { 'net.ipv4.tcp_mem': { low: '3%', pressure: '4%', high: '6%' } },
    },
    db: {
      description: 'PostgreSQL primaries and replicas: few, long-lived connections.',
      presets: ['db-replication'],
      sysctls: { 'net.ipv4.tcp_mem': { pressure: '5%', high: '8%' }, 'net.ipv4.tcp_max_orphans': { atLeast: 65536 } },
    },
    transfer: {
      description: 'Data transfer nodes: 8 concurrent flows of 10 Gbit/s over 100 ms paths, sized from the bandwidth-delay product.',
      workload: { flowRate: '10Gbit', rtt: '100ms', flows: 8 },
      sysctls: { 'net.core.rmem_max': '256MiB', 'net.core.wmem_max': '256MiB' },
    },
    app: { description: 'Application servers; the fleet defaults are enough.' },
    wan: { description: 'Serves clients across the WAN; ESnet\'s 10G/100ms tuning.', presets: ['tcpmem:esnet-10g-100ms'] },
    legacy: { description: 'Hosts still on 4.x kernels; never lower what operators raised by hand.', sysctls: { 'net.ipv4.tcp_max_orphans': { atLeast: 65536 } } },
  };
  datacenters.forEach((dc, d) => {
    groups[`dc-${dc}`] = { description: `Hosts in ${dc}, reached through its bastion.`, ssh: { jumpHost: `ops@192.0.2.${240 + d}:22` } };
    for (let r = 1; r <= racksPerDc; r += 1) {
      groups[`rack-${dc}-${String(r).padStart(2, '0')}`] = { description: `Rack ${r} in ${dc}.`, ...(r % 4 === 0 ? { ssh: { port: 2222 } } : {}) };
    }
  });
  return {
    kind: 'fleet',
    version: 1,
    name,
    include: ['hosts/'],
    defaults: {
      ssh: { user: 'deploy', identityFile: '~/.ssh/tcpmem_ed25519', sudo: true, hostKeyPolicy: 'strict', connectTimeout: '5s' },
      hardware: { kernel: '6.1.0-26-amd64', memory: '8GiB', cpus: 4, transparentHugepage: 'always' },
      sysctls: {
        'net.ipv4.tcp_rmem': { max: '2x' },
        'net.ipv4.tcp_wmem': { max: '16MiB' },
        'net.core.somaxconn': { atLeast: 4096 },
        'net.ipv4.tcp_mem': { pressure: '6%' },
      },
    },
    presets: {
      'db-replication': {
        description: 'Streaming replication across regions: 16 MiB socket buffers.',
        source: 'DBA runbook DB-114 (replication lag at 70 ms RTT), measured 2024-11',
        sysctls: { 'net.core.rmem_max': '16MiB', 'net.core.wmem_max': '16MiB', 'net.ipv4.tcp_rmem': [4096, 131072, '16MiB'] },
      },
    },
    groups,
  };
}

/** One host entry: its groups, address, hardware and (rarely) its own overrides. */
function hostEntry(rand, i) {
  const role = weighted(rand, roles);
  const dc = datacenters[Math.floor(rand() * datacenters.length)];
  const rack = `rack-${dc}-${String(1 + Math.floor(rand() * racksPerDc)).padStart(2, '0')}`;
  let kernel = weighted(rand, kernels.map((k) => [k, k.weight]));
  if (role === 'transfer' && (kernel.series === '4.19' || kernel.series === '5.4')) kernel = kernels[4];
  const release = pick(rand, kernel.releases);
  const [gib, nodes, cpus] = weighted(rand, shapes[role]);
  const groups = [role, `dc-${dc}`, rack];
  if ((role === 'frontend' || role === 'app') && rand() < 0.15) groups.push('wan');
  if (kernel.series === '4.19') groups.push('legacy');

  const host = {};
  const x = rand();
  if (x >= 0.01) host.address = addressFor(i); // 1%: hardware being ordered, planned from its description only
  host.groups = groups;
  if (role === 'cache' && rand() < 0.3) {
    host.hardware = { kernel: release }; // memory and cpus from the cache group
  } else {
    host.hardware = { kernel: release, ...memoryFields(gib, nodes), cpus, transparentHugepage: kernel.thp };
    if (rand() < 0.05) host.hardware.initrd = pick(rand, ['32MiB', '48MiB', '64MiB']);
  }
  const y = rand();
  if (y < 0.02) host.sysctls = { 'net.ipv4.tcp_max_syn_backlog': 32768, 'net.core.somaxconn': { atLeast: 16384 } };
  else if (y < 0.03) host.sysctls = { 'net.ipv4.tcp_wmem': [4096, '64KiB', '32MiB'] };
  else if (y < 0.035) host.sysctls = { 'net.ipv4.tcp_mem': '1.5x' };
  else if (y < 0.04 && role === 'app' && !groups.includes('wan') && gib >= 32) host.workload = { flowRate: '1Gbit', rtt: '40ms', flows: 16 };
  if (rand() < 0.02) host.ssh = { user: 'admin' };
  return { name: `${role}-${dc}-${String(i + 1).padStart(6, '0')}`, host, comment: y < 0.02 ? 'raised by hand for a traffic peak (INC-4521)' : undefined };
}

// --- a small YAML writer for exactly these shapes (plain scalars only where YAML would read them back as the
// same string; flow style for short collections, as people write host lists).
const plainOk = (s) => /^[A-Za-z0-9_./~@:+-][A-Za-z0-9_./~@:+ -]*$/.test(s) && !/^(true|false|null|yes|no|on|off|~)$/i.test(s) && !/: /.test(s) && !/^[0-9.+-]+$/.test(s) && !s.endsWith(':');
const scalar = (v) => (typeof v === 'string' ? (plainOk(v) ? v : JSON.stringify(v)) : String(v));
function flow(v) {
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
  if (v !== null && typeof v === 'object') return `{ ${Object.entries(v).map(([k, x]) => `${scalar(k)}: ${flow(x)}`).join(', ')} }`;
  return scalar(v);
}
function block(v, indent) {
  const pad = ' '.repeat(indent);
  const lines = [];
  for (const [k, x] of Object.entries(v)) {
    if (x !== null && typeof x === 'object' && !Array.isArray(x) && flow(x).length > 100) {
      lines.push(`${pad}${scalar(k)}:`, block(x, indent + 2));
    } else {
      lines.push(`${pad}${scalar(k)}: ${flow(x)}`);
    }
  }
  return lines.join('\n');
}

function hostsYaml(entries) {
  const lines = ['kind: fleet', 'hosts:'];
  for (const { name, host, comment } of entries) {
    const one = flow(host);
    if (comment === undefined && one.length <= 160) {
      lines.push(`  ${name}: ${one}`);
    } else {
      if (comment !== undefined) lines.push(`  # ${comment}`);
      lines.push(`  ${name}:`, block(host, 4));
    }
  }
  return `${lines.join('\n')}\n`;
}

function fleetYaml(doc, hosts) {
  const header = [
    `# A generated benchmark fleet of ${hosts} hosts (bench/plan/generate-fleet.js). Documentation addresses only;`,
    '# plan it with --offline.',
  ];
  return `${header.join('\n')}\n${block(doc, 0)}\n`;
}

function generate({ hosts, out, seed, perFile, format }) {
  const rand = prng(seed);
  fs.mkdirSync(path.join(out, 'hosts'), { recursive: true });
  const name = `bench-${hosts}`;
  const doc = fleetFile(name);
  let bytes = 0;
  let files = 0;
  const write = (file, text) => {
    fs.writeFileSync(path.join(out, file), text);
    bytes += Buffer.byteLength(text);
    files += 1;
  };
  write(format === 'json' ? 'fleet.json' : 'fleet.yaml', format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : fleetYaml(doc, hosts));
  for (let start = 0, part = 1; start < hosts; start += perFile, part += 1) {
    const entries = [];
    for (let i = start; i < Math.min(hosts, start + perFile); i += 1) entries.push(hostEntry(rand, i));
    const base = `hosts/hosts-${String(part).padStart(5, '0')}`;
    if (format === 'json') write(`${base}.json`, `${JSON.stringify({ kind: 'fleet', hosts: Object.fromEntries(entries.map((e) => [e.name, e.host])) }, null, 2)}\n`);
    else write(`${base}.yaml`, hostsYaml(entries));
  }
  return { dir: out, hosts, files, bytes, seed, format };
}

function parseArgs(argv) {
  const opts = { hosts: 1000, out: undefined, seed: 1, perFile: 1000, format: 'yaml' };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--hosts') opts.hosts = Number(value);
    else if (flag === '--out') opts.out = value;
    else if (flag === '--seed') opts.seed = Number(value);
    else if (flag === '--per-file') opts.perFile = Number(value);
    else if (flag === '--format') opts.format = value;
    else if (flag === '--help' || flag === '-h') {
      process.stdout.write('usage: generate-fleet.js --hosts N [--out DIR] [--seed S] [--per-file 1000] [--format yaml|json]\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${flag}`);
    i += 1;
  }
  if (!Number.isInteger(opts.hosts) || opts.hosts < 1) throw new Error('--hosts takes a positive integer');
  if (!Number.isInteger(opts.perFile) || opts.perFile < 1) throw new Error('--per-file takes a positive integer');
  if (opts.format !== 'yaml' && opts.format !== 'json') throw new Error('--format is yaml or json');
  opts.out ??= fs.mkdtempSync(path.join(os.tmpdir(), `tcpmem-bench-${opts.hosts}-`));
  return opts;
}

module.exports = { generate, addressFor, prng };

if (require.main === module) {
  try {
    const opts = parseArgs(process.argv.slice(2));
    if (fs.existsSync(path.join(opts.out, 'hosts')) && fs.readdirSync(path.join(opts.out, 'hosts')).length > 0) {
      throw new Error(`${opts.out}/hosts is not empty; give a new or empty folder`);
    }
    process.stdout.write(`${JSON.stringify(generate(opts))}\n`);
  } catch (error) {
    process.stderr.write(`generate-fleet: ${error.message}\n`);
    process.exit(1);
  }
}
