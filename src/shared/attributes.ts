/**
 * Reading attribute-backed properties the same way in every element. Removing an
 * attribute sets its property to null, and pages write all sorts of values: these give
 * a usable value whatever was set.
 */

/** A whole number from `min` to `max`; `fallback` when not a number (or 0). */
export function intIn(value: number, fallback: number, min: number, max: number): number {
  return Math.min(Math.max(Math.trunc(value) || fallback, min), max);
}

/** Star values of a `filter-rating` list: "5, 4,x,9" → [4, 5] (valid, sorted, once each). */
export function parseRatings(value: string | null | undefined): number[] {
  const all = String(value ?? '')
    .split(/[\s,]+/)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n >= 1 && n <= 5);
  return [...new Set(all)].sort();
}
