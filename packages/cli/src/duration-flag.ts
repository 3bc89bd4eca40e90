import { parseDuration } from '@tcpmem/kernel-model';
import { usageError } from './errors';

/** A duration flag (`--connect-timeout 10s`) in whole milliseconds (at least 1), undefined when not given; else a usage error. */
export function durationFlagMs(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const parsed = parseDuration(text);
  if (!parsed.ok || parsed.value <= 0) throw usageError(`${flag} "${text}" is not a duration`, 'Give a duration such as 10s or 1500ms.');
  return Math.max(1, Math.round(parsed.value / 1e6));
}
