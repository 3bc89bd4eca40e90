import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkBinary, inPool, runBinary } from './fuzz/binary';
import { describeCase, repoFromSaved, toSaved, writeRepo, type FuzzCase, type SavedCase } from './fuzz/fuzz-case';
import { knownBugOf } from './fuzz/known-bugs';
import { generateCase } from './fuzz/mutate';
import type { Violation } from './fuzz/oracle';
import { caseSeed } from './fuzz/prng';
import { runCaseInProcess, type CaseResult } from './fuzz/run-case';
import { startWatchdog, type Watchdog } from './fuzz/watchdog';
import { loadSeedRepos } from './fuzz/seed-repos';
import { repoRoot } from './run-cli';

// The bad-input test (issue 4): thousands of configs mutated from the examples go through `validate` and
// `plan --offline`; every run must end with a valid plan or with located errors (file, line, column, code,
// hint) — never a stack trace, a hang or an error nobody can find. Most cases run in-process through the
// functions the commands call; a sample runs through the real binary. Everything is seeded:
//   TCPMEM_FUZZ_SEED=n       base seed of the run (default below; CI may pass a fresh one)
//   TCPMEM_FUZZ_CASES=n      in-process cases (default 2000)
//   TCPMEM_FUZZ_CLI_CASES=n  cases through the binary, each with validate and plan (default 30)
//   TCPMEM_FUZZ_ONLY=seed    run one case seed only (printed with every failure), in-process and binary
//   TCPMEM_FUZZ_SLOW_MS=n    CPU milliseconds a command may take in-process before it counts as a hang (5000)
//   TCPMEM_FUZZ_CLI_TIMEOUT_MS=n  wall time a binary run may take before it is killed as a hang (30000)
//   TCPMEM_FUZZ_HANG_MS=n    wall time one in-process case may take before a watchdog prints it and ends the run
//                            (120000): a synchronous hang would otherwise block jest itself, timeouts included
// A failing case is also written to $TMPDIR/tcpmem-fuzz-failures/ in the regressions/ format: copy it into
// fuzz/regressions/ to keep it.

const env = (name: string, fallback: number): number => {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : Number(value);
};
const baseSeed = env('TCPMEM_FUZZ_SEED', 20261127);
const only = process.env['TCPMEM_FUZZ_ONLY'];
const caseCount = only !== undefined && only !== '' ? 1 : env('TCPMEM_FUZZ_CASES', 2000);
const cliCaseCount = only !== undefined && only !== '' ? 1 : env('TCPMEM_FUZZ_CLI_CASES', 30);
const slowMs = env('TCPMEM_FUZZ_SLOW_MS', 5_000);
const binaryTimeoutMs = env('TCPMEM_FUZZ_CLI_TIMEOUT_MS', 30_000);
const hangMs = env('TCPMEM_FUZZ_HANG_MS', 120_000);
const seedOf = (index: number): number => (only !== undefined && only !== '' ? Number(only) : caseSeed(baseSeed, index));

const seeds = loadSeedRepos(repoRoot);
const regressionsDir = path.join(__dirname, 'fuzz', 'regressions');
const regressions = fs
  .readdirSync(regressionsDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, saved: JSON.parse(fs.readFileSync(path.join(regressionsDir, file), 'utf8')) as SavedCase }));

let root: string;
let watchdog: Watchdog;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-bad-input-'));
  watchdog = startWatchdog(path.join(root, 'running-case.txt'), hangMs);
});
afterAll(async () => {
  watchdog.stop();
  // A binary sample started by the in-process test finishes before its folders go.
  await sample?.catch(() => undefined);
  fs.rmSync(root, { recursive: true, force: true });
}, 600_000);

let sample: Promise<{ fuzzCase: FuzzCase; violations: Violation[] }[]> | undefined;

/**
 * Runs the binary sample, once: each case through `validate` and `plan --offline`, alternately with and without
 * `--json`, checked by binary.ts and compared with the in-process outcome of the same case (same exit code). The
 * in-process test starts it so that the binary's child processes use the second core while it runs.
 */
