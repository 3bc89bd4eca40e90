import { problem, type Problem } from '@tcpmem/schema';
import type { FleetModel } from '../fleet/fleet-model';

/** How many host names the note lists before it says how many more there are. */
const namesListed = 5;

/**
 * One note for the facts documents of hosts the fleet does not define, or undefined when there are none. A host
 * renamed or removed leaves its facts file behind, and a facts file copied to a new name keeps its `host`: either
 * way no host gets those facts, and a host that was meant to plans from its hardware block (or not at all). Placed
 * at the first such file (by file name); a fleet of 10,000 with many gone says so in one line, not thousands.
 */
export function unusedFactsNote(fleet: FleetModel): Problem | undefined {
  const defined = new Set(fleet.hosts.map((host) => host.name));
  const unused = [...fleet.facts.values()].filter((facts) => !defined.has(facts.name)).sort((a, b) => (a.origin.file < b.origin.file ? -1 : a.origin.file > b.origin.file ? 1 : 0));
  const first = unused[0];
  if (first === undefined) return undefined;
  const names = unused.slice(0, namesListed).map((facts) => facts.name);
  const more = unused.length > namesListed ? ` and ${unused.length - namesListed} more` : '';
  const what = unused.length === 1 ? 'a facts file is for a host' : `${unused.length} facts files are for hosts`;
  return problem('TCPMEM_FACTS_UNUSED', `${what} the fleet does not define (${names.join(', ')}${more}); no host uses ${unused.length === 1 ? 'it' : 'them'}`, {
    severity: 'note',
    file: first.origin.file,
    path: '/host',
    hint: 'A host renamed or removed leaves its facts behind, and a copied facts file keeps its `host`: run `tcpmem discover` for the host by its name now, or delete the file.',
  });
}
