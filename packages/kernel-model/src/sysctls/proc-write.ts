import type { ProcBehaviour } from './proc-behaviour';
import { procGetLong, skipSpaces, type GetLongResult } from './proc-get-long';
import type { ProcHandler } from './sysctl-definition';

/** What one element of the sysctl holds after a write. */
export type ElementAfterWrite =
  | { readonly state: 'written'; readonly value: bigint }
  | { readonly state: 'unchanged' }
  /** Read but not stored: a negative value on an unsigned-long vector before 5.17. */
  | { readonly state: 'skipped' }
  /** 3.10/3.11 tcp_mem: ipv4_tcp_mem() stored an uninitialised stack word for an element the input lacked. */
  | { readonly state: 'undefined' };

/** Why the kernel refused a write. */
export type WriteFailureCause =
  | 'absent'
  | 'read-only'
  | 'no-value'
  | 'end-of-input'
  | 'not-a-number'
  | 'too-long'
  | 'above-ulong'
  | 'negative'
  | 'outside-int'
  | 'above-uint'
  | 'below-min'
  | 'above-max';

/** One concrete kernel, as far as one sysctl's write is concerned. */
export interface ProcProfile {
  readonly access: 'absent' | 'read-only' | 'writable';
  readonly handler: ProcHandler;
  readonly length: number;
  readonly min: bigint | undefined;
  readonly max: bigint | undefined;
  /** The kernel's names for the bounds, for messages. */
  readonly minName: string | undefined;
  readonly maxName: string | undefined;
  readonly behaviour: ProcBehaviour;
}

export type ProcWrite =
  | {
      readonly ok: true;
      readonly elements: readonly ElementAfterWrite[];
      /** Characters the kernel reports as written; fewer than the input is a short write. */
      readonly consumed: number;
    }
  | {
      readonly ok: false;
      readonly errno: 'EINVAL' | 'EACCES' | 'ENOENT';
      readonly cause: WriteFailureCause;
      /** The element the kernel was reading; undefined for EACCES/ENOENT. */
      readonly elementIndex: number | undefined;
      /** Where in the text the refused value starts. */
      readonly position: number;
      readonly elements: readonly ElementAfterWrite[];
    };

const PAGE_SIZE = 4096;
const INT_MAX = (1n << 31n) - 1n;
const UINT_MAX = (1n << 32n) - 1n;

type Converted = { readonly ok: true; readonly value: bigint } | { readonly ok: false; readonly cause: WriteFailureCause };

/** do_proc_dointvec_conv(): with the range check (4.1+) EINVAL outside int, else the low 32 bits. */
function toInt(value: bigint, negative: boolean, rangeCheck: boolean): Converted {
  if (!rangeCheck) return { ok: true, value: BigInt.asIntN(32, negative ? -value : value) };
  if (value > (negative ? INT_MAX + 1n : INT_MAX)) return { ok: false, cause: 'outside-int' };
  return { ok: true, value: negative ? -value : value };
}

function withinBounds(value: bigint, profile: ProcProfile): Converted {
  if (profile.min !== undefined && value < profile.min) return { ok: false, cause: 'below-min' };
  if (profile.max !== undefined && value > profile.max) return { ok: false, cause: 'above-max' };
  return { ok: true, value };
}

/** The conversion of one parsed number for the handler's element type. */
function convert(read: Extract<GetLongResult, { ok: true }>, profile: ProcProfile): Converted {
  const b = profile.behaviour;
  switch (profile.handler) {
    case 'proc_dointvec':
    case 'proc_tcp_ehash_entries':
      return toInt(read.value, read.negative, b.intRangeCheck);
    case 'proc_dointvec_minmax': {
      // do_proc_dointvec_minmax_conv(): before 5.3 it truncated to int itself, then compared.
      const int = toInt(read.value, read.negative, b.minmaxRangeCheck);
      return int.ok ? withinBounds(int.value, profile) : int;
    }
    case 'proc_douintvec_minmax':
      if (read.negative) return { ok: false, cause: 'negative' };
      if (read.value > UINT_MAX) return { ok: false, cause: 'above-uint' };
      return withinBounds(read.value, profile);
    case 'proc_doulongvec_minmax':
    case 'ipv4_tcp_mem':
      return withinBounds(read.value, profile);
  }
}

/**
 * __do_proc_dointvec() and __do_proc_doulongvec_minmax(): elements are read and stored one by one; an invalid one
 * ends the write with EINVAL and the earlier ones stay stored; if the first one fails (or there is none) the
 * write fails; values past the vector are left unread (a short write).
 */
