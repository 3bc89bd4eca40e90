import { hasDecimalUnit, parseSize } from '@tcpmem/kernel-model';
import { problem, type Problem, type ValueExpr } from '@tcpmem/schema';
import { childPointer, type Origin } from '../fleet/fleet-model';
import type { HostKernel, SysctlShape } from './host-kernel';
import type { LayeredSysctl } from './layer-settings';

/** A desired sysctl value for one host, resolved to integers in the sysctl's unit. */
export interface DesiredValue {
  readonly name: string;
  readonly values: readonly number[];
  /** Per field: `{atLeast: …}`, i.e. never lower what the host already has. */
  readonly onlyRaise: readonly boolean[];
  /** Why this value, in a few words: the forms used and the level that set it. */
  readonly reason: string;
  readonly origin: Origin;
}

/**
 * Resolves one layered sysctl expression for a host: sizes (converted to pages for page-valued sysctls, rounded
 * up), shares of RAM (`6%`), factors of the kernel default (`2x`), `default`, `{atLeast: …}`, and a triple in the
 * sysctl.conf form (`"4096 131072 16777216"`). Fields left out of the object form are the kernel default. A size
 * with a decimal unit (`16kB`) is read as written and warned about (TCPMEM_DECIMAL_UNIT). Problems (a unit that makes no sense for the sysctl, a value that is
 * not a whole number) are located at the field that caused them.
 */
export function resolveSysctl(layered: LayeredSysctl, shape: SysctlShape, kernel: HostKernel, problems: Problem[]): DesiredValue | undefined {
  const defaults = kernel.defaults.get(shape.name);
  const whole = layered.origins[''];
  const origin = whole ?? Object.values(layered.origins)[0] ?? { file: '', pointer: '' };
  const fieldExprs = toFieldExprs(layered.expr, shape);
  if (fieldExprs === undefined) {
    problems.push(problem('TCPMEM_VALUE_SHAPE', `${shape.name} takes ${shape.fields.length === 1 ? 'one value' : `${shape.fields.length} values (${shape.fields.join(', ')})`}`, {
      ...at(origin),
      hint: shape.fields.length === 1 ? 'Write one value, e.g. 4096.' : `Write [${shape.fields.join(', ')}] or {${shape.fields.map((f) => `${f}: …`).join(', ')}}.`,
    }));
    return undefined;
  }
  const values: number[] = [];
  const onlyRaise: boolean[] = [];
  const forms = new Set<string>();
  let failed = false;
  for (const [i, field] of shape.fields.entries()) {
    const expr = fieldExprs[i];
    const fieldOrigin = fieldOriginOf(layered, field, i);
    const kernelDefault = defaults?.[i];
    const resolved = resolveExpr(expr, { shape, field, kernel, kernelDefault, origin: fieldOrigin }, problems);
    if (resolved === undefined) {
      failed = true;
      continue;
    }
    values.push(resolved.value);
    onlyRaise.push(resolved.onlyRaise);
    forms.add(resolved.form);
  }
  if (failed) return undefined;
  const formText = [...forms].filter((f) => f !== 'kernel default' || forms.size === 1).join(', ');
  return { name: shape.name, values, onlyRaise, reason: `${formText} (${layered.setBy})`, origin };
}

/**
 * Where one field of a layered sysctl was written: the field of the object form, the element of the array form,
 * else the whole value (a field left out of the object form: where the value was written first).
 */
export function fieldOriginOf(layered: LayeredSysctl, field: string, index: number): Origin {
  const whole = layered.origins[''];
  const origin = whole ?? Object.values(layered.origins)[0] ?? { file: '', pointer: '' };
  return layered.origins[field] ?? (whole === undefined ? origin : { file: whole.file, pointer: Array.isArray(layered.expr) ? childPointer(whole.pointer, index) : whole.pointer });
}

interface ExprContext {
  readonly shape: SysctlShape;
  readonly field: string;
  readonly kernel: HostKernel;
  readonly kernelDefault: number | undefined;
  readonly origin: Origin;
}

interface ResolvedExpr {
  readonly value: number;
  readonly onlyRaise: boolean;
  readonly form: string;
}

