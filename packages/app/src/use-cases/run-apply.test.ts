import fs from 'node:fs';
import path from 'node:path';
import type { ApplyEvent, ApplyReport } from '@tcpmem/apply';
import { examples, tempDir } from '../../test/temp-config';
import { makePlan } from './make-plan';
import { applyExitCode, runApply, type ApplyFlowOptions } from './run-apply';

const base: ApplyFlowOptions = {
  input: path.join(examples, 'web-fleet'),
  dryRun: true,
  autoApprove: false,
  parallelism: 4,
  maxFail: undefined,
  batchSize: undefined,
  connectTimeoutMs: undefined,
  commandTimeoutMs: undefined,
  targets: [],
  excludes: [],
  tcpmemVersion: '9.9.9-test',
  showPlan: () => undefined,
  confirm: undefined,
  onEvent: () => undefined,
};

describe('runApply', () => {
  const temp = tempDir();
  let offlinePlanFile: string;
  beforeAll(async () => {
    const { plan } = await makePlan(base.input, { offline: true, targets: [], excludes: [], parallelism: 1, tcpmemVersion: 't' });
    offlinePlanFile = path.join(temp.dir, 'plan.json');
    fs.writeFileSync(offlinePlanFile, JSON.stringify(plan));
  });
  afterAll(() => temp.remove());

  it('refuses --local when not root before reading anything, and lets a --local dry run go on', async () => {
    const notRoot = (): boolean => false;
    await expect(runApply({ ...base, dryRun: false, autoApprove: true, local: { host: 'web-1' }, isRoot: notRoot, input: '/nonexistent' })).rejects.toMatchObject({ code: 'TCPMEM_LOCAL_NOT_ROOT', exitCode: 1 });
    await expect(runApply({ ...base, local: { host: 'nope' }, isRoot: notRoot })).rejects.toMatchObject({ code: 'TCPMEM_USAGE', message: expect.stringMatching(/--host nope/) as unknown });
  });

  it('applies a config to the kernel model with --dry-run: shows the plan, asks nothing, every host applied', async () => {
    const shown: string[] = [];
    const events: ApplyEvent['type'][] = [];
    const outcome = await runApply({ ...base, showPlan: (plan) => shown.push(plan.mode), onEvent: (e) => events.push(e.type) });
    expect(outcome.kind).toBe('applied');
    if (outcome.kind !== 'applied') return;
    expect(outcome).toMatchObject({ fromFile: false, report: { executor: 'model', summary: { hosts: 6, applied: 6, failed: 0 } } });
    expect(shown).toEqual(['offline']);
    expect(events.at(-1)).toBe('run-done');
    expect(applyExitCode(outcome.report)).toBe(0);
  });

  it('applies a saved offline plan to the kernel model exactly, without showing it', async () => {
    const shown: unknown[] = [];
    const outcome = await runApply({ ...base, input: offlinePlanFile, showPlan: (plan) => shown.push(plan) });
    expect(outcome).toMatchObject({ kind: 'applied', fromFile: true, report: { summary: { applied: 6 } } });
    expect(shown).toEqual([]);
  });

  it.each([
    ['a saved offline plan over SSH', { dryRun: false, autoApprove: true }, 'TCPMEM_PLAN_OFFLINE', 1],
    ['--target with a saved plan', { targets: ['web-1'] }, 'TCPMEM_USAGE', 64],
  ])('refuses %s', async (_what, options, code, exitCode) => {
    await expect(runApply({ ...base, input: offlinePlanFile, ...options })).rejects.toMatchObject({ code, exitCode });
  });

  it('refuses to apply a config over SSH with no terminal to ask on and no --auto-approve', async () => {
    await expect(runApply({ ...base, dryRun: false })).rejects.toMatchObject({ code: 'TCPMEM_USAGE', message: expect.stringContaining('no terminal to ask on') });
  });

  it('says that a config or plan path does not exist before it asks for a terminal or --auto-approve', async () => {
    const missing = path.join(temp.dir, 'not-downloaded', 'plan.json');
    for (const options of [{ dryRun: false }, { dryRun: false, autoApprove: true }, { dryRun: true }]) {
      await expect(runApply({ ...base, ...options, input: missing })).rejects.toMatchObject({ code: 'TCPMEM_PATH', exitCode: 1, message: `${missing}: no such file or folder` });
    }
  });

  it('applies nothing when the person at the terminal says no', async () => {
    const outcome = await runApply({ ...base, dryRun: false, confirm: () => Promise.resolve(false), input: path.join(examples, 'mixed-fleet'), targets: ['planned-edge'] });
    expect(outcome.kind).toBe('cancelled');
  });
});

describe('applyExitCode', () => {
  const report = (summary: Partial<ApplyReport['summary']>, refused?: ApplyReport['refused']): ApplyReport =>
    ({ summary: { hosts: 1, applied: 0, unchanged: 0, failed: 0, stale: 0, unreachable: 0, skipped: 0, settingsChanged: 0, settingsUnavailable: 0, ...summary }, ...(refused === undefined ? {} : { refused }) }) as ApplyReport;

  it.each([
    ['everything applied', report({ applied: 1 }), 0],
    ['a host failed', report({ failed: 1, unreachable: 1 }), 3],
    ['a host unreachable', report({ unreachable: 1, stale: 1 }), 4],
    ['a host stale', report({ stale: 1 }), 1],
    ['the plan refused', report({}, { reason: 'stale', hosts: [] } as unknown as ApplyReport['refused']), 1],
    ['the run was interrupted, whatever else happened', { ...report({ failed: 1, unreachable: 1 }), interrupted: { signal: 'SIGINT' as const, elapsedMs: 5, hostsRunning: [] } }, 130],
  ])('exits as docs/errors.md says when %s', (_what, r, code) => {
    expect(applyExitCode(r)).toBe(code);
  });
});