function writeVector(text: string, end: number, profile: ProcProfile): ProcWrite {
  const ulong = profile.handler === 'proc_doulongvec_minmax' || profile.handler === 'ipv4_tcp_mem';
  const b = profile.behaviour;
  const elements: ElementAfterWrite[] = Array.from({ length: profile.length }, () => ({ state: 'unchanged' }) as const);
  let p = 0;
  let i = 0;
  let first = true;
  let failure: { cause: WriteFailureCause; position: number } | undefined;
  while (p < end && i < profile.length) {
    p = skipSpaces(text, p, end);
    // The int reader always stopped here; the unsigned-long one only from 5.0.
    if (p === end && (!ulong || b.ulongStopsAtEnd)) break;
    const read = procGetLong(text, p, end, b.overflowCheck);
    if (!read.ok) {
      failure = { cause: read.failure, position: p };
      break;
    }
    if (ulong && read.negative) {
      if (b.ulongNegativeRejected) {
        failure = { cause: 'negative', position: p };
        break;
      }
      elements[i] = { state: 'skipped' };
    } else {
      const converted = convert(read, profile);
      if (!converted.ok) {
        failure = { cause: converted.cause, position: p };
        break;
      }
      elements[i] = { state: 'written', value: converted.value };
    }
    p += read.length;
    i++;
    first = false;
  }
  if (failure === undefined) p = skipSpaces(text, p, end);
  if (first) {
    return {
      ok: false,
      errno: 'EINVAL',
      cause: failure?.cause === undefined || failure.cause === 'end-of-input' ? 'no-value' : failure.cause,
      elementIndex: 0,
      position: failure?.position ?? p,
      elements,
    };
  }
  if (failure !== undefined) return { ok: false, errno: 'EINVAL', cause: failure.cause, elementIndex: i, position: failure.position, elements };
  return { ok: true, elements, consumed: p };
}

/** do_proc_douintvec_w(): one value; anything after it is accepted unread, and the whole input counts as written. */
function writeUnsignedInt(text: string, end: number, profile: ProcProfile): ProcWrite {
  const unchanged: ElementAfterWrite[] = [{ state: 'unchanged' }];
  const p = skipSpaces(text, 0, end);
  if (p === end) return { ok: false, errno: 'EINVAL', cause: 'no-value', elementIndex: 0, position: p, elements: unchanged };
  const read = procGetLong(text, p, end, profile.behaviour.overflowCheck);
  if (!read.ok) return { ok: false, errno: 'EINVAL', cause: read.failure, elementIndex: 0, position: p, elements: unchanged };
  const converted = convert(read, profile);
  if (!converted.ok) return { ok: false, errno: 'EINVAL', cause: converted.cause, elementIndex: 0, position: p, elements: unchanged };
  return { ok: true, elements: [{ state: 'written', value: converted.value }], consumed: text.length };
}

/**
 * What one write(2) of `text` to the sysctl's file does on a kernel described by `profile`, following the
 * handlers of kernel/sysctl.c and, for 3.10/3.11 tcp_mem, ipv4_tcp_mem() (which parses into an uninitialised
 * stack array and then stores all three words, or nothing when the parse failed).
 */
export function simulateProcWrite(text: string, profile: ProcProfile): ProcWrite {
  const none: ElementAfterWrite[] = Array.from({ length: profile.length }, () => ({ state: 'unchanged' }) as const);
  if (profile.access === 'absent') return { ok: false, errno: 'ENOENT', cause: 'absent', elementIndex: undefined, position: 0, elements: none };
  if (profile.access === 'read-only') return { ok: false, errno: 'EACCES', cause: 'read-only', elementIndex: undefined, position: 0, elements: none };
  // A zero-length write returns 0 before the handler parses anything.
  if (text.length === 0) return { ok: true, elements: none, consumed: 0 };
  // The handlers read at most PAGE_SIZE - 1 bytes.
  const end = Math.min(text.length, PAGE_SIZE - 1);
  if (profile.handler === 'proc_douintvec_minmax') return writeUnsignedInt(text, end, profile);
  const result = writeVector(text, end, profile);
  if (profile.handler !== 'ipv4_tcp_mem') return result;
  if (!result.ok) return { ...result, elements: none };
  return { ...result, elements: result.elements.map((e) => (e.state === 'written' ? e : { state: 'undefined' })) };
}
