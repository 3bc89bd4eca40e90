import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localIdentity, machineAppId, shortHostname, tcpmemAppId } from './machine-identity';

/** systemd's own derivation, where this machine has systemd-id128 (the oracle for machineAppId). */
function systemdAppId(): string | undefined {
  try {
    return execFileSync('systemd-id128', ['machine-id', `--app-specific=${tcpmemAppId}`], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

describe('machineAppId', () => {
  it.each([
    // (from `systemd-id128 machine-id --app-specific=f6b1a3c84e2d4f0b9a7c5d3e1f2a4b6c` on a machine with that ID)
    ['3d1219c7c4c5404aaa1f6d2a48adfda4\n', '5f233229173a4f8b9bfbc28cb3c3de92'],
    ['3D1219C7C4C5404AAA1F6D2A48ADFDA4', '5f233229173a4f8b9bfbc28cb3c3de92'],
  ])('derives %j as systemd derives an app-specific machine ID', (text, expected) => {
    expect(machineAppId(text)).toBe(expected);
  });

  it.each([[''], ['uninitialized\n'], ['00000000000000000000000000000000'], ['3d1219c7c4c5404aaa1f6d2a48adfd'], ['3d1219c7c4c5404aaa1f6d2a48adfdzz']])('has no ID for %j (no machine ID there)', (text) => {
    expect(machineAppId(text)).toBeUndefined();
  });

  it("is this machine's own as systemd-id128 prints it, where systemd-id128 runs", () => {
    const machineId = execFileSync('cat', ['/etc/machine-id'], { encoding: 'utf8' }).trim();
    const systemd = systemdAppId();
    if (systemd === undefined) return; // no systemd-id128 here: the table above holds its answer
    expect(machineAppId(machineId)).toBe(systemd);
  });
});

describe('localIdentity', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tcpmem-identity-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('names this machine by its host name and short name, and its machine ID by its app-specific ID', () => {
    writeFileSync(join(dir, 'machine-id'), '3d1219c7c4c5404aaa1f6d2a48adfda4\n');
    const identity = localIdentity(join(dir, 'machine-id'));
    expect(identity.hostnames[0]).toBe(execFileSync('hostname', { encoding: 'utf8' }).trim());
    expect(identity.hostnames).toContain(shortHostname(identity.hostnames[0]!));
    expect(identity.machineAppId).toBe('5f233229173a4f8b9bfbc28cb3c3de92');
  });

  it('has no machine ID when the file is missing', () => {
    expect(localIdentity(join(dir, 'absent')).machineAppId).toBeUndefined();
  });

  it.each([
    ['web-1.example.com', 'web-1'],
    ['web-1', 'web-1'],
  ])('takes the short name of %s as %s', (name, short) => {
    expect(shortHostname(name)).toBe(short);
  });
});
