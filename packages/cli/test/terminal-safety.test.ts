import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './run-cli';

/**
 * What a config, a facts file or a host says reaches a person's terminal only as text: a kernel release with an
 * escape sequence (a host's `uname -r`, its facts file), a key with a carriage return, a sysctl.d file's name,
 * can neither drive the terminal (clear it, move the cursor up over the plan, set its title) nor forge a line of
 * tcpmem's output. Run through the real binary on real files, on a pipe and on a real terminal (a pty).
 */

/** A character that drives a terminal or reorders its text: C0 (but LF), DEL, C1, line and bidi controls. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const controls = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const seed = path.join(__dirname, 'fuzz/seeds/facts-fleet');
/** A line the hostile text tries to forge in the plan: a change the config never asked for. */
const forged = '  + net.core.somaxconn  4096 → 1 count  # absolute (defaults)';
const hostile = `\u001b[2J\u001b]0;owned\u0007\r\n${forged}\n\u202e`;

describe('text from files and hosts on a terminal', () => {
  let root: string;
  /** The seed fleet, its vm-1's facts saying a hostile release. */
  let dir: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-terminal-'));
    dir = path.join(root, 'fleet');
    fs.cpSync(seed, dir, { recursive: true });
    const factsFile = path.join(dir, 'facts/vm-1.json');
    const facts = JSON.parse(fs.readFileSync(factsFile, 'utf8')) as { facts: { release: string } };
    facts.facts.release = `6.1.0-56-cloud-amd64${hostile}`;
    fs.writeFileSync(factsFile, JSON.stringify(facts, null, 2));
    fs.writeFileSync(path.join(root, 'evil.yaml'), `kind: fleet\nhosts:\n  ${JSON.stringify(`evil${hostile}`)}:\n    address: 192.0.2.9\n    sysctls:\n      net.core.somaxconn: ${JSON.stringify(hostile)}\n`);
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  const expectInert = (text: string): void => {
    expect(text).not.toMatch(controls);
    expect(text.split('\n')).not.toContain(forged);
    expect(text).toContain('\\e[2J\\e]0;owned\\x07\\r\\n  + net.core.somaxconn');
  };

  it('validate prints a hostile key and value escaped, each problem on its own two lines', () => {
    const run = runCli(['validate', path.join(root, 'evil.yaml')]);
    expect(run.status).toBe(1);
    expectInert(run.stderr);
    expect(run.stderr).toMatch(/^.*evil\.yaml:3:3: error TCPMEM_SCHEMA: invalid name "evil\\e\[2J/m);
  });

  it('plan prints a hostile kernel release from a facts file escaped (stdout and stderr)', () => {
    const run = runCli(['plan', dir, '--offline']);
    expect(run.status).toBe(1);
    expectInert(run.stdout);
    expectInert(run.stderr);
    // --json keeps what the file says, as it is: it is data, not text for a terminal
    const json = runCli(['plan', dir, '--offline', '--json', '--target', 'vm-1']);
    expect(JSON.stringify(JSON.parse(json.stdout))).toContain(JSON.stringify(`6.1.0-56-cloud-amd64${hostile}`).slice(1, -1));
  });

  it('on a real terminal, keeps tcpmem colours and nothing else that drives it', () => {
    // script(1) gives the binary a pty for stdout and stderr, as a person's terminal; colours are then on.
    const bin = path.resolve(__dirname, '../bin/run.js');
    const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' };
    delete env['NO_COLOR'];
    delete env['FORCE_COLOR'];
    const run = spawnSync('script', ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} plan ${JSON.stringify(dir)} --offline`, '/dev/null'], { encoding: 'utf8', env, timeout: 60_000 });
    // the pty's line discipline ends each line with CR LF (onlcr): that CR is the terminal's, not tcpmem's
    const text = run.stdout.replace(/\r\n/g, '\n');
    expect(text).toContain('\u001b[1m');
    expect(text.split('\n')).not.toContain(forged);
    // eslint-disable-next-line no-control-regex -- tcpmem's own colour codes
    const styles = /\u001b\[(?:1|2|22|31|32|33|36|39)m/g;
    expect(text.replace(styles, '')).not.toMatch(controls);
    expect(text).toContain('\\e[2J\\e]0;owned\\x07\\r\\n  + net.core.somaxconn');
  });
});
