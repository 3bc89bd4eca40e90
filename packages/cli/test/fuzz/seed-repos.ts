import fs from 'node:fs';
import path from 'node:path';
import type { FileContent, Repo } from './fuzz-case';

const configFile = /\.(ya?ml|json)$/;

function readTree(dir: string, prefix = ''): [string, string][] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry): [string, string][] => {
      const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) return readTree(path.join(dir, entry.name), relative);
      return configFile.test(entry.name) ? [[relative, fs.readFileSync(path.join(dir, entry.name), 'utf8')]] : [];
    });
}

/**
 * The repos the mutations start from: every folder of examples/ (the Pulumi program and on-host's deployment files excepted) and the test's own
 * seeds (fuzz/seeds/: a fleet with discovered facts and a preset). Each is offered twice: the folder as the
 * target (every file is a root), and its fleet file as the target (includes and facts/ are followed from it).
 */
export function loadSeedRepos(repoRoot: string): Repo[] {
  const folders = [
    ...fs.readdirSync(path.join(repoRoot, 'examples'), { withFileTypes: true }).filter((e) => e.isDirectory() && e.name !== 'pulumi' && e.name !== 'on-host').map((e) => path.join(repoRoot, 'examples', e.name)),
    ...fs.readdirSync(path.join(__dirname, 'seeds'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(__dirname, 'seeds', e.name)),
  ].sort();
  const repos: Repo[] = [];
  for (const folder of folders) {
    const files = new Map<string, FileContent>(readTree(folder));
    if (files.size === 0) continue;
    const name = path.relative(repoRoot, folder);
    repos.push({ name, target: '.', files });
    if (files.has('fleet.yaml')) repos.push({ name, target: 'fleet.yaml', files });
  }
  return repos;
}
