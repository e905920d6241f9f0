/**
 * Media URLs come from untrusted reviews: only absolute http(s) URLs and same-origin
 * paths are rendered. Everything else (javascript:, data:, vbscript:, protocol-relative
 * `//host`, malformed) gives `null` and is not rendered at all.
 */
export function safeMediaUrl(url: unknown): string | null {
  if (typeof url !== 'string' || url.length > 2048) return null;
  const trimmed = url.trim();
  if (trimmed.startsWith('/') && !trimmed.startsWith('//') && !trimmed.startsWith('/\\')) {
    return trimmed;
  }
  try {
    const u = new URL(trimmed);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}
