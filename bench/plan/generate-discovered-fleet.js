#!/usr/bin/env node
// Writes a fleet as `tcpmem discover` leaves it: every host has its own facts file, and no two are alike.
//
//   node bench/plan/generate-discovered-fleet.js --hosts 10000 [--out DIR] [--seed 1] [--per-file 1000]
//
// Layout (what `tcpmem plan DIR/fleet.yaml --offline` reads):
//   DIR/fleet.yaml              kind: fleet — 3 desired sysctls in `defaults`, `include: [hosts/]`
//   DIR/hosts/hosts-00001.yaml  `--per-file` hosts each: name and a documentation-range address, nothing else
//   DIR/facts/HOST.json         kind: facts, one per host, as discover writes it (2-space JSON)
//
// The facts are real captures (packages/kernel-model/fixtures/qemu/*/: version, cmdline, meminfo, per-node meminfo,
// zoneinfo, dmesg.txt, sysctls.json, thp_enabled; 6.1 and 6.12, 128 MiB to 16 GiB, 1 to 4 NUMA nodes), varied per
// host the way live hosts differ: the free/cached/active page counts in meminfo, node meminfo and zoneinfo, the
// boot log's timestamps, the command line's root file system (`root=UUID=`, also in the boot log), the CPU count (1 to 64) and the live values of a few sysctls that move at runtime. What the
// kernel computed at boot (MemTotal, managed/present pages, min/low/high watermarks, the hash table line) stays
// as captured, so every plan is exact and valid. Sizes: about 20–30 KB a host, most of it the boot log.
//
// Prints one JSON line on stdout: { dir, hosts, files, bytes, factsBytes, seed }.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { addressFor, prng } = require('./generate-fleet');

const fixtures = path.resolve(__dirname, '../../packages/kernel-model/fixtures/qemu');

/** Every capture that has what discover writes. */
function loadCaptures() {
  const captures = [];
  for (const id of fs.readdirSync(fixtures).sort()) {
    const dir = path.join(fixtures, id);
    const read = (f) => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), 'utf8') : undefined);
    const caseJson = JSON.parse(read('case.json'));
    const sysctls = JSON.parse(read('sysctls.json'));
    const nodes = [];
    for (let n = 0; fs.existsSync(path.join(dir, `node${n}-meminfo`)); n += 1) nodes.push(read(`node${n}-meminfo`));
    const dmesg = read('dmesg.txt');
    const hash = dmesg?.split('\n').find((l) => /TCP: Hash tables configured/.test(l));
    captures.push({
      id,
      release: caseJson.kernel.release,
      version: read('version')?.trim(),
      cmdline: read('cmdline')?.trim(),
      meminfo: read('meminfo'),
      zoneinfo: read('zoneinfo'),
      nodes,
      thp: read('thp_enabled')?.trim(),
      dmesg,
      hashTablesLine: hash?.replace(/^\[[^\]]*\]\s*/, '').trim(),
      sysctls,
      cpus: caseJson.observed?.processors ?? caseJson.qemu.smp,
    });
  }
  return captures;
}

// meminfo / node meminfo lines whose numbers move on a running host (MemTotal and the boot-time sizes do not).
const movingMeminfo = /^((?:Node \d+ )?(?:MemFree|MemAvailable|MemUsed|Buffers|Cached|Active|Inactive|Active\(anon\)|Inactive\(anon\)|Active\(file\)|Inactive\(file\)|AnonPages|Mapped|Shmem|KReclaimable|Slab|SReclaimable|SUnreclaim|KernelStack|PageTables|Committed_AS|Dirty|FilePages):\s+)(\d+)/gm;
// zoneinfo counters that move (free pages, per-node stats); `min`, `low`, `high`, `spanned`, `present`, `managed` do not.
const movingZoneinfo = /^(\s+(?:pages free|nr_free_pages|nr_zone_inactive_anon|nr_zone_active_anon|nr_zone_inactive_file|nr_zone_active_file|nr_inactive_anon|nr_active_anon|nr_inactive_file|nr_active_file|nr_slab_reclaimable|nr_slab_unreclaimable|nr_anon_pages|nr_mapped|nr_file_pages|nr_kernel_stack|nr_page_table_pages|nr_bounce|nr_free_cma|nr_dirtied|nr_written|numa_hit|numa_local|pgalloc_normal|pgfree)\s+)(\d+)/gm;

/** A number moved by up to ±`spread` of itself (never negative), deterministically from `rand`. */
const jitter = (rand, n, spread) => Math.max(0, Math.round(n * (1 + (rand() * 2 - 1) * spread)));

function vary(rand, text, pattern, spread) {
  return text.replace(pattern, (_, head, n) => `${head}${jitter(rand, Number(n), spread)}`);
}

/** The boot log with every timestamp scaled by one per-host factor (boots differ in speed), as dmesg prints them. */
function varyDmesg(rand, text) {
  const factor = 0.7 + rand() * 0.6;
  return text.replace(/^\[\s*(\d+\.\d+)\]/gm, (_, t) => `[${(Number(t) * factor).toFixed(6).padStart(12)}]`);
}

/**
 * The command line a host boots with from its own disk: the image and its root file system, whose UUID differs host
 * to host, before the capture's own (QEMU booted the captures directly, with no root file system to name).
 */
function cmdlineFor(rand, capture) {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return `BOOT_IMAGE=/boot/vmlinuz-${capture.release} root=UUID=${uuid} ro${capture.cmdline === undefined ? '' : ` ${capture.cmdline}`}`;
}

/** The boot log with its command line lines (`Command line:`, `Kernel command line:`) saying `cmdline`. */
function withCmdline(dmesg, cmdline) {
  return dmesg.replace(/^(\[[^\]]*\] (?:Kernel c|C)ommand line: ).*$/gm, (_, head) => `${head}${cmdline}`);
}

