import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The repository's examples/ folder. */
export const examples = path.resolve(__dirname, '../../../examples');

/** A throwaway folder with the given files (paths relative to it); removed by the returned function. */
export function tempDir(files: Readonly<Record<string, string>> = {}): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-app-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A fresh ed25519 key without a passphrase in `dir`, made by ssh-keygen; returns its path. */
export function freshKey(dir: string): string {
  const file = path.join(dir, 'id_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file], { stdio: 'ignore' });
  return file;
}

/** A loopback port where nothing listens (bound, then released), for hosts that must refuse connections. */
export function closedLoopbackPort(): number {
  const out = execFileSync(process.execPath, ['-e', "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})"], { encoding: 'utf8' });
  return Number(out.trim());
}

/**
 * A fleet file whose hosts refuse SSH on loopback (`refusing`), have no address (`offline`, planned from their
 * hardware), in that order in the file, so a live read meets a real refused connection.
 */
export function refusingFleet(dir: string, refusing: readonly string[], offline: readonly string[] = []): string {
  const key = freshKey(dir);
  const port = closedLoopbackPort();
  const hosts = [
    ...refusing.map((name) => `  ${name}:\n    address: 127.0.0.1\n    ssh: { port: ${port}, identityFile: ${key}, connectTimeout: 5s }\n    hardware: { kernel: "6.1", memory: 8GiB }\n`),
    ...offline.map((name) => `  ${name}:\n    hardware: { kernel: "6.1", memory: 8GiB }\n`),
  ];
  const file = path.join(dir, 'fleet.yaml');
  fs.writeFileSync(file, `kind: fleet\ndefaults:\n  sysctls: { net.core.somaxconn: 8192 }\nhosts:\n${hosts.join('')}`);
  return file;
}
