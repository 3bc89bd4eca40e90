import { tsqCeiling } from './tsq-ceiling';
import { formatBytes, formatDuration, formatRate } from './units';

/** The limits and latencies of the table in docs/tsq.md: the four `tcp_limit_output_bytes` defaults × three latencies. */
export const tsqCeilingTableDefaults = {
  limits: [131072, 262144, 1048576, 4194304],
  latenciesNs: [100_000, 500_000, 2_000_000],
} as const;

/** A Markdown table of `limit / completion latency` ceilings (rows: limits; columns: latencies). */
export function tsqCeilingTable(
  limits: readonly number[] = tsqCeilingTableDefaults.limits,
  latenciesNs: readonly number[] = tsqCeilingTableDefaults.latenciesNs,
): string {
  const header = `| limit | ${latenciesNs.map((ns) => formatDuration(ns)).join(' | ')} |`;
  const rule = `|---|${latenciesNs.map(() => '---|').join('')}`;
  const rows = limits.map(
    (limit) =>
      `| ${formatBytes(limit)} (${limit}) | ${latenciesNs
        .map((ns) => formatRate(tsqCeiling({ limit, completionLatencyNs: ns }).bytesPerSecond))
        .join(' | ')} |`,
  );
  return [header, rule, ...rows].join('\n');
}