function factsFor(rand, capture, host, i) {
  const cmdline = cmdlineFor(rand, capture);
  const sysctls = { ...capture.sysctls };
  for (const name of ['net.ipv4.tcp_max_orphans', 'net.core.somaxconn', 'net.ipv4.tcp_max_syn_backlog']) {
    if (sysctls[name] !== undefined && rand() < 0.3) sysctls[name] = String(jitter(rand, Number(sysctls[name]), 0.5));
  }
  if (sysctls['net.ipv4.tcp_rmem'] !== undefined && rand() < 0.2) sysctls['net.ipv4.tcp_rmem'] = '4096 131072 6291456';
  const facts = {
    release: capture.release,
    ...(capture.version === undefined ? {} : { version: capture.version }),
    cmdline,
    meminfo: vary(rand, capture.meminfo, movingMeminfo, 0.4),
    zoneinfo: vary(rand, capture.zoneinfo, movingZoneinfo, 0.4),
    ...(capture.nodes.length > 0 ? { nodeMeminfo: capture.nodes.map((t) => vary(rand, t, movingMeminfo, 0.4)) } : {}),
    cpus: capture.cpus * [1, 1, 2, 4, 8, 16, 32][Math.floor(rand() * 7)],
    pageSize: 4096,
    ...(capture.thp === undefined ? {} : { thpEnabled: capture.thp }),
    ...(sysctls['vm.min_free_kbytes'] === undefined ? {} : { minFreeKbytes: Number(sysctls['vm.min_free_kbytes']) }),
    ...(capture.hashTablesLine === undefined ? {} : { hashTablesLine: capture.hashTablesLine }),
    sysctls,
    ...(capture.dmesg === undefined ? {} : { dmesg: varyDmesg(rand, withCmdline(capture.dmesg, cmdline)) }),
  };
  const captured = new Date(Date.UTC(2026, 10, 20) + i * 997).toISOString();
  return { kind: 'facts', version: 1, host, capturedAt: captured, facts };
}

const fleetYaml = `# A discovered fleet: every host has facts/HOST.json (generated by bench/plan/generate-discovered-fleet.js).
kind: fleet
version: 1
name: discovered
include:
  - hosts/
defaults:
  ssh:
    user: deploy
  sysctls:
    net.ipv4.tcp_rmem: { max: 16MiB }
    net.ipv4.tcp_wmem: { max: 16MiB }
    net.core.somaxconn: 8192
`;

function generate({ hosts, out, seed, perFile }) {
  const captures = loadCaptures();
  const rand = prng(seed);
  fs.mkdirSync(path.join(out, 'hosts'), { recursive: true });
  fs.mkdirSync(path.join(out, 'facts'), { recursive: true });
  fs.writeFileSync(path.join(out, 'fleet.yaml'), fleetYaml);
  let bytes = fleetYaml.length;
  let factsBytes = 0;
  let files = 1;
  for (let start = 0; start < hosts; start += perFile) {
    const lines = ['kind: fleet', 'hosts:'];
    for (let i = start; i < Math.min(hosts, start + perFile); i += 1) {
      const name = `host-${String(i + 1).padStart(6, '0')}`;
      lines.push(`  ${name}:`, `    address: "${addressFor(i)}"`);
      const text = `${JSON.stringify(factsFor(rand, captures[Math.floor(rand() * captures.length)], name, i), null, 2)}\n`;
      fs.writeFileSync(path.join(out, 'facts', `${name}.json`), text);
      factsBytes += text.length;
      files += 1;
    }
    const text = `${lines.join('\n')}\n`;
    fs.writeFileSync(path.join(out, 'hosts', `hosts-${String(start / perFile + 1).padStart(5, '0')}.yaml`), text);
    bytes += text.length;
    files += 1;
  }
  return { dir: out, fleet: path.join(out, 'fleet.yaml'), hosts, files, bytes: bytes + factsBytes, factsBytes, seed };
}

/**
 * The floor a discovered fleet's plan is measured against: read every facts file and JSON.parse it (sequentially,
 * in one process, keeping nothing). Returns the milliseconds it took.
 */
function readParseFloor(dir) {
  const factsDir = path.join(dir, 'facts');
  const start = process.hrtime.bigint();
  let n = 0;
  for (const name of fs.readdirSync(factsDir)) {
    const doc = JSON.parse(fs.readFileSync(path.join(factsDir, name), 'utf8'));
    if (doc.kind === 'facts') n += 1;
  }
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, files: n };
}

function parseArgs(argv) {
  const opts = { hosts: 1000, out: undefined, seed: 1, perFile: 1000 };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--hosts') opts.hosts = Number(value);
    else if (flag === '--out') opts.out = path.resolve(value);
    else if (flag === '--seed') opts.seed = Number(value);
    else if (flag === '--per-file') opts.perFile = Number(value);
    else throw new Error(`unknown argument ${flag} (see the header of bench/plan/generate-discovered-fleet.js)`);
    i += 1;
  }
  if (!Number.isInteger(opts.hosts) || opts.hosts < 1) throw new Error('--hosts takes a positive integer');
  if (!Number.isInteger(opts.perFile) || opts.perFile < 1) throw new Error('--per-file takes a positive integer');
  opts.out ??= fs.mkdtempSync(path.join(os.tmpdir(), `tcpmem-discovered-${opts.hosts}-`));
  return opts;
}

module.exports = { generate, readParseFloor };

if (require.main === module) {
  try {
    const opts = parseArgs(process.argv.slice(2));
    process.stdout.write(`${JSON.stringify(generate(opts))}\n`);
  } catch (error) {
    process.stderr.write(`generate-discovered-fleet: ${error.message}\n`);
    process.exit(1);
  }
}
