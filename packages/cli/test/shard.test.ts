import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './run-cli';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-shard-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const json = (file: string): Record<string, unknown> => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
const withoutClock = (document: Record<string, unknown>): unknown => ({ ...document, createdAt: 'same clock' });

describe('--shard and report merge (through the binary)', () => {
  it.each([['examples/mixed-fleet', 2], ['examples/mixed-fleet', 3], ['examples/transfer-cluster', 2]])('splits %s into %i shards that merge back into the plan of the whole fleet', (example, count) => {
    const files: string[] = [];
    const hosts: string[] = [];
    for (let i = 1; i <= count; i++) {
      const file = path.join(dir, `${path.basename(example)}-${count}-${i}.json`);
      const run = runCli(['plan', example, '--offline', '--shard', `${i}/${count}`, '--out', file]);
      expect(run.status).toBe(0);
      files.push(file);
      hosts.push(...(json(file)['hosts'] as { name: string }[]).map((h) => h.name));
    }
    const whole = path.join(dir, `${path.basename(example)}-whole.json`);
    expect(runCli(['plan', example, '--offline', '--out', whole]).status).toBe(0);
    const wholeHosts = (json(whole)['hosts'] as { name: string }[]).map((h) => h.name);
    // every host in exactly one shard
    expect([...hosts].sort()).toEqual([...wholeHosts].sort());
    const merged = path.join(dir, `${path.basename(example)}-${count}-merged.json`);
    const run = runCli(['report', 'merge', ...files.reverse(), '--out', merged]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`merged plan: ${wholeHosts.length} hosts`);
    expect(withoutClock(json(merged))).toEqual(withoutClock(json(whole)));
  });

  it('refuses to merge the shards of a split with one missing, or with shards of another split (exit 1)', () => {
    const shardFile = (i: number, count: number): string => {
      const file = path.join(dir, `gap-${i}-${count}.json`);
      expect(runCli(['plan', 'examples/mixed-fleet', '--offline', '--shard', `${i}/${count}`, '--out', file]).status).toBe(0);
      expect(json(file)['shard']).toEqual({ index: i, count });
      return file;
    };
    const missing = runCli(['report', 'merge', shardFile(1, 3), shardFile(3, 3)]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('shard 2/3 is missing: 2 of 3 given');
    // an apply report carries its plan's shard: the dry runs of shards 1/3 and 3/3 do not merge either
    const reports = [1, 3].map((i) => {
      const report = path.join(dir, `gap-report-${i}.json`);
      const run = runCli(['apply', path.join(dir, `gap-${i}-3.json`), '--dry-run', '--auto-approve', '--json']);
      fs.writeFileSync(report, run.stdout);
      expect(json(report)['shard']).toEqual({ index: i, count: 3 });
      return report;
    });
    const applied = runCli(['report', 'merge', ...reports]);
    expect(applied.status).toBe(1);
    expect(applied.stderr).toContain('shard 2/3 is missing');
    const mixed = runCli(['report', 'merge', shardFile(1, 2), shardFile(2, 3)]);
    expect(mixed.status).toBe(1);
    expect(mixed.stderr).toMatch(/gap-2-3\.json is shard 2\/3, but .*gap-1-2\.json is shard 1\/2: not one split of the fleet/);
  });

  it('refuses a malformed --shard as a usage error (exit 64)', () => {
    const run = runCli(['plan', 'examples/web-fleet', '--offline', '--shard', '5/4']);
    expect(run.status).toBe(64);
    expect(run.stderr).toContain('I/N');
  });

  it('refuses to merge a shard twice, naming the host and both files', () => {
    const file = path.join(dir, 'twice.json');
    expect(runCli(['plan', 'examples/web-fleet', '--offline', '--out', file]).status).toBe(0);
    const run = runCli(['report', 'merge', file, file]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/TCPMEM_MERGE[\s\S]*is in both .*twice\.json and .*twice\.json/);
  });
});
