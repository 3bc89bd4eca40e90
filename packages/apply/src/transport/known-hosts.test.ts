import { mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appendKnownHost,
  checkHostKey,
  entryMatchesName,
  fingerprintSha256,
  formatKnownHostsLine,
  keyTypeOf,
  knownHostsName,
  loadKnownHosts,
  parseKnownHosts,
  type KnownHosts,
} from './known-hosts';

// Real OpenSSH 9.2 output: keys from ssh-keygen, the hashed lines from `ssh-keygen -H` of the plain ones.
const K1 = 'AAAAC3NzaC1lZDI1NTE5AAAAIDAksFfbIJ3YsRNtm7BOtaeSR2iHWOfSqvSGpRhdMiC+'; // SHA256:dAvwrBVreyeJrkEZ9O0Kz05MF41lMtLGBHrc51+PyYA
const K2 = 'AAAAC3NzaC1lZDI1NTE5AAAAIDEopEpdj6zKNgN/E0vGEqke5uxrbD/oz5gM/ynaQiOb'; // SHA256:TpULcuihbq+PYLAP4sOAjNtoTw+AEcaAu8uw5L1KBIE
const K3 =
  'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBNdRpukb9svVj8+8Wml3wztOoU3PgkGkLhCoOzMuHMxgyOFw4yH8DraVUlN+AafK6G1jU7GeS+4SisQ6yfNOs7Y=';
const key = (b64: string): Buffer => Buffer.from(b64, 'base64');

const PLAIN = `# comment
host.example.com,198.18.0.11 ssh-ed25519 ${K1}
[198.18.0.13]:2222 ssh-ed25519 ${K2} a comment
`;
const HASHED = `|1|/MGMsnn81yUrIzhK9lyYZ4BRdow=|BO6UNYXnQb5qjKGYNGJ8FGlNVyk= ssh-ed25519 ${K1}
|1|QKiKxJJBhY2iIaZ4D+0JB16lRuY=|kmDPnRiWtgFmzo+X5WSTi0FBn/U= ssh-ed25519 ${K1}
|1|uEUbKiyMhGnhGxd4+kCXpC3TG14=|su2nyZsrKSngd/8sLJDOhAZJGak= ssh-ed25519 ${K2}
`;

function known(text: string, file = 'known_hosts'): KnownHosts {
  const { entries, problems } = parseKnownHosts(text, file);
  return { files: [file], entries, problems };
}

describe('known_hosts', () => {
  it('computes OpenSSH fingerprints and key types', () => {
    expect(fingerprintSha256(key(K1))).toBe('SHA256:dAvwrBVreyeJrkEZ9O0Kz05MF41lMtLGBHrc51+PyYA');
    expect(fingerprintSha256(key(K3))).toBe('SHA256:iYPaUe0F62gPJuAwV3Qo3WpTcsHXQW/3Zb7EJpqLL1I');
    expect(keyTypeOf(key(K1))).toBe('ssh-ed25519');
    expect(keyTypeOf(key(K3))).toBe('ecdsa-sha2-nistp256');
  });

  it('uses [host]:port for non-default ports, lowercased', () => {
    expect(knownHostsName('Host.Example.COM', 22)).toBe('host.example.com');
    expect(knownHostsName('198.18.0.13', 2222)).toBe('[198.18.0.13]:2222');
  });

  it('parses plain entries with comments and line numbers', () => {
    const k = known(PLAIN);
    expect(k.problems).toEqual([]);
    expect(k.entries).toHaveLength(2);
    expect(k.entries[0]!.line).toBe(2);
    expect(k.entries[0]!.patterns).toEqual(['host.example.com', '198.18.0.11']);
    expect(k.entries[1]!.patterns).toEqual(['[198.18.0.13]:2222']);
  });

  for (const [label, text] of [
    ['plain', PLAIN],
    ['hashed (ssh-keygen -H)', HASHED],
  ] as const) {
    describe(label, () => {
      const k = known(text);
      it('trusts the recorded key for a host on port 22', () => {
        expect(checkHostKey(k, '198.18.0.11', 22, key(K1)).status).toBe('trusted');
        expect(checkHostKey(k, 'HOST.example.com', 22, key(K1)).status).toBe('trusted');
      });
      it('trusts [host]:port entries only on that port', () => {
        expect(checkHostKey(k, '198.18.0.13', 2222, key(K2)).status).toBe('trusted');
        expect(checkHostKey(k, '198.18.0.13', 22, key(K2)).status).toBe('unknown');
        expect(checkHostKey(k, '198.18.0.11', 2222, key(K1)).status).toBe('unknown');
      });
      it('reports a changed key with the known entries', () => {
        const r = checkHostKey(k, '198.18.0.11', 22, key(K2));
        expect(r.status).toBe('changed');
        if (r.status === 'changed') expect(r.known.map((e) => fingerprintSha256(e.key))).toEqual([fingerprintSha256(key(K1))]);
        // a key of another type is a change too (StrictHostKeyChecking refuses it)
        expect(checkHostKey(k, '198.18.0.11', 22, key(K3)).status).toBe('changed');
      });
      it('does not know other hosts', () => {
        expect(checkHostKey(k, '198.18.0.12', 22, key(K1)).status).toBe('unknown');
      });
    });
  }

  it('matches wildcards and honours negation', () => {
    const k = known(`*.example.com,!bad.example.com,198.18.0.? ssh-ed25519 ${K1}\n`);
    const e = k.entries[0]!;
    expect(entryMatchesName(e, 'a.example.com')).toBe(true);
    expect(entryMatchesName(e, 'bad.example.com')).toBe(false);
    expect(entryMatchesName(e, '198.18.0.5')).toBe(true);
    expect(entryMatchesName(e, '198.18.0.55')).toBe(false);
    expect(entryMatchesName(e, 'example.com')).toBe(false);
  });

  it('refuses @revoked keys and ignores @cert-authority lines', () => {
    const k = known(`@revoked * ssh-ed25519 ${K2}\n@cert-authority *.example.com ssh-ed25519 ${K1}\nhost.example.com ssh-ed25519 ${K2}\n`);
    expect(checkHostKey(k, 'host.example.com', 22, key(K2)).status).toBe('revoked');
    expect(checkHostKey(k, 'other.example.com', 22, key(K1)).status).toBe('unknown');
  });

  it('reports malformed lines and keeps going', () => {
    const k = known(`garbage\n|1|bad|hash ssh-ed25519 ${K1}\n@weird h ssh-ed25519 ${K1}\nh ssh-ed25519 not*base64\nok ssh-ed25519 ${K1}\n`);
    expect(k.problems.map((p) => p.line)).toEqual([1, 2, 3, 4]);
    expect(k.entries).toHaveLength(1);
  });

  it('formats lines as accept-new writes them', () => {
    expect(formatKnownHostsLine('198.18.0.13', 2222, key(K2))).toBe(`[198.18.0.13]:2222 ssh-ed25519 ${K2}\n`);
    const k = known(formatKnownHostsLine('198.18.0.11', 22, key(K1)));
    expect(checkHostKey(k, '198.18.0.11', 22, key(K1)).status).toBe('trusted');
  });
});

