import { formatBytes, formatDuration, formatRate, parseDuration, parseRate } from './units';

describe('parseRate', () => {
  it.each([
    ['25Gbit', 3.125e9],
    ['25 Gbit/s', 3.125e9],
    ['10Gb/s', 1.25e9],
    ['800Mbit', 1e8],
    ['1.25GB/s', 1.25e9],
    ['100MiB/s', 104857600],
    ['500 kB/s', 5e5],
    ['3125000000', 3.125e9],
  ])('reads %j as %d bytes per second', (text, bytesPerSecond) => {
    expect(parseRate(text)).toEqual({ ok: true, value: bytesPerSecond });
  });

  it.each([
    ['25Gbps', 'unit-ambiguous'],
    ['25 furlongs', 'unit-unknown'],
    ['fast', 'unit-syntax'],
  ])('rejects %j with %s and says what to write', (text, code) => {
    const result = parseRate(text);
    expect(result).toMatchObject({ ok: false, code });
    expect(result.ok ? '' : result.message).toMatch(/Gbit|GB\/s|number and a unit/);
  });
});

describe('parseDuration', () => {
  it.each([
    ['500us', 500_000],
    ['500µs', 500_000],
    ['2ms', 2_000_000],
    ['1.5s', 1_500_000_000],
    ['800ns', 800],
    ['0.1ms', 100_000],
  ])('reads %j as %d ns', (text, ns) => {
    expect(parseDuration(text)).toEqual({ ok: true, value: ns });
  });

  it.each(['500', '2 min', 'soon'])('rejects %j, which has no known unit', (text) => {
    expect(parseDuration(text).ok).toBe(false);
  });
});

describe('formatting', () => {
  it.each([
    [524288000, '524 MB/s (4.19 Gbit/s)'],
    [2097152000, '2.10 GB/s (16.8 Gbit/s)'],
    [Infinity, 'unlimited'],
  ])('writes %d bytes/s as %j', (rate, text) => {
    expect(formatRate(rate)).toBe(text);
  });

  it.each([
    [1048576, '1 MiB'],
    [262144, '256 KiB'],
    [1528121, '1528121 B'],
  ])('writes %d bytes as %j', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it.each([
    [500_000, '500 µs'],
    [2_000_000, '2 ms'],
    [100_000, '100 µs'],
  ])('writes %d ns as %j', (ns, text) => {
    expect(formatDuration(ns)).toBe(text);
  });
});
