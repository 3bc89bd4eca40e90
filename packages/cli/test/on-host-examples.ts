import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { repoRoot } from './run-cli';

/** The on-host examples (examples/on-host/) as the tests read them. */
export const onHost = path.join(repoRoot, 'examples/on-host');
export const userDataFile = path.join(onHost, 'user-data');
export const unitFile = path.join(onHost, 'tcpmem-apply.service');
export const manifestFile = path.join(onHost, 'tcpmem-daemonset.yaml');
export const configFile = path.join(onHost, 'tcpmem/fleet.yaml');

export interface CloudConfig {
  readonly write_files: readonly { readonly path: string; readonly content: string; readonly permissions?: string }[];
  readonly runcmd: readonly (string | readonly string[])[];
}

/** cloud-init's user-data, parsed as YAML (cloud-init reads `#cloud-config` files as YAML 1.1; these use nothing 1.2 reads otherwise). */
export const cloudConfig = (): CloudConfig => parse(fs.readFileSync(userDataFile, 'utf8')) as CloudConfig;

/** runcmd's entries as shell lines: a list is an argv (cloud-init quotes each word), a string is run by sh. */
export const runcmdLines = (): string[] => cloudConfig().runcmd.map((entry) => (typeof entry === 'string' ? entry : entry.map(shellQuote).join(' ')));

/** The `Key=value` lines of one section of a systemd unit, in order (comments and blank lines dropped). */
export function unitSection(section: string): [string, string][] {
  const lines = fs.readFileSync(unitFile, 'utf8').split('\n');
  const out: [string, string][] = [];
  let current = '';
  for (const line of lines) {
    const head = /^\[(.+)\]$/.exec(line.trim());
    if (head !== null) current = head[1]!;
    else if (current === section && /^[A-Za-z]+=/.test(line)) {
      const at = line.indexOf('=');
      out.push([line.slice(0, at), line.slice(at + 1)]);
    }
  }
  return out;
}

/** The words of one unit setting that may be repeated (After=, Before=): every value, split at spaces. */
export const unitWords = (section: string, key: string): string[] => unitSection(section).filter(([k]) => k === key).flatMap(([, v]) => v.split(/\s+/).filter((w) => w !== ''));

/** The manifest's documents, parsed. */
export const manifests = (): { kind: string; apiVersion: string; [key: string]: unknown }[] =>
  parseAllDocuments(fs.readFileSync(manifestFile, 'utf8')).map((d) => d.toJS() as { kind: string; apiVersion: string });

export const shellQuote = (word: string): string => (/^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/** Splits a simple command line (no quotes inside words) into words. */
export const words = (line: string): string[] => line.trim().split(/\s+/);