describe('loading known_hosts files', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tcpmem-known-hosts-'));
    file = join(dir, 'known_hosts');
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const aMinuteAgo = (): Date => new Date(Date.now() - 60_000);
  const writeSettled = (path: string, text: string, mtime: Date): void => {
    writeFileSync(path, text);
    utimesSync(path, mtime, mtime);
  };

  it('parses a file that has not changed once, however many connections load it at once', async () => {
    writeSettled(file, PLAIN, aMinuteAgo());
    const loads = await Promise.all(Array.from({ length: 20 }, () => loadKnownHosts([file])));
    expect(loads[0]!.entries).toHaveLength(2);
    for (const load of loads) expect(load.entries[0]).toBe(loads[0]!.entries[0]);
    expect(checkHostKey(await loadKnownHosts([file]), 'host.example.com', 22, key(K1)).status).toBe('trusted');
  });

  const withK2 = PLAIN.replace(`host.example.com,198.18.0.11 ssh-ed25519 ${K1}`, `host.example.com,198.18.0.11 ssh-ed25519 ${K2}`);
  it.each([
    ['its key was replaced by one of the same length and its modification time set back', (mtime: Date) => writeSettled(file, withK2, mtime)],
    [
      'it was replaced by another file of the same size and modification time',
      (mtime: Date) => {
        writeSettled(join(dir, 'new'), withK2, mtime);
        renameSync(join(dir, 'new'), file);
      },
    ],
  ])('reads a file again after %s', async (_change, change) => {
    const mtime = aMinuteAgo();
    writeSettled(file, PLAIN, mtime);
    expect(checkHostKey(await loadKnownHosts([file]), 'host.example.com', 22, key(K2)).status).toBe('changed');
    change(mtime);
    expect(withK2).toHaveLength(PLAIN.length);
    expect(checkHostKey(await loadKnownHosts([file]), 'host.example.com', 22, key(K2)).status).toBe('trusted');
  });

  it('reads a file again after accept-new appended a key to it', async () => {
    writeSettled(file, PLAIN, aMinuteAgo());
    expect(checkHostKey(await loadKnownHosts([file]), '198.18.0.99', 22, key(K2)).status).toBe('unknown');
    await appendKnownHost(file, '198.18.0.99', 22, key(K2));
    expect(checkHostKey(await loadKnownHosts([file]), '198.18.0.99', 22, key(K2)).status).toBe('trusted');
  });

  it('parses a file written in the last two seconds every time (a write in the same clock tick may leave its times as they were)', async () => {
    writeFileSync(file, PLAIN);
    const first = await loadKnownHosts([file]);
    const second = await loadKnownHosts([file]);
    expect(second.entries).toEqual(first.entries);
    expect(second.entries[0]).not.toBe(first.entries[0]);
  });

  it('counts a missing file and /dev/null as empty', async () => {
    await expect(loadKnownHosts([join(dir, 'missing'), '/dev/null'])).resolves.toEqual({ files: [join(dir, 'missing'), '/dev/null'], entries: [], problems: [] });
  });
});
