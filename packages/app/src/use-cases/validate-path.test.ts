import fs from 'node:fs';
import path from 'node:path';
import { examples } from '../../test/temp-config';
import { validatePath } from './validate-path';

const configs = fs.readdirSync(examples).filter((name) => fs.existsSync(path.join(examples, name, 'fleet.yaml')) || name === 'hardware');

describe('validatePath', () => {
  it.each(configs)('finds examples/%s valid', (name) => {
    const report = validatePath(path.join(examples, name));
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(report.valid).toBe(true);
    expect(report.files.length).toBeGreaterThan(0);
  });

  it('reports every problem of a broken file, located', () => {
    const report = validatePath(path.join(__dirname, '../../test/fixtures/broken-fleet/fleet.yaml'));
    expect(report.valid).toBe(false);
    expect(report.problems.map((p) => [p.code, p.line])).toEqual([['TCPMEM_SCHEMA', 6]]);
  });

  it('refuses a path that does not exist as TCPMEM_PATH', () => {
    expect(() => validatePath('/nonexistent')).toThrow(expect.objectContaining({ code: 'TCPMEM_PATH', exitCode: 1 }));
  });
});
