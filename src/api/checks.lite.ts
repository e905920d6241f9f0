/**
 * A hand-written stand-in for checks.ts's `checkAverages`, used only by core.lite.ts,
 * the averages-only transport of the standalone `dist/cdn/rating-stars.js` (see there
 * for the other file that uses it).
 * Every other build, the npm modules and the tests use the zod checks.
 *
 * Why: that file has an 8 KB gzip budget. Lit alone is ~6.1 KB and zod/mini's runtime
 * for the smallest object schema another ~4.4 KB, so zod cannot be in it. A badge only
 * reads averages, so this validates that one shape, as strictly as the zod schema
 * (test/build/checks.test.ts holds both to the same verdicts), and does not read error
 * bodies: a badge says "Rating unavailable" whatever the failure.
 */
import type { EntityAverage } from './schema.js';

type AveragesResponse = { group: string; entityAverages: EntityAverage[] };

export function checkAverages(json: unknown): AveragesResponse | undefined {
  const r = json as Partial<Record<string, unknown>> | null;
  if (!isObject(r) || typeof r.group !== 'string' || !Array.isArray(r.entityAverages)) return undefined;
  const entityAverages: EntityAverage[] = [];
  for (const a of r.entityAverages as unknown[]) {
    const { entityId, total, average } = (isObject(a) ? a : {}) as Record<string, unknown>;
    if (typeof entityId !== 'string' || !Number.isSafeInteger(total) || !Number.isFinite(average)) return undefined;
    entityAverages.push({ entityId, total: total as number, average: average as number });
  }
  return { group: r.group, entityAverages };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
