import type { HostFacts } from '@tcpmem/schema';
import { prepareFactsBody } from '../resolve/prepared-facts';
import type { PlainRead } from './read-plain';
import { maxSentKernels, newSentKernels, newTakenKernels, replyOf, takeReply, type ReplyRead } from './read-pool-reply';

const zoneinfo = (managed: number, free: number): string => `Node 0, zone   Normal\n  pages free     ${free}\n        min      100\n        low      120\n        high     140\n        spanned  ${managed}\n        present  ${managed}\n        managed  ${managed}\n        protection: (0, 0)\n`;

/** A facts file read by a worker: two hosts of one machine (free pages and sysctls differ), then another machine. */
function factsRead(host: string, facts: HostFacts): PlainRead {
  const header = { kind: 'facts' as const, host, capturedAt: '2026-12-04T00:00:00Z' };
  return { file: `facts/${host}.json`, problems: [], source: { kind: 'facts', header, prepared: prepareFactsBody(facts) } };
}

const reads: PlainRead[] = [
  factsRead('a', { release: '6.1.0-26-amd64', zoneinfo: zoneinfo(262144, 1000), meminfo: 'MemTotal: 1048576 kB\n', sysctls: { 'net.ipv4.tcp_mem': '1 2 3' } }),
  factsRead('b', { release: '6.1.0-26-amd64', zoneinfo: zoneinfo(262144, 2000), meminfo: 'MemTotal: 1048576 kB\n', sysctls: { 'net.ipv4.tcp_mem': '4 5 6' } }),
  factsRead('c', { release: '6.1.0-26-amd64', zoneinfo: zoneinfo(524288, 1000), meminfo: 'MemTotal: 2097152 kB\n' }),
  { file: 'fleet.yaml', problems: [], source: { kind: 'document', value: { kind: 'fleet', name: 'f' } as never, positions: 'kind: fleet\nname: f\n' } },
  factsRead('d', { release: '6.1.0-26-amd64', zoneinfo: zoneinfo(262144, 3000), meminfo: 'MemTotal: 1048576 kB\n' }),
];

/** The replies one worker posts for `reads`, in order, as the loading thread receives them (cloned). */
function posted(): ReplyRead[] {
  const sent = newSentKernels();
  return reads.map((read) => structuredClone(replyOf(read, sent)));
}

const kernelOf = (read: ReplyRead | PlainRead): unknown => (read.source?.kind === 'facts' ? read.source.prepared.kernel : undefined);

describe('read pool replies', () => {
  it('carry a machine kind’s kernel facts in the first reply of its hosts only, and its number in every one', () => {
    const replies = posted();
    expect(replies.map(kernelOf).map((kernel) => kernel !== undefined)).toEqual([true, false, true, false, false]);
    expect(replies.map((r) => (r.source?.kind === 'facts' ? r.source.prepared.kernelId : undefined))).toEqual([0, 0, 1, undefined, 0]);
  });

  it('are taken back, in the order posted, into the reads the worker made, with the kernel facts a load keeps of each key', () => {
    const taken = newTakenKernels();
    const back = posted().map((reply) => takeReply(reply, taken));
    // A load keeps the first kernel facts of each key (keepPreparedFacts); those of b and d differ in what the key
    // leaves out (each zone's free pages), which the model never reads.
    const kept = new Map<string, unknown>();
    const asKept = reads.map((read) => {
      if (read.source?.kind !== 'facts') return read;
      const { kernel } = read.source.prepared;
      if (!kept.has(kernel.key)) kept.set(kernel.key, kernel);
      return { ...read, source: { ...read.source, prepared: { ...read.source.prepared, kernel: kept.get(kernel.key) } } };
    });
    expect(back).not.toEqual(reads);
    expect(back).toEqual(asKept);
    expect(kernelOf(back[1] as PlainRead)).toBe(kernelOf(back[0] as PlainRead));
    expect(kernelOf(back[4] as PlainRead)).toBe(kernelOf(back[0] as PlainRead));
  });

  it('refuse a reply taken before the one that carried its kernel facts (a bug, never a wrong kernel)', () => {
    const [first, second] = posted();
    const taken = newTakenKernels();
    expect(() => takeReply(second as ReplyRead, taken)).toThrow('facts/b.json: kernel facts 0 were never sent');
    expect(takeReply(first as ReplyRead, taken)).toEqual(reads[0]);
  });

  it('send kernel facts past the first maxSentKernels kinds whole every time, unnumbered, and keep no more in the worker', () => {
    const many = Array.from({ length: maxSentKernels + 2 }, (_, i) => factsRead(`m${i}`, { release: '6.1.0-26-amd64', meminfo: `MemTotal: ${1000 + i} kB\n` }));
    const sent = newSentKernels();
    const taken = newTakenKernels();
    const replies = [...many, ...many.slice(-2)].map((read) => structuredClone(replyOf(read, sent)));
    expect(sent.size).toBe(maxSentKernels);
    expect(replies.slice(-4).map((r) => (r.source?.kind === 'facts' ? [r.source.prepared.kernelId, r.source.prepared.kernel !== undefined] : []))).toEqual([[-1, true], [-1, true], [-1, true], [-1, true]]);
    const back = replies.map((reply) => takeReply(reply, taken));
    expect(back.map(kernelOf).map((kernel) => (kernel as { key: string }).key)).toEqual([...many, ...many.slice(-2)].map(kernelOf).map((kernel) => (kernel as { key: string }).key));
    expect(back.slice(-4)).toEqual([...many.slice(-2), ...many.slice(-2)]);
    expect(taken.size).toBe(maxSentKernels);
  });
});
