#!/usr/bin/env node
'use strict';
/**
 * tcpmem's own transport, phase by phase, on every host of a harness at once: the ssh2 floor under tcpmem.
 * Per host, with the built @tcpmem/apply transport (what `tcpmem apply` uses): connect (TCP, key exchange,
 * host key checked against known_hosts, public-key auth), `exec true`, `exec sudo -n true`, the plan's read
 * script (`sh -s`, what `tcpmem plan` runs per host), close. Then the same connect + `true` with a fresh process
 * for each host is what OpenSSH's floor measures; this one shares one node process, as tcpmem does.
 * Prints one JSON object: wall time of the whole thing, and per phase min/p50/p90/max over hosts.
 *
 * Usage: node bench/apply/phases.js STATE_DIR/hosts.json [--parallelism N] [--only-true]
 *   --only-true  connect + `true` + close only: the ssh2 transport floor.
 */
const fs = require('node:fs');
const path = require('node:path');

const repo = path.resolve(__dirname, '../..');
const { SshTransport, readOverTransport } = require(path.join(repo, 'packages/apply/dist'));
const { listSysctls } = require(path.join(repo, 'packages/kernel-model/dist'));

const quantile = (xs, q) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return Math.round(s[lo] + (s[hi] - s[lo]) * (i - lo));
};
const stats = (xs) => ({ min: quantile(xs, 0), p50: quantile(xs, 0.5), p90: quantile(xs, 0.9), max: quantile(xs, 1) });

async function main(argv) {
  const file = argv[0];
  if (file === undefined) throw new Error('usage: node bench/apply/phases.js STATE_DIR/hosts.json [--parallelism N] [--only-true]');
  const p = argv.indexOf('--parallelism');
  const onlyTrue = argv.includes('--only-true');
  const state = JSON.parse(fs.readFileSync(file, 'utf8'));
  const parallelism = p >= 0 ? Number(argv[p + 1]) : state.hosts.length;
  const names = listSysctls().map((s) => s.name);

  const one = async (h) => {
    const t = { start: performance.now() };
    const transport = await SshTransport.connect({
      host: h.address, port: h.port, username: state.user, privateKeyPath: state.identityFile,
      knownHostsFiles: state.knownHosts, hostKeyPolicy: 'strict', connectTimeoutMs: 30_000, commandTimeoutMs: 60_000,
    });
    t.connected = performance.now();
    const r = await transport.exec('true');
    if (r.code !== 0) throw new Error(`${h.name}: true exited ${r.code}`);
    t.true = performance.now();
    if (!onlyTrue) {
      const s = await transport.exec('sudo -n true');
      if (s.code !== 0) throw new Error(`${h.name}: sudo -n true exited ${s.code}: ${s.stderr}`);
      t.sudo = performance.now();
      await readOverTransport(transport, names);
      t.read = performance.now();
    }
    await transport.close();
    t.closed = performance.now();
    return t;
  };

  const t0 = performance.now();
  const times = [];
  let next = 0;
  const worker = async () => {
    while (next < state.hosts.length) times.push(await one(state.hosts[next++]));
  };
  await Promise.all(Array.from({ length: Math.min(parallelism, state.hosts.length) }, worker));
  const wall = performance.now() - t0;
  const d = (a, b) => times.filter((t) => t[a] !== undefined && t[b] !== undefined).map((t) => t[b] - t[a]);
  const cpu = process.cpuUsage();
  return {
    hosts: state.hosts.length,
    parallelism,
    wallMs: Math.round(wall),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    connectMs: stats(d('start', 'connected')),
    execTrueMs: stats(d('connected', 'true')),
    ...(onlyTrue ? {} : { execSudoTrueMs: stats(d('true', 'sudo')), readScriptMs: stats(d('sudo', 'read')) }),
    closeMs: stats(d(onlyTrue ? 'true' : 'read', 'closed')),
  };
}

main(process.argv.slice(2)).then(
  (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
  (e) => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exitCode = 1;
  },
);
