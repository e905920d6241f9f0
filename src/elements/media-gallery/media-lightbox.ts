import { msg, str } from '@lit/localize';
import { LitElement, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { intIn } from '../../shared/attributes.js';
import { define } from '../../shared/define.js';
import { directionOf, formatCount, localeOf } from '../../shared/format.js';
import type { LightboxItem } from '../../shared/media.js';
import '../rating-stars/rating-stars.js';
import { styles } from './media-lightbox.styles.js';

/**
 * Full-size viewer for review photos and videos, on a native modal `<dialog>` (focus
 * trap, Escape and the backdrop close it). Hosts render one inside their shadow root and
 * call `open(items, index, opener)`; focus moves into the dialog and back to `opener`
 * when it closes.
 *
 * Previous / Next wrap around (the heading, "Photo 2 of 5", says where you are) and are
 * hidden when there is only one item. ArrowLeft / ArrowRight navigate (mirrored in
 * right-to-left pages), as does a horizontal swipe of more than 40 px. Videos get
 * controls, never autoplay, and are paused when the visitor moves on or closes.
 *
 * @summary Modal photo and video viewer.
 * @csspart dialog - The `<dialog>`.
 * @csspart media - The image or video.
 * @csspart nav - The Previous and Next buttons.
 * @csspart close - The Close button.
 * @csspart review-link - The link to the review the item belongs to.
 * @cssprop --media-lightbox-backdrop - Backdrop colour (default 75% black).
 */
export class MediaLightbox extends LitElement {
  static override styles = styles;

  /**
   * Where "Go to review" points: `{id}` and `{entityId}` are replaced by the review's
   * (URL-encoded) ids. Default: the fragment `#review-{id}`; when the page has no such
   * element, the link scrolls to and focuses the review's card (`part="review"
   * data-review-id`) shown by the host, the page or a `review-list` / `most-helpful`.
   */
  @property({ attribute: 'review-href' }) reviewHref = '#review-{id}';

  @state() private _items: LightboxItem[] = [];
  @state() private _index = 0;

  @query('dialog') private _dialog!: HTMLDialogElement;
  private _opener?: HTMLElement;
  private _leaving = false;
  private _swipe?: { x: number; y: number };

  /** Shows `items[index]` in the modal dialog; focus returns to `opener` on close. */
  open(items: LightboxItem[], index: number, opener: HTMLElement): void {
    if (!items.length) return;
    this._pause();
    this._items = items;
    this._index = intIn(index, 0, 0, items.length - 1);
    this._opener = opener;
    this._leaving = false;
    void this.updateComplete.then(() => {
      if (this._dialog.open) return;
      this._dialog.showModal();
      this.renderRoot.querySelector<HTMLElement>('.close')?.focus();
    });
  }

  /** Closes the dialog (focus returns to the opener). */
  close(): void {
    this._dialog?.close();
  }

  override render() {
    const item = this._items[this._index];
    return html`<dialog
      part="dialog"
      aria-labelledby="heading"
      closedby="any"
      @close=${this._onClose}
      @keydown=${this._onKeydown}
    >
      ${item ? this._renderItem(item) : nothing}
    </dialog>`;
  }

  private _renderItem(item: LightboxItem) {
    const locale = localeOf(this._host);
    const n = formatCount(this._index + 1, locale);
    const total = formatCount(this._items.length, locale);
    const several = this._items.length > 1;
    const { review } = item;
    return html`<header>
        <h2 id="heading">${item.kind === 'video' ? msg(str`Video ${n} of ${total}`) : msg(str`Photo ${n} of ${total}`)}</h2>
        <button class="close" part="close" type="button" aria-label=${msg('Close')} @click=${this.close}>
          <span aria-hidden="true">×</span>
        </button>
      </header>
      <figure>
        <div class="stage" @pointerdown=${this._onPointerDown} @pointerup=${this._onPointerUp} @pointercancel=${this._onPointerCancel}>
          ${item.kind === 'video'
            ? html`<video part="media" controls preload="metadata" playsinline src=${item.url} poster=${item.thumbnail ?? nothing} aria-label=${item.alt}></video>`
            : html`<img part="media" src=${item.url} alt=${item.alt} width=${item.width ?? nothing} height=${item.height ?? nothing} />`}
          ${several
            ? html`<button class="nav prev" part="nav" type="button" aria-label=${msg('Previous')} @click=${() => this._go(-1)}>
                  <span aria-hidden="true">‹</span>
                </button>
                <button class="nav next" part="nav" type="button" aria-label=${msg('Next')} @click=${() => this._go(1)}>
                  <span aria-hidden="true">›</span>
                </button>`
            : nothing}
        </div>
        <figcaption>
          <rating-stars value=${review.rating}></rating-stars>
          <span class="author">${review.authorName || msg('Anonymous')}</span>
          ${review.title ? html`<span class="title">${review.title}</span>` : nothing}
          <a part="review-link" href=${this._href(review)} rel="nofollow ugc noopener" @click=${this._onLink}>${msg('Go to review')}</a>
        </figcaption>
      </figure>`;
  }

  /** The element whose page context (lang) applies: the host that embeds us. */
  private get _host(): Element {
    const root = this.getRootNode();
    return root instanceof ShadowRoot ? root.host : this;
  }

  private _href(review: LightboxItem['review']): string {
    return this.reviewHref.replace(/\{(id|entityId)\}/g, (_, key: 'id' | 'entityId') => encodeURIComponent(review[key]));
  }

  private _go(delta: number) {
    const count = this._items.length;
    if (count < 2) return;
    this._pause();
    this._index = (this._index + delta + count) % count;
  }

  private _pause() {
    this.renderRoot?.querySelector?.('video')?.pause();
  }

  private _onKeydown(e: KeyboardEvent) {
    // Arrow keys inside the video's controls seek; leave them alone.
    if ((e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') || e.target instanceof HTMLVideoElement) return;
    e.preventDefault();
    this._go(this._arrowDelta(e.key === 'ArrowRight'));
  }

  /** Right means next in left-to-right pages and previous in right-to-left ones. */
  private _arrowDelta(right: boolean): number {
    return (right ? 1 : -1) * (directionOf(this._host) === 'rtl' ? -1 : 1);
  }

  private _onPointerDown(e: PointerEvent) {
    this._swipe = { x: e.clientX, y: e.clientY };
  }

  private _onPointerUp(e: PointerEvent) {
    const start = this._swipe;
    this._swipe = undefined;
    if (!start) return;
    const dx = e.clientX - start.x;
    // A drag to the left brings in what lies to the right, like ArrowRight.
    if (Math.abs(dx) > 40 && Math.abs(dx) > Math.abs(e.clientY - start.y)) this._go(this._arrowDelta(dx < 0));
  }

  private _onPointerCancel() {
    this._swipe = undefined;
  }

  private _onLink(e: MouseEvent) {
    // Following the link: focus goes to the review, not back to the opener.
    this._leaving = true;
    this.close();
    const id = this._items[this._index]?.review.id;
    const plain = !(e.button || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey);
    // The default fragment cannot reach a review card inside a widget's shadow root: go there directly.
    const card = plain && id && this.reviewHref === '#review-{id}' && !document.getElementById(`review-${id}`) ? this._findCard(id) : null;
    if (!card) return;
    e.preventDefault();
    card.scrollIntoView({ block: 'start' });
    card.focus({ preventScroll: true });
  }

  /** The rendered review with this id: in our host's root, the page, or a review widget's shadow root. */
  private _findCard(id: string): HTMLElement | null {
    const selector = `[part~="review"][data-review-id="${CSS.escape(id)}"]`;
    const roots = [this.getRootNode() as ParentNode, document, ...[...document.querySelectorAll('review-list, most-helpful')].map((w) => w.shadowRoot)];
    for (const root of roots) {
      const card = root?.querySelector<HTMLElement>(selector);
      if (card) return card;
    }
    return null;
  }

  private _onClose() {
    this._pause();
    const opener = this._opener;
    this._opener = undefined;
    if (!this._leaving && opener?.isConnected) opener.focus();
  }
}

define('media-lightbox', MediaLightbox);

declare global {
  interface HTMLElementTagNameMap {
    'media-lightbox': MediaLightbox;
  }
}
