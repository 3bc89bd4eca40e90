import { PassThrough } from 'node:stream';
import { LocalTransport, LocalTransportError } from './local-transport';

describe('LocalTransport', () => {
  it('runs a command with its stdin and gives its stdout, stderr and exit status, as SshTransport does', async () => {
    const t = new LocalTransport();
    await expect(t.exec('sh -s', { stdin: 'echo out; echo oops >&2; exit 3\n' })).resolves.toEqual({ stdout: 'out\n', stderr: 'oops\n', code: 3, signal: undefined });
    await expect(t.exec('tr a-z A-Z', { stdin: 'hello\n' })).resolves.toMatchObject({ stdout: 'HELLO\n', code: 0 });
    await expect(t.exec('sh -s', { stdin: 'kill -TERM $$\n' })).resolves.toMatchObject({ code: null, signal: 'SIGTERM' });
  });

  it('converses: lines written to a stdin stream reach the command as it runs, its output arrives as it is printed', async () => {
    const t = new LocalTransport();
    const input = new PassThrough();
    const seen: string[] = [];
    const done = t.exec('sh -s', {
      stdin: input,
      onStdout: (chunk) => {
        seen.push(chunk.toString());
        if (chunk.toString().includes('ready')) input.end('word\n');
      },
    });
    input.write('echo ready; read w; echo "heard $w"\n');
    expect((await done).stdout).toBe('ready\nheard word\n');
    expect(seen.join('')).toBe('ready\nheard word\n');
  });

  it.each([
    ['SIGKILL at its timeout', { commandTimeoutMs: 200 }, 'exec sleep 5', 'COMMAND_TIMEOUT'],
    ['SIGKILL when it prints too much', { maxOutputBytes: 1000 }, 'exec yes', 'OUTPUT_TOO_LARGE'],
  ] as const)('sends a command %s and rejects', async (_what, options, script, code) => {
    const t = new LocalTransport(options);
    await expect(t.exec('sh -s', { stdin: `${script}\n` })).rejects.toMatchObject({ code });
  });

  it('rejects a program that cannot be run', async () => {
    await expect(new LocalTransport().exec('/nonexistent/sh -s')).rejects.toMatchObject({ code: 'SPAWN_FAILED', message: expect.stringMatching(/^this machine: cannot run/) as unknown });
  });

  it('runs the command in its own process group, so a Ctrl-C at the terminal does not reach it', async () => {
    const { stdout } = await new LocalTransport().exec('sh -s', { stdin: 'echo "$$ $(ps -o pgid= -p $$)"\n' });
    const [pid, pgid] = stdout.trim().split(/\s+/);
    expect(pgid).toBe(pid);
  });

  it('ends stdin of a running command when closed (it reads EOF, as over a dropped connection), and refuses new ones', async () => {
    const t = new LocalTransport();
    const input = new PassThrough();
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => (started = resolve));
    const done = t.exec('sh -s', { stdin: input, onStdout: () => started() });
    input.write('{ echo started; if read w; then echo "heard $w"; else echo eof; fi; }\n');
    await running;
    await t.close();
    expect((await done).stdout).toBe('started\neof\n');
    expect(t.connected).toBe(false);
    await expect(t.exec('true')).rejects.toBeInstanceOf(LocalTransportError);
  });
});
