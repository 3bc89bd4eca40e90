import type { ErrorObject } from 'ajv';
import type { Problem } from './generated/types';
import { problem } from './problem';
import { toPointer, pointerSegments, type SourceDocument } from './source-document';

/**
 * Turns ajv's errors for one document into located problems with a hint each. ajv reports every branch of an
 * `anyOf`; when a more specific error exists at or below the same place, the generic "must match a schema in
 * anyOf" is dropped, and the same message at the same place is reported once.
 */
export function schemaProblems(errors: readonly ErrorObject[], document: SourceDocument): Problem[] {
  const kept = errors.filter((e) => !isNoise(e, errors));
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const error of kept) {
    const { pointer, message, hint, key } = describe(error, document);
    const id = `${pointer}|${message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const at = document.locate(pointer, { key });
    problems.push(
      problem('TCPMEM_SCHEMA', message, {
        file: document.file,
        ...(at ?? {}),
        path: pointer,
        schemaPath: error.schemaPath,
        hint,
      }),
    );
  }
  return problems;
}

function isNoise(error: ErrorObject, all: readonly ErrorObject[]): boolean {
  if (error.keyword === 'if') return true;
  // A name's own error (ajv's `pattern` with `propertyName`, at the object) repeats the `propertyNames` error that
  // names it ("invalid name …"), and its place was the object's first key, a valid one.
  if (error.keyword !== 'propertyNames' && error.propertyName !== undefined) return all.some((other) => other.keyword === 'propertyNames' && other.instancePath === error.instancePath);
  // The root's `discriminator` repeats what its own `required` and `enum` on `kind` say more clearly.
  if (error.keyword === 'discriminator') return all.some((other) => other !== error && other.instancePath.startsWith(error.instancePath) && (other.keyword === 'required' || other.keyword === 'enum'));
  const deeperOrSame = (other: ErrorObject) =>
    other !== error && other.keyword !== 'anyOf' && other.keyword !== 'if' && other.instancePath.startsWith(error.instancePath);
  if (error.keyword === 'anyOf' || error.keyword === 'oneOf') return all.some(deeperOrSame);
  // Inside an anyOf, a branch's "must be integer" next to another branch's "must match pattern" is noise:
  // keep the pattern message (it names what a string should look like), drop the bare type mismatch.
  if (error.keyword === 'type' && error.schemaPath.includes('/anyOf/')) {
    return all.some(
      (other) =>
        other !== error &&
        other.instancePath.startsWith(error.instancePath) &&
        other.keyword !== 'type' &&
        other.keyword !== 'anyOf' &&
        other.keyword !== 'if',
    );
  }
  return false;
}

interface Described {
  pointer: string;
  message: string;
  hint: string;
  key: boolean;
}

function describe(error: ErrorObject, document: SourceDocument): Described {
  const pointer = error.instancePath;
  const name = lastSegment(pointer);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const extra = String(params['additionalProperty']);
      return {
        pointer: toPointer([...pointerSegments(pointer), extra]),
        message: `unknown property "${extra}"${name ? ` in ${name}` : ''}`,
        hint:
          extra === '<<'
            ? 'A YAML merge key (`<<: *anchor`) is YAML 1.1; tcpmem reads YAML 1.2, where it is an ordinary key. Share settings with groups or presets (a host takes its groups\' settings in order), or repeat the values; an alias (`*anchor`) as a whole value works.'
            : `Remove "${extra}" or correct its spelling; see docs/config-reference.md for the properties allowed here.`,
        key: true,
      };
    }
    case 'required':
      return {
        pointer,
        message: `missing required property "${String(params['missingProperty'])}"${name ? ` in ${name}` : ''}`,
        hint: `Add "${String(params['missingProperty'])}" here.`,
        key: false,
      };
    case 'enum':
      return {
        pointer,
        message: `${name || 'value'} must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
        hint: 'Use one of the listed values.',
        key: false,
      };
    case 'const':
      return {
        pointer,
        message: `${name || 'value'} must be ${JSON.stringify(params['allowedValue'])}`,
        hint: `Set it to ${JSON.stringify(params['allowedValue'])}.`,
        key: false,
      };
    case 'type': {
      const type = String(params['type']);
      const value = valueAt(document.value, pointer);
      const hint = (type === 'object' ? sysctlConfHint(value, name, document.file) : undefined) ?? (type === 'string' && typeof value === 'number' ? numberForStringHint(name, value) : undefined) ?? `Write ${typeNames(type)} here.`;
      return { pointer, message: `${name || 'value'} must be of type ${type}`, hint, key: false };
    }
    case 'pattern':
      return {
        pointer,
        message: `${name || 'value'} has an invalid form`,
        hint: hintForPattern(String(params['pattern'])),
        key: false,
      };
    case 'propertyNames':
      return {
        pointer: toPointer([...pointerSegments(pointer), String(params['propertyName'])]),
        message: `invalid name "${String(params['propertyName'])}"`,
        hint: 'Names start with an ASCII letter or digit and contain only ASCII letters (a–z, A–Z), digits, ".", "_" and "-".',
        key: true,
      };
    case 'not':
      return {
        pointer,
        message: `${name || 'value'} sets properties that exclude each other`,
        hint: 'Give either `memory` (one node) or `nodes` (memory per NUMA node), not both.',
        key: false,
      };
    default:
      return { pointer, message: `${name || 'value'} ${error.message ?? 'is invalid'}`, hint: 'See docs/config-reference.md for the allowed forms.', key: false };
  }
}

