import type { KernelVersion } from '../series/kernel-version';
import { presenceOf, type KernelChangeId } from './kernel-changes';

/** A fact that holds in every series, or one that a dated kernel change switches. */
export type Versioned<T> =
  | { readonly always: T }
  | { readonly change: KernelChangeId; readonly before: Versioned<T>; readonly after: Versioned<T> };

/**
 * Something a candidate value rests on that the kernel version does not settle: whether the kernel has a change
 * (`on` = the change id, `choice` = `with` | `without`), or a build detail (`on` = `sizeof(struct sk_buff)`).
 */
export interface Assumption {
  readonly on: string;
  readonly choice: string;
}

/** One value a fact can take on a kernel, with the assumptions it rests on (none when the version decides it). */
export interface Candidate<T> {
  readonly value: T;
  readonly assumptions: readonly Assumption[];
}

/** The values a fact can take on a kernel: one when the version decides it, more when a change is `unknown`. */
export function candidatesOf<T>(fact: Versioned<T>, version: Pick<KernelVersion, 'major' | 'minor'>, sublevel: number | undefined): Candidate<T>[] {
  if ('always' in fact) return [{ value: fact.always, assumptions: [] }];
  const presence = presenceOf(fact.change, version, sublevel);
  if (presence === 'present') return candidatesOf(fact.after, version, sublevel);
  if (presence === 'absent') return candidatesOf(fact.before, version, sublevel);
  const tag =
    (choice: string) =>
    (c: Candidate<T>): Candidate<T> => ({ value: c.value, assumptions: [{ on: fact.change, choice }, ...c.assumptions] });
  return [...candidatesOf(fact.before, version, sublevel).map(tag('without')), ...candidatesOf(fact.after, version, sublevel).map(tag('with'))];
}

/** True when two lists of assumptions never make different choices on the same thing. */
export function consistent(a: readonly Assumption[], b: readonly Assumption[]): boolean {
  return a.every((x) => b.every((y) => x.on !== y.on || x.choice === y.choice));
}

/** The assumptions of both lists, each once. */
export function mergeAssumptions(a: readonly Assumption[], b: readonly Assumption[]): Assumption[] {
  return [...a, ...b.filter((y) => !a.some((x) => x.on === y.on))];
}

/** The same fact with every value passed through `f`. */
export function mapVersioned<T, U>(fact: Versioned<T>, f: (value: T) => U): Versioned<U> {
  if ('always' in fact) return { always: f(fact.always) };
  return { change: fact.change, before: mapVersioned(fact.before, f), after: mapVersioned(fact.after, f) };
}
