import { documentDefinitions, isApplyReport, isFactsDocument, isFleet, isHardwareDocument, isModelReport, isPlan, isTcpmemDocument, type DocumentKind } from './generated/guards';
import { tcpmemSchema } from './generated/schema';
import { checkSource } from './validate-source';
import { validateDefinition, validateDocument } from './validator';

const guards: Record<DocumentKind, (value: unknown) => boolean> = {
  fleet: isFleet,
  hardware: isHardwareDocument,
  facts: isFactsDocument,
  model: isModelReport,
  plan: isPlan,
  'apply-report': isApplyReport,
};

const documents: [DocumentKind, unknown][] = [
  ['fleet', { kind: 'fleet', hosts: { 'web-1': { address: '192.0.2.10' } } }],
  ['hardware', { kind: 'hardware', hardware: { kernel: '6.1', memory: '8GiB' } }],
  ['facts', { kind: 'facts', host: 'web-1', capturedAt: '2026-11-20T10:00:00Z', facts: {} }],
];

describe('the document union and its type guards', () => {
  it('has one guard per kind the schema knows, and the kinds are those of the root', () => {
    expect(Object.keys(guards).sort()).toEqual([...tcpmemSchema.properties.kind.enum].sort());
    expect(Object.keys(documentDefinitions)).toEqual([...tcpmemSchema.properties.kind.enum]);
  });

  it.each(documents)('accepts a valid %s document with its own guard only', (kind, document) => {
    expect(isTcpmemDocument(document)).toBe(true);
    for (const [other, guard] of Object.entries(guards)) expect([other, guard(document)]).toEqual([other, other === kind]);
  });

  it.each(Object.entries(documentDefinitions))('validates a `kind: %s` document against $defs/%s alone', (kind, name) => {
    const result = validateDocument({ kind, bogus: 1 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const missing = result.errors.filter((e) => e.keyword === 'required').map((e) => String(e.params['missingProperty']));
    const required: readonly string[] = tcpmemSchema.$defs[name].required;
    expect(missing.sort()).toEqual(required.filter((r) => r !== 'kind').sort());
    expect(result.errors.filter((e) => e.keyword === 'additionalProperties')).toHaveLength(1);
  });

  it('returns a value that narrows by kind to the one document type, without a cast', () => {
    const result = checkSource('hw.yaml', 'kind: hardware\nhardware: {kernel: "6.1", memory: 8GiB}\n');
    expect(result.ok).toBe(true);
    if (!result.ok || result.value.kind !== 'hardware') throw new Error('not a hardware document');
    expect(result.value.hardware.kernel).toBe('6.1');
  });

  it.each([
    ['no kind', 'hosts: {}\n', 'missing required property "kind"'],
    ['a kind tcpmem does not know', 'kind: flet\n', 'kind must be one of "fleet", "hardware", "facts", "model", "plan", "apply-report"'],
    ['a kind that is no string', 'kind: 3\n', 'kind must be one of "fleet", "hardware", "facts", "model", "plan", "apply-report"'],
  ])('reports a document with %s as that one problem, not as every kind\'s', (_what, text, message) => {
    const result = checkSource('x.yaml', text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.message)).toEqual([message]);
  });

  it('types a validated definition by its name in the schema', () => {
    const result = validateDefinition('Ssh', { port: 2222 });
    expect(result.ok && result.value.port).toBe(2222);
  });
});
