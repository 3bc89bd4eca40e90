import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { cloudConfig, configFile, manifestFile, manifests, runcmdLines, unitSection, unitWords, userDataFile, words } from './on-host-examples';
import { repoRoot, runCli } from './run-cli';

/**
 * The on-host examples (examples/on-host/), checked without root: cloud-init's user-data is `#cloud-config` YAML
 * whose config is examples/on-host/tcpmem/fleet.yaml; the systemd unit orders itself after systemd-sysctl and before
 * the network; the DaemonSet manifest validates against the Kubernetes API schema (kubernetes-models, offline) and
 * runs tcpmem on the node. test/integration/on-host.test.ts runs their command lines for real.
 */
const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../oclif.manifest.json'), 'utf8')) as { commands: Record<string, { flags: Record<string, unknown> }> };
/** `apply --local` is helper "local"'s; until it is merged, the lines that use it are checked up to that flag. */
const applyLocal = 'local' in (manifest.commands['apply']?.flags ?? {});
const config = parse(fs.readFileSync(configFile, 'utf8')) as unknown;

/** Checks that a tcpmem command line names a real command and real flags (of this build). */
function knownFlags(argv: readonly string[]): { command: string; unknown: string[] } {
  const [bin, command = '', ...rest] = argv;
  expect(path.basename(bin ?? '')).toBe('tcpmem');
  const flags = manifest.commands[command]?.flags ?? {};
  return { command, unknown: rest.filter((w) => w.startsWith('--')).map((w) => w.slice(2)).filter((f) => !(f in flags)) };
}

describe('examples/on-host/user-data (cloud-init)', () => {
  it('starts with #cloud-config and parses as a YAML mapping with write_files and runcmd', () => {
    const text = fs.readFileSync(userDataFile, 'utf8');
    expect(text.split('\n')[0]).toBe('#cloud-config');
    const doc = cloudConfig();
    expect(Object.keys(doc).sort()).toEqual(['runcmd', 'write_files']);
  });

  it('writes examples/on-host/tcpmem/fleet.yaml (the same documents) to /etc/tcpmem/fleet.yaml', () => {
    expect(cloudConfig().write_files).toEqual([{ path: '/etc/tcpmem/fleet.yaml', permissions: '0644', content: expect.any(String) as unknown }]);
    expect(parse(cloudConfig().write_files[0]!.content)).toEqual(config);
  });

  it('runs tcpmem apply --local on that config, for one host of it', () => {
    expect(runcmdLines()).toEqual(['tcpmem apply --local /etc/tcpmem/fleet.yaml --host web-node --auto-approve']);
  });

  (applyLocal ? it : it.skip)('names flags tcpmem has (enabled once `apply --local` is merged)', () => {
    for (const line of runcmdLines()) expect(knownFlags(words(line))).toEqual({ command: 'apply', unknown: [] });
  });
});

