import type { Problem } from '@tcpmem/schema';
import { readSources } from './read-sources';

/** What `tcpmem validate` reports: the files read and every problem found in them. */
export interface ConfigValidation {
  readonly files: string[];
  readonly problems: Problem[];
}

/** Validates the config files at a path: syntax and schema of each file. */
export function validateConfig(target: string): ConfigValidation {
  const { files, problems } = readSources(target);
  return { files, problems };
}
