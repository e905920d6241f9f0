/**
 * Review media as the widgets show it: only items with a safe URL survive. Shared by
 * review-list / most-helpful (thumbnails) and media-gallery (grid), which all open the
 * same `<media-lightbox>`.
 */
import type { Review } from '../api/schema.js';
import { safeMediaUrl } from './safe-url.js';

export interface LightboxItem {
  kind: 'image' | 'video';
  /** Full-size image, or the video file. Always http(s) or same-origin. */
  url: string;
  /** Thumbnail / poster image, when there is one. */
  thumbnail?: string;
  width?: number;
  height?: number;
  /** Text alternative for the image. */
  alt: string;
  /** The review the item belongs to. */
  review: { id: string; entityId: string; rating: number; authorName: string | null; title: string | null };
}

/** The review's displayable media, in order; unsafe or empty items are dropped. */
export function mediaItemsOf(review: Review, describe: (review: Review, index: number) => string): LightboxItem[] {
  const items: LightboxItem[] = [];
  const info = {
    id: review.id,
    entityId: review.entityId,
    rating: review.content.rating,
    authorName: review.author?.authorName ?? null,
    title: review.content.title ?? null,
  };
  for (const m of review.content.media ?? []) {
    if (m.image) {
      const url = safeMediaUrl(m.image.url);
      if (!url) continue;
      items.push({
        kind: 'image',
        url,
        thumbnail: url,
        ...(m.image.width && m.image.height ? { width: m.image.width, height: m.image.height } : {}),
        alt: m.image.altText && !/\.(png|jpe?g|gif|webp)$/i.test(m.image.altText) ? m.image.altText : describe(review, items.length),
        review: info,
      });
    } else if (m.video) {
      const url = safeMediaUrl(m.video.url ?? m.video.resolutions?.[0]?.url);
      if (!url) continue;
      const poster = safeMediaUrl(m.video.resolutions?.[0]?.poster?.url) ?? undefined;
      items.push({ kind: 'video', url, ...(poster ? { thumbnail: poster } : {}), alt: describe(review, items.length), review: info });
    }
  }
  return items;
}
