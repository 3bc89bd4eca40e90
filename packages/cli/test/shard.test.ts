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
