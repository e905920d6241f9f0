/**
 * Which reviews server the demo talks to.
 *
 * `npm start` serves the demo and the API on one origin, so by default the widgets ask the
 * page's own origin. The static copy (`npm run build:demo` → dist/demo) can be hosted
 * anywhere and needs a server for its data; point it at one with
 *
 *   - `?endpoint=https://reviews.example` in the page's URL (wins), or
 *   - `<meta name="storefront-reviews:endpoint" content="https://reviews.example">` in the
 *     built index.html (the same meta tag the widgets read on any page).
 *
 * Reads work from every origin; for writes (the review form, helpfulness votes) the server
 * must allow the page's origin with `--cors`.
 */
import { ENDPOINT_META } from '../src/shared/endpoint.js';

/**
 * Resolves the endpoint (`?endpoint=`, else the meta tag, else this origin), writes it to
 * the meta tag so every widget on the page uses it, and returns it without a trailing slash.
 * Only http(s) URLs are accepted from the query string: anything else is ignored.
 */
export function useDemoEndpoint(): string {
  let meta = document.querySelector<HTMLMetaElement>(`meta[name="${ENDPOINT_META}"]`);
  const fromQuery = httpUrl(new URLSearchParams(location.search).get('endpoint'));
  const fromMeta = meta?.content.trim() ? httpUrl(new URL(meta.content.trim(), location.href).href) : undefined;
  const endpoint = (fromQuery ?? fromMeta ?? location.origin).replace(/\/+$/, '');
  if (!meta) {
    meta = document.createElement('meta');
    meta.name = ENDPOINT_META;
    document.head.append(meta);
  }
  meta.content = endpoint;
  return endpoint;
}

function httpUrl(value: string | null): string | undefined {
  if (!value?.trim()) return undefined;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
