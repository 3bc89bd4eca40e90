import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { checkSource } from '@tcpmem/schema';
import { repoRoot, runCli } from './run-cli';

/**
 * Every snippet in README.md and docs/*.md, tested as written (docs/commands/ is generated from the commands):
 * - yaml: validates; a fleet also plans offline with no invalid host;
 * - sh: every `tcpmem` command names a real command and real flags, and runs (exit 0) unless its block needs
 *   hosts; every `npm run X` names a script of the root package.json;
 * - ts: type-checks against the built packages; a line `expr; // "value"` is run and must print that value.
 * A block that is not meant to pass says so in an HTML comment on the line before its fence:
 * `<!-- snippet: invalid -->` (must fail validation); `<!-- snippet: needs hosts -->` or `<!-- snippet: not run
 * (why) -->` (its commands are checked against the manifest, not run).
 */
interface Snippet {
  readonly file: string;
  readonly line: number;
  readonly lang: string;
  readonly text: string;
  readonly marker: string | undefined;
}

function snippets(): Snippet[] {
  const files = ['README.md', ...fs.readdirSync(path.join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  return files.flatMap((file) => {
    const lines = fs.readFileSync(path.join(repoRoot, file), 'utf8').split('\n');
    const found: Snippet[] = [];
    for (let i = 0; i < lines.length; i++) {
      const open = /^```(\w+)\s*$/.exec(lines[i]!);
      if (open === null) continue;
      const end = lines.indexOf('```', i + 1);
      const marker = /^<!-- snippet: (.+?) -->$/.exec(lines[i - 1] ?? '')?.[1];
      found.push({ file, line: i + 1, lang: open[1]!, text: lines.slice(i + 1, end).join('\n'), marker });
      i = end;
    }
    return found;
  });
}

const all = snippets();
const label = (s: Snippet): string => `${s.file}:${s.line}`;
const ofLang = (...langs: string[]) => all.filter((s) => langs.includes(s.lang)).map((s) => [label(s), s] as const);

interface ManifestCommand {
  flags: Record<string, { char?: string }>;
}
const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../oclif.manifest.json'), 'utf8')) as { commands: Record<string, ManifestCommand> };
const rootScripts = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** The words of each simple command on a shell line: comments dropped, split at &&, ||, ; and |, quotes kept whole. */
function commandsOf(line: string): string[][] {
  const words = line.replace(/\s#.*$/, '').match(/'[^']*'|"[^"]*"|&&|\|\||[;|]|[^\s;|]+/g) ?? [];
  const commands: string[][] = [[]];
  for (const word of words) {
    if (['&&', '||', ';', '|'].includes(word)) commands.push([]);
    else commands[commands.length - 1]!.push(word.replace(/^(['"])(.*)\1$/, '$2'));
  }
  return commands.filter((c) => c.length > 0);
}

/** `tcpmem …` / `npx tcpmem …` commands of a sh snippet, as argument lists. */
function tcpmemCommands(text: string): string[][] {
  return text
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'))
    .flatMap(commandsOf)
    .map((words) => (words[0] === 'npx' ? words.slice(1) : words))
    .filter((words) => words[0] === 'tcpmem')
    .map((words) => words.slice(1));
}

describe('docs snippets', () => {
  it('finds the snippets of README.md and docs/', () => {
    expect(ofLang('yaml').length).toBeGreaterThanOrEqual(2);
    expect(ofLang('sh').length).toBeGreaterThanOrEqual(4);
    expect(ofLang('ts').length).toBeGreaterThanOrEqual(2);
  });

  it('reads only the markers it knows', () => {
    const markers = all.filter((s) => s.marker !== undefined).map((s) => `${label(s)} ${s.marker ?? ''}`);
    expect(markers.filter((m) => !/ (invalid|needs hosts|not run \(.+\))$/.test(m))).toEqual([]);
  });

  describe.each(ofLang('yaml'))('yaml %s', (_l, s) => {
    it(s.marker === 'invalid' ? 'is refused, as its marker says' : 'validates against the schema', () => {
      const checked = checkSource(s.file, s.text);
      if (s.marker === 'invalid') expect(checked.ok).toBe(false);
      else expect(checked.ok ? [] : checked.problems).toEqual([]);
    });

    if (s.marker === undefined && /^kind: fleet$/m.test(s.text)) {
      it('plans offline, every host valid', () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-snippet-'));
        fs.writeFileSync(path.join(dir, 'fleet.yaml'), s.text);
        const run = runCli(['plan', dir, '--offline', '--json']);
        const plan = JSON.parse(run.stdout) as { summary: { invalid: number }; hosts: { name: string; problems: { severity: string; code: string; message: string }[] }[] };
        expect(plan.hosts.flatMap((h) => h.problems.filter((p) => p.severity === 'error').map((p) => `${h.name}: ${p.code} ${p.message}`))).toEqual([]);
        expect(plan.summary.invalid).toBe(0);
        expect(run.status).toBe(0);
      });
    }
  });

  describe.each(ofLang('sh', 'bash'))('sh %s', (_l, s) => {
    const commands = tcpmemCommands(s.text);

    if (commands.length === 0) {
      it('has no tcpmem command to check', () => {
        expect(commands).toEqual([]);
      });
      return;
    }

    it.each(commands.map((c) => [c.join(' '), c] as const))('`tcpmem %s` names a command and flags that exist', (_c, args) => {
      // a command of a topic is spelled with a space (`report merge`) and named with a colon in the manifest
      const topic = `${args[0] ?? ''}:${args[1] ?? ''}`;
      const id = topic in manifest.commands ? topic : args[0]!;
      if (id.startsWith('-')) {
        expect(['--help', '-h', '--version', '-v']).toContain(id);
        return;
      }
      expect(Object.keys(manifest.commands)).toContain(id);
      const flags = manifest.commands[id]!.flags;
      for (const word of args.slice(id.split(':').length).filter((w) => w.startsWith('-'))) {
        const name = word.replace(/^--?/, '').replace(/=.*$/, '');
        const known = word.startsWith('--') ? name in flags || name === 'help' : Object.values(flags).some((f) => f.char === name) || name === 'h';
        expect({ word, known }).toEqual({ word, known: true });
      }
    });

    if (s.marker === undefined) {
      it.each(commands.map((c) => [c.join(' '), c] as const))('`tcpmem %s` runs and exits 0', (_c, args) => {
        const run = runCli(args);
        expect(run.stderr.split('\n').filter((l) => l.startsWith('error'))).toEqual([]);
        expect(run.status).toBe(0);
      });
    }

    const npmRuns = s.text.split('\n').flatMap(commandsOf).filter((w) => w[0] === 'npm' && (w[1] === 'run' || w[1] === 'test'));
    if (npmRuns.length > 0) {
      it.each(npmRuns.map((w) => [w.join(' '), w] as const))('`%s` names a script of package.json', (_c, words) => {
        expect(Object.keys(rootScripts)).toContain(words[1] === 'test' ? 'test' : words[2]);
      });
    }
  });

  describe.each(ofLang('ts'))('ts %s', (_l, s) => {
    // Beside the repository's node_modules, so that @tcpmem/* and @pulumi/pulumi resolve as in a user's program.
    const dir = path.join(repoRoot, 'node_modules/.cache/tcpmem-doc-snippets');
    const file = path.join(dir, `${s.file.replace(/[^A-Za-z0-9]/g, '-')}-${s.line}.ts`);

    it('type-checks against the built packages', () => {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(file, `${s.text}\nexport {};\n`);
      const program = ts.createProgram([file], { strict: true, noEmit: true, module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, moduleResolution: ts.ModuleResolutionKind.Node10, esModuleInterop: true, skipLibCheck: true, types: ['node'] });
      const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      expect(diagnostics).toEqual([]);
    });

    const claims = s.text.split('\n').filter((l) => /;\s*\/\/\s*"/.test(l));
    if (claims.length > 0) {
      it('prints what its comments say', () => {
        const js = ts.transpileModule(
          s.text.replace(/^(.*?);\s*\/\/\s*("(?:[^"\\]|\\.)*")(.*)$/gm, (_m, expr: string, claim: string) => `console.log(JSON.stringify([${expr}, ${claim}]));`),
          { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } },
        ).outputText;
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(file.replace(/\.ts$/, '.js'), js);
        const run = spawnSync(process.execPath, [file.replace(/\.ts$/, '.js')], { encoding: 'utf8' });
        expect(run.stderr).toBe('');
        const pairs = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as [unknown, unknown]);
        expect(pairs.length).toBe(claims.length);
        for (const [actual, claimed] of pairs) expect(actual).toEqual(claimed);
      });
    }
  });

  describe('the value forms of docs/config-reference.md', () => {
    /** The examples table under each `### Name` heading: the text in the first column's code span. */
    const reference = fs.readFileSync(path.join(repoRoot, 'docs/config-reference.md'), 'utf8');
    const examplesOf = (name: string): string[] => {
      const section = reference.split(/^### /m).find((part) => part.startsWith(`${name}\n`)) ?? '';
      return [...section.matchAll(/^\| `(.+?)` \|/gm)].map((m) => m[1]!.replace(/\\\|/g, '|'));
    };
    const cases = [
      ...examplesOf('ValueExpr').map((text) => ['net.core.rmem_max', text] as const),
      ...examplesOf('PagesTriple').map((text) => ['net.ipv4.tcp_mem', text] as const),
      ...examplesOf('BufferTriple').map((text) => ['net.ipv4.tcp_rmem', text] as const),
    ];

    it('finds the examples', () => {
      expect(cases.length).toBeGreaterThanOrEqual(15);
    });

    it('plans every example as written on a 4 GiB and a 16 GiB host, with no error', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-forms-'));
      const hosts = cases.flatMap(([sysctl, text], i) =>
        ['4GiB', '16GiB'].map((memory) => `  e${i}-${memory}: { hardware: { kernel: "6.1", memory: ${memory}, cpus: 4 }, sysctls: { ${sysctl}: ${text} } }`),
      );
      fs.writeFileSync(path.join(dir, 'fleet.yaml'), ['kind: fleet', 'version: 1', 'hosts:', ...hosts, ''].join('\n'));
      const run = runCli(['plan', dir, '--offline', '--json']);
      const plan = JSON.parse(run.stdout) as { hosts: { name: string; problems: { severity: string; code: string; message: string }[] }[] };
      const errors = plan.hosts.flatMap((h) => {
        const [sysctl, text] = cases[Number(/^e(\d+)-/.exec(h.name)![1])]!;
        return h.problems.filter((p) => p.severity === 'error').map((p) => `${sysctl}: ${text} on ${h.name}: ${p.code} ${p.message}`);
      });
      expect(errors).toEqual([]);
      expect(plan.hosts).toHaveLength(2 * cases.length);
    });
  });
});

