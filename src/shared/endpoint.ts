/**
 * Where an element's reviews come from: its `endpoint` attribute, else the page-level
 * default `<meta name="storefront-reviews:endpoint" content="https://shop.example/api">`,
 * else this page's own origin.
 */
export const ENDPOINT_META = 'storefront-reviews:endpoint';

export function resolveEndpoint(endpoint: string | undefined | null): string {
  if (endpoint?.trim()) return endpoint.trim();
  const meta = document.querySelector<HTMLMetaElement>(`meta[name="${ENDPOINT_META}"]`);
  return meta?.content.trim() ?? '';
}