describe('examples/on-host/tcpmem-apply.service (systemd)', () => {
  it.each([
    ['Unit', 'After', 'systemd-sysctl.service'],
    ['Unit', 'Before', 'network-pre.target'],
    ['Unit', 'Wants', 'network-pre.target'],
    ['Install', 'WantedBy', 'sysinit.target'],
  ])('[%s] %s= names %s', (section, key, unit) => {
    expect(unitWords(section, key)).toContain(unit);
  });

  it('is a oneshot that stays active once applied, with one ExecStart: tcpmem apply --local on /etc/tcpmem/fleet.yaml', () => {
    const service = Object.fromEntries(unitSection('Service'));
    expect(service).toEqual({ Type: 'oneshot', RemainAfterExit: 'yes', ExecStart: '/usr/local/bin/tcpmem apply --local /etc/tcpmem/fleet.yaml --host web-node --auto-approve' });
  });

  it('explains each ordering in its comments', () => {
    const text = fs.readFileSync(path.join(repoRoot, 'examples/on-host/tcpmem-apply.service'), 'utf8');
    expect(text).toMatch(/^# - After=systemd-sysctl\.service: /m);
    expect(text).toMatch(/^# - Before=network-pre\.target, Wants=network-pre\.target: /m);
  });
});

describe('examples/on-host/tcpmem-daemonset.yaml (Kubernetes)', () => {
  it('validates against the Kubernetes API schema (kubernetes-models): a ConfigMap and a DaemonSet', () => {
    // kubernetes-models is ESM only: validated in a node of its own, which prints one line per document
    const script = [
      "import fs from 'node:fs';",
      "import YAML from 'yaml';",
      "import { ConfigMap } from 'kubernetes-models/v1';",
      "import { DaemonSet } from 'kubernetes-models/apps/v1';",
      'const models = { ConfigMap, DaemonSet };',
      'for (const doc of YAML.parseAllDocuments(fs.readFileSync(process.argv[1], "utf8"))) {',
      '  const value = doc.toJS();',
      '  const Model = models[value.kind];',
      '  if (Model === undefined) { console.log(`${value.kind}: no model`); continue; }',
      '  try { new Model(value).validate(); console.log(`${value.kind}: valid`); } catch (e) { console.log(`${value.kind}: ${e.message}`); }',
      '}',
    ].join('\n');
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, manifestFile], { cwd: __dirname, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('ConfigMap: valid\nDaemonSet: valid\n');
  });

  it('catches a broken manifest: the same validation refuses a non-boolean privileged', () => {
    const broken = fs.readFileSync(manifestFile, 'utf8').replace('privileged: true', 'privileged: "yes"');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-k8s-')), 'broken.yaml');
    fs.writeFileSync(file, broken);
    const script = "import fs from 'node:fs'; import YAML from 'yaml'; import { DaemonSet } from 'kubernetes-models/apps/v1'; const ds = YAML.parseAllDocuments(fs.readFileSync(process.argv[1], 'utf8'))[1].toJS(); try { new DaemonSet(ds).validate(); console.log('valid'); } catch (e) { console.log(e.message); }";
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, file], { cwd: __dirname, encoding: 'utf8' });
    expect(run.stdout).toMatch(/privileged must be boolean/);
  });

  it('runs privileged in the node\'s network namespace, with the node\'s /etc/sysctl.d and /run/tcpmem, and the config from the ConfigMap', () => {
    const [configMap, daemonSet] = manifests() as unknown as [{ data: Record<string, string> }, { spec: { template: { spec: PodSpec } } }];
    expect(parse(configMap.data['fleet.yaml']!)).toEqual(config);
    const pod = daemonSet.spec.template.spec;
    expect(pod.hostNetwork).toBe(true);
    const apply = pod.initContainers[0]!;
    expect(apply.securityContext).toEqual({ privileged: true });
    expect(apply.command).toEqual(['tcpmem', 'apply', '--local', '/etc/tcpmem/fleet.yaml', '--host', 'web-node', '--auto-approve']);
    const volumes = Object.fromEntries(pod.volumes.map((v) => [v.name, v]));
    expect(apply.volumeMounts.map((m) => [m.mountPath, volumes[m.name]?.hostPath?.path ?? volumes[m.name]?.configMap?.name])).toEqual([
      ['/etc/tcpmem', 'tcpmem-config'],
      ['/etc/sysctl.d', '/etc/sysctl.d'],
      ['/run/tcpmem', '/run/tcpmem'],
    ]);
  });

  (applyLocal ? it : it.skip)('names flags tcpmem has (enabled once `apply --local` is merged)', () => {
    const [, daemonSet] = manifests() as [unknown, { spec: { template: { spec: PodSpec } } }];
    expect(knownFlags(daemonSet.spec.template.spec.initContainers[0]!.command)).toEqual({ command: 'apply', unknown: [] });
  });
});

describe('examples/on-host/tcpmem/fleet.yaml', () => {
  it.each(['web-node', 'cache-node'])('renders %s offline, with no warning', (host) => {
    const run = runCli(['render', configFile, '--host', host]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('net.core.somaxconn = 8192\n');
  });

  it('gives the pods of web-node\'s kernel tcp_rmem and tcp_wmem as safe, and leaves cache-node\'s tcp_mem to the node', () => {
    const web = JSON.parse(runCli(['render', configFile, '--host', 'web-node', '--format', 'kubernetes', '--json']).stdout) as { sysctls: { name: string; safe: boolean }[] };
    expect(web.sysctls.filter((s) => s.safe).map((s) => s.name)).toEqual(['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']);
    const cache = JSON.parse(runCli(['render', configFile, '--host', 'cache-node', '--format', 'kubernetes', '--json']).stdout) as { leftOut: { name: string }[] };
    expect(cache.leftOut.map((s) => s.name)).toEqual(['net.ipv4.tcp_mem']);
  });
});

interface PodSpec {
  hostNetwork: boolean;
  initContainers: { command: string[]; securityContext: unknown; volumeMounts: { name: string; mountPath: string }[] }[];
  volumes: { name: string; hostPath?: { path: string }; configMap?: { name: string } }[];
}
