// schema is pure: it reads no variable. This swap of `process.env` is the one use of `process`, and reads none either:
// it keeps the `yaml` library's per-token read of it off Node's slow path (see below).
/* eslint-disable no-restricted-globals */
/**
 * Runs `work` (synchronous) with `process.env` swapped for a plain object, and puts the real one back however it
 * ends.
 *
 * The `yaml` library's parser reads `process.env.LOG_TOKENS` once per token (yaml/dist/parse/parser.js, `next`;
 * its composer reads `LOG_STREAM` once per document). Node's `process.env` answers each read through a C++
 * interceptor that asks the C library: ~0.25 µs, over half a second of the synthetic 10,000-host fleet's plan.
 * The swap is an object whose own `LOG_TOKENS` and `LOG_STREAM` are the real ones' values, so yaml behaves as it
 * would (its token log still works), and whose prototype is the real `process.env`, so any other variable still
 * reads as it is. Nothing may set a variable meanwhile: it would land on the swap and be lost.
 */
export function withPlainEnv<T>(work: () => T): T {
  const env = process.env;
  process.env = Object.create(env, {
    LOG_TOKENS: { value: env.LOG_TOKENS, enumerable: true },
    LOG_STREAM: { value: env.LOG_STREAM, enumerable: true },
  }) as NodeJS.ProcessEnv;
  try {
    return work();
  } finally {
    process.env = env;
  }
}
