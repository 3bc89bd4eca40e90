import { utf8Text } from './utf8-text';

/** What the WHATWG decoder gives, or undefined where it throws. */
function decoded(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

describe('utf8Text', () => {
  it.each([
    ['empty', []],
    ['ASCII', [0x6b, 0x69, 0x6e, 0x64]],
    ['a byte order mark, dropped', [0xef, 0xbb, 0xbf, 0x61]],
    ['two byte order marks, the first dropped', [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x61]],
    ['a byte order mark alone', [0xef, 0xbb, 0xbf]],
    ['a byte order mark not at the start, kept', [0x61, 0xef, 0xbb, 0xbf]],
    ['two-, three- and four-byte characters', [0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]],
    ['a lone continuation byte', [0x61, 0x80]],
    ['an overlong slash', [0xc0, 0xaf]],
    ['a surrogate (CESU-8)', [0xed, 0xa0, 0x80]],
    ['beyond U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a character cut at the end', [0x61, 0xe2, 0x82]],
    ['0xFF', [0xff]],
    ['NUL', [0x00]],
  ])('decodes %s as TextDecoder does (fatal)', (_what, bytes) => {
    expect(utf8Text(Uint8Array.from(bytes))).toEqual(decoded(Uint8Array.from(bytes)));
  });

  it('agrees with TextDecoder on random bytes, and on a view into a larger buffer', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    let undecodable = 0;
    for (let i = 0; i < 3000; i += 1) {
      // Mostly ASCII and valid sequences, so that both outcomes are common.
      const bytes = Uint8Array.from({ length: random() % 12 }, () => (random() % 4 === 0 ? 0x80 + (random() % 0x80) : random() % 0x80));
      const framed = new Uint8Array(bytes.length + 6);
      framed.set([0xef, 0xbb, 0xbf], 0);
      framed.set(bytes, 3);
      const view = framed.subarray(3, 3 + bytes.length);
      expect(utf8Text(bytes)).toEqual(decoded(bytes));
      expect(utf8Text(view)).toEqual(decoded(view));
      if (decoded(bytes) === undefined) undecodable += 1;
    }
    expect(undecodable).toBeGreaterThan(300);
    expect(undecodable).toBeLessThan(2700);
  });
});
