import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * One file of a config repo as the bad-input test writes it: text (written as UTF-8), raw bytes (for invalid
 * UTF-8), or a sparse file of a given size (for the 64 MiB limit, without writing 64 MiB).
 */
export type FileContent = string | Uint8Array | { readonly sparseBytes: number } | { readonly fifo: true };

/** A config repo: its files by path (relative, `/`-separated) and the path handed to `validate` and `plan`. */
export interface Repo {
  readonly name: string;
  target: string;
  readonly files: Map<string, FileContent>;
}

/** A generated (or saved) bad input: the repo, how it was made, and how to make it again. */
export interface FuzzCase {
  /** `seed 0x…` for generated cases, the file name for saved regressions. */
  readonly id: string;
  /** The case seed (generated cases); with the same seed the generator makes the same repo. */
  readonly seed: number | undefined;
  readonly repo: Repo;
  /** What was done to the seed repo, in order. */
  readonly steps: readonly string[];
}

export function cloneRepo(repo: Repo): Repo {
  return { name: repo.name, target: repo.target, files: new Map(repo.files) };
}

export function isText(content: FileContent): content is string {
  return typeof content === 'string';
}

/** The content's bytes (sparse files excepted). */
export function bytesOf(content: FileContent): Uint8Array | undefined {
  if (typeof content === 'string') return Buffer.from(content, 'utf8');
  if (content instanceof Uint8Array) return content;
  return undefined;
}

/** Writes a repo below `dir` and returns the absolute path to hand to the commands. */
export function writeRepo(repo: Repo, dir: string): string {
  for (const [relative, content] of repo.files) {
    const file = path.join(dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (typeof content === 'string' || content instanceof Uint8Array) {
      fs.writeFileSync(file, content);
    } else if ('fifo' in content) {
      execFileSync('mkfifo', [file]);
    } else {
      fs.writeFileSync(file, '');
      fs.truncateSync(file, content.sparseBytes);
    }
  }
  return path.join(dir, repo.target);
}

/**
 * A saved case (`regressions/*.json`): the files of a repo, each as text, as base64 bytes, as a repeated
 * string (`{ "repeat": "…", "times": N, "before": "…", "after": "…" }`, so a 5 MB input stays a small file;
 * `{i}` in `repeat` is replaced by the index), as a sparse file size, or as a FIFO (`{ "fifo": true }`).
 */
export interface SavedCase {
  /** What tcpmem should do with this input, as a sentence (the test's name). */
  readonly title: string;
  /** `open`: a known bug the lead has not fixed yet (the case runs as `it.failing`); `fixed`: must pass. */
  readonly status: 'open' | 'fixed';
  /** Where it came from: a fuzz seed, or written by hand. */
  readonly found: string;
  /** For open bugs: what breaks, where, and the proposed fix. */
  readonly bug?: string;
  readonly target: string;
  /** Which commands to run on it; both when absent. */
  readonly commands?: readonly ('validate' | 'plan')[];
  /** Error codes each command must report (in-process), beyond the rules every input obeys. */
  readonly expectCodes?: readonly string[];
  /** Each command must finish within this many milliseconds of CPU time (in-process). */
  readonly maxMs?: number;
  /** Also run the real binary on it, for each command: as a person would (`human`), with `--json`, or both. */
  readonly binary?: 'human' | 'json' | 'both';
  /** How long a binary run may take before it counts as a hang (default: the test's). */
  readonly binaryTimeoutMs?: number;
  /** False for inputs that would block the test process itself (a FIFO read blocks forever): binary only. */
  readonly inProcess?: boolean;
  readonly files: Readonly<Record<string, SavedContent>>;
}

export type SavedContent =
  | string
  | { readonly base64: string }
  | { readonly repeat: string; readonly times: number; readonly before?: string; readonly after?: string }
  | { readonly sparseBytes: number }
  | { readonly fifo: true };

export function repoFromSaved(name: string, saved: SavedCase): Repo {
  const files = new Map<string, FileContent>();
  for (const [file, content] of Object.entries(saved.files)) {
    if (typeof content === 'string') files.set(file, content);
    else if ('base64' in content) files.set(file, new Uint8Array(Buffer.from(content.base64, 'base64')));
    else if ('repeat' in content) files.set(file, `${content.before ?? ''}${repeatNumbered(content.repeat, content.times)}${content.after ?? ''}`);
    else if ('fifo' in content) files.set(file, { fifo: true });
    else files.set(file, { sparseBytes: content.sparseBytes });
  }
  return { name, target: saved.target, files };
}

/** `text` repeated `times` times; `{i}` in it becomes the repetition's index (0, 1, …), for unique keys. */
function repeatNumbered(text: string, times: number): string {
  if (!text.includes('{i}')) return text.repeat(times);
  const parts = text.split('{i}');
  return Array.from({ length: times }, (_v, i) => parts.join(String(i))).join('');
}

/** A case as a regressions/*.json document, ready to be saved when it finds a bug. */
export function toSaved(fuzzCase: FuzzCase, title: string): SavedCase {
  const files: Record<string, SavedContent> = {};
  for (const [file, content] of fuzzCase.repo.files) {
    if (typeof content === 'string') files[file] = content;
    else if (content instanceof Uint8Array) files[file] = { base64: Buffer.from(content).toString('base64') };
    else if ('fifo' in content) files[file] = { fifo: true };
    else files[file] = { sparseBytes: content.sparseBytes };
  }
  return { title, status: 'open', found: `${fuzzCase.id} (${fuzzCase.repo.name}: ${fuzzCase.steps.join('; ')})`, target: fuzzCase.repo.target, files };
}

/** The case for a failure message: seed, steps and every file (long ones shortened), so it can be read and re-run. */
export function describeCase(fuzzCase: FuzzCase, maxChars = 1500): string {
  const out = [`${fuzzCase.id} — seed repo ${fuzzCase.repo.name}, target ${fuzzCase.repo.target}`, `steps: ${fuzzCase.steps.join('; ') || '(none)'}`];
  if (fuzzCase.seed !== undefined) out.push(`re-run: TCPMEM_FUZZ_ONLY=${fuzzCase.seed} npx jest test/bad-input.test.ts`);
  for (const [file, content] of fuzzCase.repo.files) {
    if (typeof content === 'object' && !(content instanceof Uint8Array)) {
      out.push(`--- ${file}: ${'fifo' in content ? 'a FIFO' : `sparse file of ${content.sparseBytes} bytes`}`);
      continue;
    }
    const text = typeof content === 'string' ? content : Buffer.from(content).toString('latin1');
    const kind = typeof content === 'string' ? 'text' : 'bytes, shown as latin1';
    const shown = text.length > maxChars ? `${text.slice(0, maxChars)}… (${text.length - maxChars} more)` : text;
    out.push(`--- ${file} (${text.length} chars, ${kind}):`, JSON.stringify(shown));
  }
  return out.join('\n');
}
