#!/usr/bin/env node
'use strict';
/**
 * Summarises one `tcpmem apply … --events` stream (JSON lines on stdin or in FILE): where the apply engine's time
 * goes, per host and for the run. Prints one JSON object.
 *
 * What the events carry (docs/apply.md): every event has `elapsedMs` since the engine started (after the live
 * plan, for a CONFIG). Per host: `host-started`, `host-read`, `host-prepared`, then `host-written`/`-verified`/
 * `-persisted` and `host-done`, which carries the host's per-phase `timings` on the client's clock (issue 13):
 * `connectMs` (≈ 0 when `reused`: the live plan's connection was kept, and `planConnectMs`/`planReadMs` say what
 * it cost then), `readMs` (remote command started, lock, read), `prepareMs` (read → prepared: the script prepares
 * in the same reply, protocol 2), `gateMs` (a saved plan: the wait until every host is known fresh), `commitMs`
 * (COMMIT → outcome). The connections close in the background after host-done; `sessions-closed` (just before
 * run-done) gives each close's ms. A saved plan adds `check-started` and one `host-checked` per host (inside the
 * transactions now, or, with more hosts than --parallelism, on connections of their own first).
 *
 * Usage: node bench/apply/events.js [FILE]
 */
const fs = require('node:fs');

const quantile = (xs, q) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return Math.round(s[lo] + (s[hi] - s[lo]) * (i - lo));
};
const stats = (xs) => ({ min: quantile(xs, 0), p50: quantile(xs, 0.5), p90: quantile(xs, 0.9), max: quantile(xs, 1) });

function summarise(text) {
  const events = text.split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l));
  const hosts = new Map();
  const at = (host) => {
    if (!hosts.has(host)) hosts.set(host, {});
    return hosts.get(host);
  };
  let checkStarted = null;
  let lastChecked = null;
  let runDone = null;
  let report = null;
  for (const e of events) {
    switch (e.type) {
      case 'check-started': checkStarted = e.elapsedMs; break;
      case 'host-checked': lastChecked = Math.max(lastChecked ?? 0, e.elapsedMs); break;
      case 'host-started': at(e.host).started = e.elapsedMs; break;
      case 'host-read': at(e.host).read = e.elapsedMs; break;
      case 'host-prepared': at(e.host).prepared = e.elapsedMs; break;
      case 'host-done': at(e.host).done = e.elapsedMs; at(e.host).status = e.result.status; at(e.host).timings = e.timings ?? {}; break;
      case 'sessions-closed': for (const [h, ms] of Object.entries(e.closeMs)) at(h).closeMs = ms; break;
      case 'run-done': runDone = e.elapsedMs; report = e.report; break;
      default: break;
    }
  }
  const list = [...hosts.values()];
  const span = (a, b) => list.filter((h) => h[a] !== undefined && h[b] !== undefined).map((h) => h[b] - h[a]);
  const started = list.map((h) => h.started).filter((x) => x !== undefined);
  const done = list.map((h) => h.done).filter((x) => x !== undefined);
  return {
    events: events.length,
    hostsStarted: started.length,
    statuses: list.reduce((acc, h) => ({ ...acc, [h.status]: (acc[h.status] ?? 0) + 1 }), {}),
    engineMs: runDone,
    reportDurationMs: report?.durationMs ?? null,
    // a saved plan: the read-only check of every host before the first transaction
    checkMs: checkStarted === null ? null : (lastChecked ?? checkStarted) - checkStarted,
    firstStartMs: started.length ? Math.min(...started) : null,
    lastStartMs: started.length ? Math.max(...started) : null,
    lastDoneMs: done.length ? Math.max(...done) : null,
    perHost: {
      connectAndReadMs: stats(span('started', 'read')),
      prepareMs: stats(span('read', 'prepared')),
      commitAndCloseMs: stats(span('prepared', 'done')),
      totalMs: stats(span('started', 'done')),
    },
    // the hosts' own clocks of each phase (host-done's timings; closeMs from sessions-closed)
    reused: list.filter((h) => h.timings?.reused === true).length,
    phases: Object.fromEntries(
      ['planConnectMs', 'planReadMs', 'connectMs', 'readMs', 'prepareMs', 'gateMs', 'commitMs', 'closeMs'].map((k) => [
        k,
        stats(list.map((h) => (k === 'closeMs' ? h.closeMs : h.timings?.[k])).filter((x) => typeof x === 'number')),
      ]),
    ),
  };
}

const file = process.argv[2];
const text = file === undefined || file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file, 'utf8');
process.stdout.write(`${JSON.stringify(summarise(text))}\n`);
