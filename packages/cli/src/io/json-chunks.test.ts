import { Writable } from 'node:stream';
import { batched, jsonBytes, jsonChunks, jsonDocument, sharedTextMinLength, writeDrained } from './json-chunks';

/** A plan whose hosts share their kernel record, observation and changes by identity, as the planner's memo makes them. */
function sharedPlan(hostCount: number, probe: () => void = () => undefined) {
  const kernel = { release: '6.1.0-26-amd64', series: '6.1', notes: ['initrd size unknown: assumed 1 MiB (a minimal initramfs); give hardware.initrd'], probe: { toJSON: () => (probe(), 'p') } };
  const changes = [{ sysctl: 'net.ipv4.tcp_mem', before: [1, 2, 3], after: [4, 5, 6], reason: '6% of RAM (defaults)', kernelDefault: [1, 2, 3], action: 'create' }];
  const observed = { fingerprint: `sha256:${'0'.repeat(64)}`, release: '6.1.0-26-amd64', sysctls: { 'net.ipv4.tcp_mem': '1 2 3' } };
  const hosts = Array.from({ length: hostCount }, (_, i) => ({ name: `h${i}`, groups: ['app', `rack-${i % 3}`], kernel, status: 'ok', observed, changes, problems: i % 2 === 0 ? [] : [{ code: 'W', message: 'w' }] }));
  return { kind: 'plan', createdAt: new Date(0), summary: { hosts: hostCount }, hosts, shared: { kernel, deeper: { kernel, changes } } };
}

const documents: Record<string, unknown> = {
  'a plan-like document': {
    kind: 'plan',
    hosts: [
      { name: 'a', changes: [{ sysctl: 'net.ipv4.tcp_mem', before: [1, 2, 3], after: [4, 5, 6] }], problems: [] },
      { name: 'b\nwith "quotes"', changes: [], problems: [{ code: 'X', message: 'line 1\nline 2' }], skipped: undefined },
    ],
    summary: { hosts: 2 },
    empty: {},
    none: [],
    nothing: null,
    missing: undefined,
  },
  'an error document': { error: { code: 'TCPMEM_USAGE', message: 'm', hint: undefined, exitCode: 64 } },
  'a top-level array with holes and undefined': [1, undefined, { a: [[], [{}], [[1, [2, { b: 'c' }]]]] }, 'x'],
  'nested deeper than the walked levels': { a: { b: { c: { d: [1, { e: 'f\n' }] } } } },
  'names that need escaping, at every level': { 'k"1': { 'k\n2': [{ 'k\\3': { '→ k4': 1, '': 2 } }], __proto__x: { 'k"1': 'again' } }, '': {} },
  'a scalar': 'just a string',
  'an empty object': {},
};

describe('jsonChunks', () => {
  for (const [title, value] of Object.entries(documents)) {
    it(`joins to exactly JSON.stringify for ${title}, compact and indented`, () => {
      for (const indent of [undefined, 0, 2, 4, 12]) expect([...jsonChunks(value, indent)].join('')).toBe(JSON.stringify(value, null, indent));
    });
  }

  it('stringifies a long value the hosts share twice at most, not once per host', () => {
    for (const indent of [undefined, 2]) {
      let probed = 0;
      const plan = sharedPlan(100, () => {
        probed += 1;
      });
      const expected = JSON.stringify(plan, null, indent);
      expect(JSON.stringify(plan.hosts[0]!.kernel).length).toBeGreaterThanOrEqual(sharedTextMinLength);
      probed = 0;
      expect([...jsonChunks(plan, indent)].join('')).toBe(expected);
      // The hosts' kernel: its first two sightings; `shared.kernel` is walked (its probe is a member there);
      // `shared.deeper.kernel` is the text kept. JSON.stringify probes once per sighting: 102.
      expect(probed).toBe(3);
    }
  });

  it('stringifies a short value again each time rather than keep its text', () => {
    let probed = 0;
    const short = { p: { toJSON: () => (probed++, 1) } };
    const document = { hosts: Array.from({ length: 10 }, () => ({ short })) };
    expect([...jsonChunks(document)].join('')).toBe(JSON.stringify(document));
    expect(probed).toBe(10 + 10);
  });

  it('never holds a big array as one piece: one piece per element at most', () => {
    const hosts = Array.from({ length: 1000 }, (_, i) => ({ name: `h${i}`, changes: [{ after: [i] }] }));
    const pieces = [...jsonChunks({ hosts }, 2)];
    expect(pieces.length).toBeGreaterThan(1000);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(200);
  });
});

describe('batched and jsonDocument', () => {
  it('groups pieces into writes of about the given size, losing nothing', () => {
    const pieces = Array.from({ length: 100 }, (_, i) => `${i},`);
    const writes = [...batched(pieces, 50)];
    expect(writes.join('')).toBe(pieces.join(''));
    expect(writes.length).toBeGreaterThan(3);
    for (const write of writes.slice(0, -1)) expect(write.length).toBeGreaterThanOrEqual(50);
  });

  it('is the document and a newline', () => {
    const value = documents['a plan-like document'];
    expect([...jsonDocument(value, 2)].join('')).toBe(`${JSON.stringify(value, null, 2)}\n`);
    expect([...jsonDocument(value)].join('')).toBe(`${JSON.stringify(value)}\n`);
  });
});

