import fs from 'node:fs';
import { checkSource, problem, type Problem, type SourceDocument, type TcpmemDocument } from '@tcpmem/schema';
import { findConfigFiles } from './find-config-files';

/** One file that passed the schema gate. */
export interface LoadedSource {
  readonly file: string;
  readonly document: SourceDocument;
  readonly value: TcpmemDocument;
}

/** Every file at a path, each through the schema gate: what passed, and every problem of what did not. */
export interface SourceSet {
  readonly files: string[];
  readonly sources: LoadedSource[];
  readonly problems: Problem[];
}

/** Largest config file tcpmem reads; a bigger one is almost surely not a config file. */
export const maxConfigFileBytes = 64 * 1024 * 1024;

/** Reads and schema-checks the config files at a path (a file, or a folder of them). */
export function readSources(target: string): SourceSet {
  return readFiles(findConfigFiles(target));
}

/** Reads and schema-checks the given files. */
export function readFiles(files: readonly string[]): SourceSet {
  const sources: LoadedSource[] = [];
  const problems: Problem[] = [];
  for (const file of files) {
    const text = readText(file, problems);
    if (text === undefined) continue;
    const checked = checkSource(file, text);
    if (checked.ok) sources.push({ file, document: checked.document, value: checked.value });
    else problems.push(...checked.problems);
  }
  return { files: [...files], sources, problems };
}

function readText(file: string, problems: Problem[]): string | undefined {
  try {
    const size = fs.statSync(file).size;
    if (size > maxConfigFileBytes) {
      problems.push(problem('TCPMEM_FILE_TOO_LARGE', `${file} is ${size} bytes, over the ${maxConfigFileBytes}-byte limit`, { file, hint: 'Split the fleet into files joined with `include`.' }));
      return undefined;
    }
    const bytes = fs.readFileSync(file);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.startsWith('\uFEFF') ? text.slice(1) : text;
  } catch (error) {
    const reason = error instanceof TypeError ? 'is not UTF-8 text' : `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
    problems.push(problem('TCPMEM_FILE_UNREADABLE', `${file} ${reason}`, { file, hint: 'Config files are UTF-8 YAML or JSON that tcpmem can read.' }));
    return undefined;
  }
}