/** ajv's name of a type, or of several (`string,integer`), with its article: `an integer`, `a string or an object`. */
export function typeNames(type: string): string {
  return type
    .split(',')
    .map((t) => `${/^[aeiou]/.test(t) ? 'an' : 'a'} ${t}`)
    .join(' or ');
}

/**
 * The hint for a line of sysctl.conf (`net.ipv4.tcp_rmem = 4096 87380 6291456`) pasted where a mapping belongs
 * (`sysctls:`): the same setting as the file wants it. YAML reads such a line as one string, several of them
 * indented below the key as one folded string; each `name = value` in it is shown, the first three at most.
 */
export function sysctlConfHint(value: unknown, name: string, file: string): string | undefined {
  // (a paste of sysctl.conf is short: a long string is left alone, so the scan below stays cheap)
  if (typeof value !== 'string' || value.length > 10_000) return undefined;
  // a sysctl's name (net.ipv4.tcp_rmem, or net/ipv4/tcp_rmem), then `=`, then its value up to the next name
  if (!/^\s*[A-Za-z][\w./-]*\s*=/.test(value)) return undefined;
  const settings = [...value.matchAll(/([A-Za-z][\w./-]*)\s*=\s*(.*?)\s*(?=\s[A-Za-z][\w./-]*\s*=|$)/g)].map((m) => [m[1]!, m[2]!] as const);
  const json = /\.json$/i.test(file);
  const shown = settings.slice(0, 3).map(([key, v]) => (json ? `${JSON.stringify(key)}: ${/^-?\d+$/.test(v) ? v : JSON.stringify(v)}` : `${key}: ${v}`));
  const more = settings.length > 3 ? ` (and ${settings.length - 3} more)` : '';
  return json
    ? `\`name = value\` is the sysctl.conf form; JSON wants an object${name === '' ? '' : ` for ${name}`}: {${shown.join(', ')}${more}}.`
    : `\`name = value\` is the sysctl.conf form; YAML wants \`name: value\`, one a line, indented below ${name === '' ? 'the key' : `\`${name}:\``}, as ${shown.map((line) => `\`${line}\``).join(', ')}${more}.`;
}

/** The value at a JSON pointer, or undefined. */
function valueAt(root: unknown, pointer: string): unknown {
  let value = root;
  for (const segment of pointerSegments(pointer)) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** How a message names the value at a pointer: its key, or `parent[index]` for an array item. */
function lastSegment(pointer: string): string {
  const segments = pointerSegments(pointer);
  const last = segments[segments.length - 1] ?? '';
  if (/^\d+$/.test(last) && segments.length > 1) return `${segments[segments.length - 2] ?? ''}[${last}]`;
  return last;
}

function hintForPattern(pattern: string): string {
  if (pattern === '^(default|[0-9]+(\\.[0-9]+)?x)$' || pattern.includes('[ \\t]+')) {
    return 'Write a triple as three integers separated by spaces or tabs ("4096 131072 16777216", the sysctl.conf form), a list [4096, 131072, 16MiB], named fields {max: 16MiB}, default, or a factor such as 2x.';
  }
  if (pattern.includes('iB')) return 'Write a number with an optional unit, e.g. 4096, 16MiB, 2GiB; or default, 2x, 6%, where allowed.';
  if (pattern.includes('bit')) return 'Write a rate such as 10Gbit, 800Mbit or 1.25GB/s.';
  if (pattern.includes('ms|s|m')) return 'Write a duration such as 100ms, 2s or 500us.';
  if (pattern.startsWith('^[0-9]+\\.[0-9]+')) return 'Write a kernel release such as 6.1.0-26-amd64 or a series such as 6.12.';
  return `The value must match ${pattern}.`;
}

/**
 * A number where a string belongs: YAML read an unquoted `kernel: 6.10` as the number 6.1, and `rtt: 100` has no
 * unit. Says so, and what to write.
 */
function numberForStringHint(name: string, value: number): string | undefined {
  if (name === 'kernel') return `YAML reads an unquoted release as a number (6.10 becomes 6.1): quote it as uname -r prints it, e.g. kernel: "${value}", "6.10" or "6.1.0-26-amd64".`;
  if (durations.has(name)) return `A duration has its unit: e.g. ${value}ms or ${value}s (YAML read ${value} as a bare number).`;
  if (name === 'flowRate') return `A rate has its unit: e.g. ${value}Gbit, ${value}Mbit or ${value}MB/s (YAML read ${value} as a bare number).`;
  return undefined;
}

/** The schema's durations (`$defs/Duration`). */
const durations = new Set(['rtt', 'completionLatency', 'connectTimeout', 'commandTimeout']);