function binarySample(): Promise<{ fuzzCase: FuzzCase; violations: Violation[] }[]> {
  sample ??= inPool(
    Array.from({ length: cliCaseCount }, (_v, i) => async () => {
      // Spread the sample over the whole range of in-process cases.
      const fuzzCase = generateCase(seeds, seedOf(Math.floor((i * caseCount) / Math.max(1, cliCaseCount))));
      const dir = fs.mkdtempSync(path.join(root, 'cli-'));
      const violations: Violation[] = [];
      try {
        const target = writeRepo(fuzzCase.repo, dir);
        const json = i % 2 === 0;
        const validate = await runBinary(['validate', target, ...(json ? ['--json'] : [])], binaryTimeoutMs);
        checkBinary('validate', json, validate, violations);
        const plan = await runBinary(['plan', target, '--offline', ...(json ? [] : ['--json'])], binaryTimeoutMs);
        checkBinary('plan', !json, plan, violations);
        const inProcess = await runCaseInProcess(fuzzCase, root, { slowMs });
        for (const [command, run, outcome] of [['validate', validate, inProcess.validate], ['plan', plan, inProcess.plan]] as const) {
          if (!run.timedOut && outcome?.exitCode !== undefined && run.status !== outcome.exitCode) {
            violations.push({ command, rule: 'inconsistent', signature: `binary ${command}/inconsistent/exit ${run.status ?? 'none'} in-process ${outcome.exitCode}`, detail: `the binary exits ${run.status ?? 'without a code'}, the same code in-process would exit ${outcome.exitCode} (is dist/ built from the current source? npm run build); stderr: ${run.stderr.slice(0, 1000)}` });
          }
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
      return { fuzzCase, violations };
    }),
    // Beside the in-process test (one core), one run at a time is enough; alone, use every core.
    Math.max(1, os.availableParallelism() - 1),
  );
  return sample;
}

/** Groups violations by signature and renders each group once, with the first case that showed it. */
function report(failures: readonly { fuzzCase: FuzzCase; violation: Violation }[]): string {
  const groups = new Map<string, { fuzzCase: FuzzCase; violation: Violation; count: number }>();
  for (const { fuzzCase, violation } of failures) {
    const group = groups.get(violation.signature);
    if (group === undefined) groups.set(violation.signature, { fuzzCase, violation, count: 1 });
    else group.count += 1;
  }
  const saveDir = path.join(os.tmpdir(), 'tcpmem-fuzz-failures');
  fs.mkdirSync(saveDir, { recursive: true });
  return [...groups.values()]
    .map(({ fuzzCase, violation, count }) => {
      const saved = path.join(saveDir, `${violation.signature.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 80)}-${fuzzCase.seed ?? 'saved'}.json`);
      fs.writeFileSync(saved, `${JSON.stringify(toSaved(fuzzCase, `${violation.command} ends in a plan or in located errors (${violation.signature})`), null, 2)}\n`);
      return [`■ ${violation.signature} — ${count} case${count === 1 ? '' : 's'}`, `  ${violation.detail.split('\n').join('\n  ')}`, `  saved as ${saved}`, `  ${describeCase(fuzzCase).split('\n').join('\n  ')}`].join('\n');
    })
    .join('\n\n');
}

describe('bad input to validate and plan', () => {
  it('starts from seed repos that validate and plan without a problem', async () => {
    expect(seeds.length).toBeGreaterThanOrEqual(6);
    for (const repo of seeds.filter((r) => !r.name.endsWith('hardware'))) {
      const fuzzCase: FuzzCase = { id: repo.name, seed: undefined, repo, steps: [] };
      watchdog.running(describeCase(fuzzCase));
      const result = await runCaseInProcess(fuzzCase, root, { slowMs });
      watchdog.idle();
      expect({ seed: `${repo.name} → ${repo.target}`, violations: result.violations, validate: result.validate?.exitCode, plan: result.plan?.exitCode }).toEqual({
        seed: `${repo.name} → ${repo.target}`,
        violations: [],
        validate: 0,
        plan: 0,
      });
    }
  });

  it('makes the same case, byte for byte, from the same seed', () => {
    for (const seed of [1, 2, 3, 0xffffffff]) {
      const a = generateCase(seeds, seed);
      const b = generateCase(seeds, seed);
      expect(describeCase(b, Infinity)).toBe(describeCase(a, Infinity));
    }
  });

  describe('saved regressions (fuzz/regressions/)', () => {
    if (regressions.length === 0) it.todo('no saved case yet');
    for (const { file, saved } of regressions) {
      const test = saved.status === 'open' ? it.failing : it;
      test(`${saved.title} [${file}]`, async () => {
        const fuzzCase: FuzzCase = { id: file, seed: undefined, repo: repoFromSaved(file, saved), steps: [saved.found] };
        const violations: Violation[] = [];
        if (saved.inProcess !== false) {
          watchdog.running(describeCase(fuzzCase));
          const result = await runCaseInProcess(fuzzCase, root, { slowMs: saved.maxMs ?? slowMs, ...(saved.commands === undefined ? {} : { commands: saved.commands }) });
          watchdog.idle();
          violations.push(...result.violations);
          for (const [command, outcome] of [['validate', result.validate], ['plan', result.plan]] as const) {
            const missing = (saved.expectCodes ?? []).filter((code) => outcome !== undefined && !outcome.errorCodes.includes(code));
            if (missing.length > 0) violations.push({ command, rule: 'missed', signature: `${command}/missed/${missing.join('+')}`, detail: `expected errors ${missing.join(', ')}; got ${outcome?.errorCodes.join(', ') || 'none'}` });
          }
        }
        if (saved.binary !== undefined) {
          const dir = fs.mkdtempSync(path.join(root, 'saved-'));
          try {
            const target = writeRepo(fuzzCase.repo, dir);
            for (const command of saved.commands ?? ['validate', 'plan']) {
              for (const json of saved.binary === 'both' ? [false, true] : [saved.binary === 'json']) {
                const args = command === 'plan' ? ['plan', target, '--offline'] : ['validate', target];
                const run = await runBinary(json ? [...args, '--json'] : args, saved.binaryTimeoutMs ?? binaryTimeoutMs, { slowReader: true });
                checkBinary(command, json, run, violations);
              }
            }
          } finally {
            fs.rmSync(dir, { recursive: true, force: true });
          }
        }
        expect(violations).toEqual([]);
      }, 120_000);
    }
  });

  it(`ends every one of ${caseCount} mutated configs in a plan or in located errors (in-process, seed ${baseSeed})`, async () => {
    // Its failures are reported by its own test below.
    binarySample().catch(() => undefined);
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    const times: number[] = [];
    const failures: { fuzzCase: FuzzCase; violation: Violation }[] = [];
    const known = new Map<string, number>();
    const outcomes = { validateOk: 0, validateErrors: 0, planOk: 0, planErrors: 0 };
    for (let i = 0; i < caseCount; i += 1) {
      // Offline planning never waits for I/O, so without this the binary sample's timers and pipes would starve.
      await new Promise((resolve) => setImmediate(resolve));
      const fuzzCase = generateCase(seeds, seedOf(i));
      watchdog.running(describeCase(fuzzCase));
      let result: CaseResult;
      try {
        result = await runCaseInProcess(fuzzCase, root, { slowMs });
      } catch (error) {
        watchdog.idle();
        throw new Error(`the harness itself failed on ${describeCase(fuzzCase)}\n${(error as Error).stack ?? ''}`);
      }
      times.push((result.validate?.ms ?? 0) + (result.plan?.ms ?? 0));
      if (result.validate?.exitCode === 0) outcomes.validateOk += 1;
      else outcomes.validateErrors += 1;
      if (result.plan?.exitCode === 0) outcomes.planOk += 1;
      else outcomes.planErrors += 1;
      for (const violation of result.violations) {
        const bug = knownBugOf(violation);
        if (bug !== undefined) known.set(bug.id, (known.get(bug.id) ?? 0) + 1);
        else failures.push({ fuzzCase, violation });
      }
    }
    watchdog.idle();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const cpu = process.cpuUsage(cpuStart);
    const sorted = [...times].sort((a, b) => a - b);
    const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
    console.log(
      `bad input: ${caseCount} cases in ${seconds} s (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s; per case p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms; seed ${baseSeed}); validate ${outcomes.validateOk} valid / ${outcomes.validateErrors} rejected; plan ${outcomes.planOk} planned / ${outcomes.planErrors} rejected` +
        (known.size === 0 ? '' : `; known open bugs hit: ${[...known].map(([id, n]) => `${id} ×${n}`).join(', ')}`),
    );
    // Mutations that never get past the gate would test only the gate: a fair share must still plan.
    if (caseCount >= 100) expect(outcomes.planOk).toBeGreaterThan(caseCount * 0.05);
    if (failures.length > 0) throw new Error(`${failures.length} violation(s):\n\n${report(failures)}`);
  }, 600_000);

  it(`ends ${cliCaseCount} of them the same way through the real binary (validate and plan --offline, --json or not)`, async () => {
    const failures: { fuzzCase: FuzzCase; violation: Violation }[] = [];
    const known = new Map<string, number>();
    for (const { fuzzCase, violations } of await binarySample()) {
      for (const violation of violations) {
        const bug = knownBugOf(violation);
        if (bug !== undefined) known.set(bug.id, (known.get(bug.id) ?? 0) + 1);
        else failures.push({ fuzzCase, violation });
      }
    }
    if (known.size > 0) console.log(`bad input (binary): known open bugs hit: ${[...known].map(([id, n]) => `${id} ×${n}`).join(', ')}`);
    if (failures.length > 0) throw new Error(`${failures.length} violation(s):\n\n${report(failures)}`);
  }, 600_000);
});