describe('jsonBytes', () => {
  /** Text outside Latin-1 as plans hold it (reasons with ≥ and →, notes with – and ×), and a character beyond the BMP. */
  const wide = { reason: 'only raise, at least 4096 → 8192 (≥ defaults)', note: '2 – 3 sections × 2 MiB', emoji: 'host 🖥 é' };

  /** A plan whose shared values are long, outside Latin-1, and met once, twice and many times. */
  function widePlan(hostCount: number) {
    const plan = sharedPlan(hostCount);
    const kernel = { ...plan.hosts[0]!.kernel, wide };
    const once = { wide, padding: 'x'.repeat(sharedTextMinLength) };
    const hosts = plan.hosts.map((host, i) => ({ ...host, kernel, ...(i === 1 ? { once } : {}), name: `${host.name} ${wide.emoji}` }));
    return { ...plan, hosts };
  }

  const bytesOf = (value: unknown, indent?: number, size?: number): Buffer => Buffer.concat([...jsonBytes(value, indent, size)]);

  it.each([
    ...Object.entries(documents),
    ['a plan with shared long values outside Latin-1', widePlan(50)],
  ])('is the UTF-8 of jsonDocument for %s, compact and indented', (_title, value) => {
    for (const indent of [undefined, 2, 4]) expect(bytesOf(value, indent).equals(Buffer.from([...jsonDocument(value, indent)].join(''), 'utf8'))).toBe(true);
  });

  it('is the same bytes whatever the size of a write, a piece longer than a write included', () => {
    const plan = widePlan(40);
    const expected = Buffer.from(`${JSON.stringify(plan)}\n`, 'utf8');
    for (const size of [1, 7, 64, 300, 1 << 20]) expect(bytesOf(plan, undefined, size).equals(expected)).toBe(true);
  });

  it('writes at most a quarter more than `size` at a time (a longer piece alone), never an empty write', () => {
    const plan = widePlan(200);
    const writes = [...jsonBytes(plan, undefined, 4096)];
    expect(writes.length).toBeGreaterThanOrEqual(Math.floor(Buffer.byteLength(JSON.stringify(plan)) / 5120));
    for (const write of writes) expect(write.length).toBeGreaterThan(0);
    for (const write of writes) expect(write.length).toBeLessThanOrEqual(5120);
  });

  it('encodes the text of a long shared value once, when it is met again, and copies those bytes after', () => {
    const plan = widePlan(100);
    const kernelText = JSON.stringify(plan.hosts[0]!.kernel);
    const from = jest.spyOn(Buffer, 'from');
    try {
      const bytes = bytesOf(plan);
      expect(from.mock.calls.filter(([text]) => text === kernelText)).toHaveLength(1);
      expect(bytes.toString('utf8').split(kernelText)).toHaveLength(101);
    } finally {
      from.mockRestore();
    }
  });
});

describe('writeDrained', () => {
  /** A real Writable that takes one piece every tick and records how much ever waited in its buffer. */
  function slowReader(highWaterMark: number) {
    const received: string[] = [];
    let mostBuffered = 0;
    const stream = new Writable({
      highWaterMark,
      decodeStrings: false,
      write(chunk: string, _encoding, callback) {
        received.push(chunk);
        setImmediate(callback);
      },
    });
    const write = stream.write.bind(stream);
    stream.write = ((chunk: string) => {
      const ok = write(chunk);
      mostBuffered = Math.max(mostBuffered, stream.writableLength);
      return ok;
    }) as typeof stream.write;
    return { stream, received, mostBuffered: () => mostBuffered };
  }

  it('writes every piece in order and never lets more than one piece beyond the mark wait in memory', async () => {
    const pieces = Array.from({ length: 200 }, (_, i) => `${'x'.repeat(100)}${i}\n`);
    const reader = slowReader(256);
    await writeDrained(reader.stream, pieces);
    await new Promise<void>((resolve) => reader.stream.end(resolve));
    expect(reader.received.join('')).toBe(pieces.join(''));
    expect(reader.mostBuffered()).toBeLessThan(256 + 110);
  });

  it('writing without waiting piles the whole document up (what it replaces)', () => {
    const pieces = Array.from({ length: 200 }, (_, i) => `${'x'.repeat(100)}${i}\n`);
    const reader = slowReader(256);
    for (const piece of pieces) reader.stream.write(piece);
    expect(reader.mostBuffered()).toBeGreaterThan(pieces.join('').length - 200);
  });

  it('stops quietly when the reader goes away', async () => {
    const stream = new Writable({
      highWaterMark: 16,
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    let asked = 0;
    const pieces = (function* () {
      for (let i = 0; i < 1000; i++) {
        asked++;
        yield 'a piece longer than the mark\n';
      }
    })();
    await expect(writeDrained(stream, pieces)).resolves.toBeUndefined();
    expect(asked).toBeLessThan(1000);
  });
});
