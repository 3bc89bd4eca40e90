import { formatBytes, formatDuration, formatRate } from './units';
import type { TsqSendAnyway } from './tsq-regime';
import type { TsqSummary } from './tsq-summary';

const sendAnywayText: Readonly<Record<TsqSendAnyway, string>> = {
  none: 'never (no exception before 4.10)',
  'first-or-second-skb': 'for the 1st or 2nd skb of the write queue (75eefc6c59fd)',
  'rtx-queue-empty': 'when the rtx queue is empty (tcp_rtx_queue_empty)',
  'rtx-queue-empty-or-single-skb': 'when the rtx queue is empty or holds one skb (tcp_rtx_queue_empty_or_single_skb, f921a4a5bffa)',
};

function row(label: string, value: string): string {
  return `  ${label.padEnd(24)} ${value}`;
}

/** Renders a TSQ summary as text lines, with the series' own kernel names (tasklet or BH workqueue). */
export function formatTsqSummary(summary: TsqSummary): string[] {
  const mechanism = summary.mechanism;
  const handler = mechanism === undefined ? 'none' : `${mechanism.handler} (per-CPU ${mechanism.perCpu}, ${mechanism.schedule})`;
  const latency = formatDuration(summary.completionLatencyNs);
  const { limit, ceiling } = summary;
  const lines = [
    `TCP Small Queues, kernel ${summary.series} (${summary.regime})`,
    row('handler', handler),
    row('tcp_limit_output_bytes', `${summary.tcpLimitOutputBytes.value} (${summary.tcpLimitOutputBytes.source === 'default' ? `${summary.series} default` : 'given'})`),
    ...(summary.pacingRate === undefined ? [] : [row('sk_pacing_rate', formatRate(summary.pacingRate))]),
    ...(summary.pacingRate === undefined || summary.limit.regime === 'pacing-floor' || summary.limit.regime === 'min-max'
      ? []
      : [row('sk_pacing_shift', `${summary.pacingShift.value} (${summary.driver}: ${summary.pacingShift.source})`)]),
    row('limit', limit.applies ? `${limit.limit} bytes = ${limit.formula}` : 'none: TSQ does not apply'),
    ...limit.steps.map((step) => row('', `${step.kernel}: ${step.expression} → ${step.value}`)),
    ...(limit.applies && !limit.stalls ? [row('over the limit, sends', sendAnywayText[summary.sendAnyway])] : []),
    row('ceiling', `${formatRate(ceiling.bytesPerSecond)} = limit / ${latency}`),
    row('ceiling, whole skbs', `${formatRate(ceiling.payloadBytesPerSecond)} (${ceiling.skbsBelowTcp} skbs below TCP)`),
    row('flow rate', `${formatRate(summary.flowRate)}: ${summary.remedy === 'new-data-stalls' ? 'NEW DATA STALLS' : summary.capsFlow ? 'capped by TSQ' : 'not capped by TSQ'}`),
  ];
  if (summary.remedy === 'new-data-stalls') {
    lines.push(row('warning', `tcp_limit_output_bytes ${summary.tcpLimitOutputBytes.value} ≤ 0: tcp_write_xmit sends no new data, only retransmits; set it > 0`));
    lines.push(row('to reach it', `tcp_limit_output_bytes ≥ ${summary.needed.skbGranularBytes} (${formatBytes(summary.needed.bytes)} per ${latency})`));
  } else if (summary.remedy === 'raise-tcp-limit-output-bytes') {
    lines.push(row('to reach it', `tcp_limit_output_bytes ≥ ${summary.needed.skbGranularBytes} (${formatBytes(summary.needed.bytes)} per ${latency})`));
  } else if (summary.remedy === 'pacing-term-binds') {
    lines.push(row('to reach it', `the ${limit.bindingTerm} term binds: raising tcp_limit_output_bytes alone does not help`));
  }
  const sim = summary.simulation;
  if (sim !== undefined) {
    const runs = mechanism === undefined ? 'runs' : `${mechanism.handler} runs`;
    lines.push(
      `Simulation: ${sim.flows} flow(s) on ${sim.cpus} CPU(s), ${formatDuration(sim.simulatedNs)} simulated, ${sim.eventsProcessed} events (stopped by ${sim.stoppedBy})`,
      row(
        'throughput per flow',
        sim.measured
          ? `${formatRate(sim.throughputPerFlow.mean)} (min ${formatRate(sim.throughputPerFlow.min)})`
          : `not measured: no skb completed in the measured window of ${formatDuration(sim.simulatedNs)} simulated`,
      ),
      row('reached flow rate', sim.measured ? (sim.reachedFlowRate ? 'yes' : 'no') : 'unknown'),
      row('queued below TCP', `avg ${formatBytes(Math.round(sim.avgQueuedBytes))}, max ${formatBytes(sim.maxQueuedBytes)} (sk_wmem_alloc)`),
      row('TSQ_THROTTLED set', String(sim.throttles)),
      row(runs, `${sim.taskletRuns}, ${sim.socketsPerRun.mean.toFixed(2)} sockets per run (max ${sim.socketsPerRun.max})`),
      row('TCP_TSQ_DEFERRED', String(sim.deferrals)),
    );
  }
  return [...lines, ...summary.notes.map((note) => `  note: ${note}`)];
}