function resolveExpr(expr: ValueExpr | undefined, ctx: ExprContext, problems: Problem[]): ResolvedExpr | undefined {
  const { shape, kernel, kernelDefault } = ctx;
  const label = ctx.shape.fields.length === 1 ? shape.name : `${shape.name} ${ctx.field}`;
  const fail = (code: string, message: string, hint: string): ResolvedExpr | undefined => {
    problems.push(problem(code, message, { ...at(ctx.origin), hint }));
    return undefined;
  };
  const needDefault = (form: string): number | undefined => {
    if (kernelDefault !== undefined) return kernelDefault;
    fail('TCPMEM_NO_DEFAULT', `${label}: "${form}" needs the kernel default, which the model has no value for on ${kernel.release}`, 'Give an absolute value instead.');
    return undefined;
  };
  if (expr === undefined || expr === 'default') {
    const value = needDefault('default');
    return value === undefined ? undefined : { value, onlyRaise: false, form: 'kernel default' };
  }
  if (typeof expr === 'object') {
    const inner = resolveExpr(expr.atLeast, ctx, problems);
    return inner === undefined ? undefined : { value: inner.value, onlyRaise: true, form: `only raise, at least ${inner.value}${inner.form === 'absolute' ? '' : ` (${inner.form})`}` };
  }
  if (typeof expr === 'number') return checkInteger(expr, 'absolute');
  const text = expr.trim();
  if (text.endsWith('x')) {
    const base = needDefault(text);
    if (base === undefined) return undefined;
    return { value: Math.floor(Number(text.slice(0, -1)) * base), onlyRaise: false, form: `${text} the kernel default` };
  }
  if (text.endsWith('%')) {
    if (shape.unit === 'count') return fail('TCPMEM_UNIT_MISMATCH', `${label} counts ${shape.name.endsWith('somaxconn') ? 'connections' : 'entries'}; a share of RAM (${text}) has no meaning for it`, 'Give a number.');
    const bytes = (Number(text.slice(0, -1)) / 100) * kernel.memTotalBytes;
    const value = shape.unit === 'pages' ? Math.floor(bytes / kernel.pageSize) : Math.floor(bytes);
    return { value, onlyRaise: false, form: `${text} of RAM` };
  }
  const bytes = parseSize(text);
  if (bytes === undefined) return fail('TCPMEM_VALUE', `${label}: cannot read "${text}"`, 'Write an integer, a size such as 16MiB, a share of RAM such as 6%, a factor such as 2x, or default.');
  const hasUnit = /[A-Za-z]$/.test(text);
  if (!hasUnit) return checkInteger(bytes, 'absolute');
  if (shape.unit === 'count') return fail('TCPMEM_UNIT_MISMATCH', `${label} is a count, not a size; "${text}" has a unit`, 'Write a plain number.');
  if (hasDecimalUnit(text)) {
    // `wmem_max: 16kB` is 16000, not the 16384 an operator who thinks in kernel sizes meant: say so.
    const binary = text.replace(/\s*([kKMGT])B$/, (_m, p: string) => `${p.toUpperCase()}iB`);
    problems.push(problem('TCPMEM_DECIMAL_UNIT', `${label}: "${text}" is decimal: ${bytes.toLocaleString('en-US')} bytes, not ${(parseSize(binary) ?? 0).toLocaleString('en-US')} (${binary})`, {
      ...at(ctx.origin),
      severity: 'warning',
      hint: `The kernel's sizes are powers of two: write ${binary} (or ${binary.replace(/iB$/, '').replace(/^([0-9.]+\s*)K/, '$1k')}) for ${(parseSize(binary) ?? 0).toLocaleString('en-US')} bytes, or the number of bytes to keep ${bytes}.`,
    }));
  }
  if (shape.unit === 'pages') return { value: Math.ceil(bytes / kernel.pageSize), onlyRaise: false, form: `${text} in ${kernel.pageSize}-byte pages` };
  return { value: bytes, onlyRaise: false, form: 'absolute' };

  function checkInteger(value: number, form: string): ResolvedExpr | undefined {
    if (!Number.isSafeInteger(value)) return fail('TCPMEM_VALUE', `${label}: ${value} is not a whole number tcpmem can write exactly`, 'Use an integer below 2^53.');
    return { value, onlyRaise: false, form };
  }
}

function toFieldExprs(expr: LayeredSysctl['expr'], shape: SysctlShape): (ValueExpr | undefined)[] | undefined {
  const n = shape.fields.length;
  if (Array.isArray(expr)) return expr.length === n ? [...expr] : undefined;
  if (typeof expr === 'object') {
    if (n === 1 && 'atLeast' in expr) return [expr];
    const named = expr as Record<string, ValueExpr | undefined>;
    if (Object.keys(named).some((k) => !shape.fields.includes(k))) return undefined;
    return shape.fields.map((f) => named[f]);
  }
  if (n === 1) return [expr];
  if (typeof expr === 'string' && (expr === 'default' || /^[0-9.]+x$/.test(expr))) return shape.fields.map(() => expr);
  // The sysctl.conf form, as operators paste it: "4096 131072 16777216" (spaces or tabs).
  if (typeof expr === 'string' && sysctlConfTriple.test(expr)) {
    const fields = expr.trim().split(/[ \t]+/).map(Number);
    return fields.length === n ? fields : undefined;
  }
  return undefined;
}

const sysctlConfTriple = /^[ \t]*[0-9]+(?:[ \t]+[0-9]+)+[ \t]*$/;

function at(origin: Origin): { file: string; path: string } {
  return { file: origin.file, path: origin.pointer };
}
