import { msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { clientFor, type ReviewsPage, type ReviewsQuery } from '../../api/client.js';
import type { Review } from '../../api/schema.js';
import { loadFailed } from '../../shared/controls.js';
import { define } from '../../shared/define.js';
import { resolveEndpoint } from '../../shared/endpoint.js';
import { mediaItemsOf, type LightboxItem } from '../../shared/media.js';
import { styles } from './media-gallery.styles.js';
import { type MediaLightbox } from './media-lightbox.js';
import './media-lightbox.js';

/**
 * Grid of the photos and videos in a product's approved reviews, newest review first.
 * Thumbnails load lazily in square cells (reserved size, no layout shift); pressing one
 * opens `<media-lightbox>` at that item.
 *
 * `limit` is the number of tiles shown at first and added by each "Load more". Reviews are
 * fetched `limit` at a time (each has at least one photo or video), so the first screen
 * needs one request and the loading skeleton has the size of a full first page.
 *
 * @summary Photo and video wall with a lightbox.
 * @csspart grid - The list of tiles.
 * @csspart thumbnail - One tile (a button).
 * @csspart more - The "Load more" button.
 * @cssprop --media-gallery-columns - Number of columns (default: as many as fit).
 * @cssprop --media-gallery-min-size - Smallest tile width (default 6.5rem).
 * @cssprop --media-gallery-gap - Space between tiles (default 0.5rem).
 */
export class MediaGallery extends LitElement {
  static override styles = styles;

  /** Reviews endpoint (base URL); defaults to the page's meta tag or origin. */
  @property() endpoint = '';
  /** Review namespace (Ratings group). */
  @property() namespace = 'stores';
  /** Product whose review media is shown; nothing is loaded without it. */
  @property({ attribute: 'entity-id' }) entityId = '';
  /** Tiles shown at first and added by each "Load more" (1-100, default 12). */
  @property({ type: Number }) limit = 12;
  /** Link from the lightbox to a review; `{id}` and `{entityId}` are filled in. */
  @property({ attribute: 'review-href' }) reviewHref = '#review-{id}';

  /** Pages fetched by "Load more", after the first. */
  @state() private _pages: ReviewsPage[] = [];
  @state() private _shown = 12;
  @state() private _loadingMore = false;
  @state() private _moreFailed = false;

  @query('media-lightbox') private _lightbox!: MediaLightbox;
  private _moreController?: AbortController;

  private _first = new Task(this, {
    args: () => [this.endpoint, this.namespace, this.entityId, this._limit] as const,
    task: async ([endpoint, namespace, entityId, limit], { signal }) => {
      if (!entityId) return undefined;
      return clientFor(resolveEndpoint(endpoint)).queryReviews(this._query(namespace, entityId, limit), { signal });
    },
  });

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('endpoint') || changed.has('namespace') || changed.has('entityId') || changed.has('limit')) {
      this._moreController?.abort();
      this._pages = [];
      this._shown = this._limit;
      this._loadingMore = this._moreFailed = false;
    }
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this._moreController?.abort();
  }

  override render() {
    return html`${this._first.render({
        initial: () => this._renderSkeleton(),
        pending: () => this._renderSkeleton(),
        complete: (page) => (page ? this._renderGrid(page) : nothing),
        error: () => loadFailed(msg('Photos and videos could not be loaded.'), () => this._first.run()),
      })}
      <media-lightbox review-href=${this.reviewHref}></media-lightbox>`;
  }

  private _renderSkeleton() {
    return html`<p class="visually-hidden" role="status">${msg('Loading photos and videos')}</p>
      <ul class="grid" part="grid" role="list" aria-hidden="true">
        ${Array.from({ length: this._limit }, () => html`<li class="tile skeleton"></li>`)}
      </ul>`;
  }

  private _renderGrid(first: ReviewsPage) {
    const items = this._items(first);
    const next = this._next(first);
    if (!items.length && !next) return html`<p class="empty">${msg('No photos or videos yet')}</p>`;
    const visible = items.slice(0, this._shown);
    return html`<ul class="grid" part="grid" role="list" aria-label=${msg('Photos and videos from reviews')}>
        ${visible.map(
          (item, i) =>
            html`<li>
              <button class="tile" part="thumbnail" type="button" data-review-id=${item.review.id} @click=${(e: Event) => this._lightbox.open(visible, i, e.currentTarget as HTMLElement)}>
                ${item.thumbnail
                  ? html`<img src=${item.thumbnail} alt=${item.kind === 'video' ? '' : item.alt} loading="lazy" decoding="async" width=${item.width ?? nothing} height=${item.height ?? nothing} />`
                  : nothing}
                ${item.kind === 'video'
                  ? html`<span class="play" aria-hidden="true"></span><span class="visually-hidden">${item.alt}</span>`
                  : nothing}
              </button>
            </li>`,
        )}
      </ul>
      ${items.length > this._shown || next
        ? html`<button class="button more" part="more" type="button" aria-busy=${this._loadingMore ? 'true' : nothing} ?disabled=${this._loadingMore} @click=${this._loadMore}>
            ${msg('Load more')}
          </button>`
        : nothing}
      ${this._moreFailed ? html`<p class="alert" role="alert">${msg('More photos could not be loaded. Try again.')}</p>` : nothing}`;
  }

  private get _limit(): number {
    const n = Math.trunc(Number(this.limit));
    return n >= 1 ? Math.min(n, 100) : 12;
  }

  private _query(namespace: string, entityId: string, limit: number, cursor?: string): ReviewsQuery {
    return { namespace, entityId, withMedia: true, sort: 'newest', limit, ...(cursor ? { cursor } : {}) };
  }

  private _next(first: ReviewsPage): string | undefined {
    return (this._pages.at(-1) ?? first).next;
  }

  /** Every safe photo and video of the loaded reviews, in order. */
  private _items(first: ReviewsPage): LightboxItem[] {
    return [first, ...this._pages].flatMap((p) => p.reviews.flatMap(itemsOf));
  }

  private async _loadMore() {
    const first = this._first.value;
    if (!first || this._loadingMore) return;
    const from = this._shown;
    const target = from + this._limit;
    this._moreFailed = false;
    let next = this._next(first);
    if (this._items(first).length < target && next) {
      this._loadingMore = true;
      const controller = (this._moreController = new AbortController());
      const client = clientFor(resolveEndpoint(this.endpoint));
      try {
        while (this._items(first).length < target && next) {
          const page = await client.queryReviews(this._query(this.namespace, this.entityId, this._limit, next), { signal: controller.signal });
          if (controller.signal.aborted) return;
          this._pages = [...this._pages, page];
          next = page.next;
        }
      } catch {
        if (controller.signal.aborted) return;
        this._moreFailed = true;
      } finally {
        if (!controller.signal.aborted) this._loadingMore = false;
      }
    }
    this._shown = target;
    await this.updateComplete;
    // Keep the visitor's place: focus the first new tile (or stay on the button).
    this.renderRoot.querySelectorAll<HTMLElement>('[part="thumbnail"]')[from]?.focus();
  }
}

function itemsOf(review: Review): LightboxItem[] {
  const name = review.author?.authorName?.trim();
  return mediaItemsOf(review, () => (name ? msg(str`Photo from ${name}'s review`) : msg('Photo from a review'))).map((item) =>
    item.kind === 'video' ? { ...item, alt: name ? msg(str`Video from ${name}'s review`) : msg('Video from a review') } : item,
  );
}

define('media-gallery', MediaGallery);

declare global {
  interface HTMLElementTagNameMap {
    'media-gallery': MediaGallery;
  }
}
