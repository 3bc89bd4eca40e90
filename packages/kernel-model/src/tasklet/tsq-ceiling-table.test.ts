import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tsqCeilingTable } from './tsq-ceiling-table';

describe('tsqCeilingTable', () => {
  it('puts limit / latency in each cell, in decimal bytes and bits', () => {
    const table = tsqCeilingTable([262144], [500_000]);
    expect(table).toBe(['| limit | 500 µs |', '|---|---|', '| 256 KiB (262144) | 524 MB/s (4.19 Gbit/s) |'].join('\n'));
  });

  it('is the table docs/tsq.md shows, so the doc cannot drift from the model', () => {
    const doc = readFileSync(join(__dirname, '../../../../docs/tsq.md'), 'utf8');
    expect(doc).toContain(tsqCeilingTable());
  });
});
