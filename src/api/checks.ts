/**
 * Response checks (see `Check` in core.ts) with zod, and the two the shared core runs
 * itself: error envelopes (any call) and batched averages.
 *
 * The standalone `dist/cdn/rating-stars.js` uses neither this module nor core.ts: its
 * averages-only transport (core.lite.ts) checks with checks.lite.ts (see there why).
 */
import { safeParse, type core } from 'zod/mini';
import { AveragesResponseSchema, ErrorEnvelopeSchema } from './schema.js';

/** A `Check` for a zod schema. */
export function checkWith<T>(schema: core.$ZodType<T>): (json: unknown) => T | undefined {
  return (json) => {
    const r = safeParse(schema, json);
    return r.success ? r.data : undefined;
  };
}

export const checkAverages = checkWith(AveragesResponseSchema);
export const checkError = checkWith(ErrorEnvelopeSchema);
