/**
 * Attribute ratings (`quality`, `value`, `fit`, ...) as `review-form` and `rating-summary`
 * name them: the `attributes` list both take, and the labels they show.
 *
 * Labels: the page's own (`attributes="quality:Build quality, fit"`), else a localisable
 * default (`msg()`) for common names, else the name made readable ("ease_of_use" → "Ease
 * of use"). Call these in `render()` / `willUpdate()`, never in field initialisers, so a
 * locale change is picked up.
 */
import { msg } from '@lit/localize';

/** One attribute of an `attributes` list. */
export interface RatingAttribute {
  /** As stored by the Ratings API (`attributeName`). */
  name: string;
  /** What the visitor reads. */
  label: string;
}

/** Attribute names the Ratings API stores. */
const NAME = /^[a-z][a-z0-9_-]{0,49}$/;
/** As many as one summary request may name (`RATING_LIMITS.attributeNamesMax`, src/api/ratings.ts). */
const MAX_ATTRIBUTES = 20;

/**
 * Parses an `attributes` list: comma-separated names, each optionally followed by
 * `:Label` ("quality:Build quality, value, fit"). Names are lowercased and kept once, in
 * order; names the Ratings API would refuse, and `overall` (computed from the reviews'
 * stars, never stored), are skipped; the first `MAX_ATTRIBUTES` are kept. Labels cannot
 * contain commas.
 */
export function parseAttributes(value: string | null | undefined): RatingAttribute[] {
  const out: RatingAttribute[] = [];
  for (const part of String(value ?? '').split(',')) {
    const [name = '', ...label] = part.split(':');
    const key = name.trim().toLowerCase();
    if (NAME.test(key) && key !== 'overall' && !out.some((a) => a.name === key)) {
      out.push({ name: key, label: label.join(':').trim() || attributeLabel(key) });
      if (out.length === MAX_ATTRIBUTES) break;
    }
  }
  return out;
}

/**
 * The default label of an attribute name: localisable text for the most common names,
 * else the name made readable (which is also the English for "delivery", "size", ...).
 */
export function attributeLabel(name: string): string {
  switch (name) {
    case 'quality':
      return msg('Quality', { desc: 'Attribute rating of a product' });
    case 'value':
      return msg('Value for money', { desc: 'Attribute rating of a product' });
    case 'fit':
      return msg('Fit', { desc: 'Attribute rating of clothing' });
    case 'comfort':
      return msg('Comfort', { desc: 'Attribute rating of a product' });
    case 'durability':
      return msg('Durability', { desc: 'Attribute rating of a product' });
    case 'design':
      return msg('Design', { desc: 'Attribute rating of a product' });
  }
  const words = name.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "Quality, Fit and Value for money" in the page's language. */
export function formatList(items: readonly string[], locale: string): string {
  try {
    return new Intl.ListFormat(locale, { type: 'conjunction' }).format(items);
  } catch {
    return items.join(', ');
  }
}
