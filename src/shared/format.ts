/**
 * Locale-aware formatting with Intl. The locale comes from the nearest `lang` attribute
 * (the element's own, an ancestor's, or the page's), then the browser's.
 */
export function localeOf(el: Element): string {
  const host = el.closest('[lang]') ?? document.documentElement;
  const lang = host.getAttribute('lang')?.trim();
  return lang || navigator.language || 'en';
}

/** Text direction from the nearest `dir` attribute (or the computed style). */
export function directionOf(el: Element): 'ltr' | 'rtl' {
  const host = el.closest('[dir]');
  const dir = host?.getAttribute('dir')?.toLowerCase();
  if (dir === 'rtl' || dir === 'ltr') return dir;
  return getComputedStyle(el).direction === 'rtl' ? 'rtl' : 'ltr';
}

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) {
    try {
      f = new Intl.NumberFormat(locale, options);
    } catch {
      f = new Intl.NumberFormat('en', options);
    }
    cache.set(key, f);
  }
  return f;
}

/** A rating with one decimal: "4.3" (or "4,3" in German). */
export function formatRating(value: number, locale: string): string {
  return numberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
}

export function formatCount(value: number, locale: string): string {
  return numberFormat(locale, { maximumFractionDigits: 0 }).format(value);
}

/** A share 0-1 as a whole percentage: "62%". */
export function formatPercent(share: number, locale: string): string {
  return numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

/** A review date: "12 Mar 2026" style, in the page's locale. */
export function formatDate(iso: string, locale: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const key = `d|${locale}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
    } catch {
      f = new Intl.DateTimeFormat('en', { dateStyle: 'medium' });
    }
    cache.set(key, f);
  }
  return f.format(d);
}

/** Plural category for count-dependent messages ("1 review" / "2 reviews"). */
export function pluralOf(count: number, locale: string): Intl.LDMLPluralRule {
  try {
    return new Intl.PluralRules(locale).select(count);
  } catch {
    return count === 1 ? 'one' : 'other';
  }
}
