import { msg, str } from '@lit/localize';
import { Task, TaskStatus } from '@lit/task';
import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { clientFor } from '../../api/client.js';
import type { Review } from '../../api/schema.js';
import { intIn } from '../../shared/attributes.js';
import { loadFailed } from '../../shared/controls.js';
import { define } from '../../shared/define.js';
import { resolveEndpoint } from '../../shared/endpoint.js';
import { directionOf, formatCount, localeOf } from '../../shared/format.js';
import { ReviewCards, type AuthorDisplay } from '../../shared/review-card.js';
import { styles } from './most-helpful.styles.js';

interface Picks {
  top: Review[];
  positive?: Review;
  critical?: Review;
}

/**
 * The reviews visitors found most helpful (helpful minus unhelpful votes, ties newest
 * first), for one product or across the store; as a list, a carousel, or a face-off of
 * the most helpful positive (4-5 stars) and critical (1-3 stars) review.
 *
 * @summary Top reviews by helpfulness.
 * @fires {CustomEvent<ReviewVoteDetail>} review-vote - The visitor's helpfulness vote was recorded (bubbles, composed; detail: `{reviewId, vote}`).
 * @csspart heading - The section heading.
 * @csspart review - One review card (`data-review-id` holds its id).
 * @csspart thumbnail - A review photo button.
 * @csspart reply - The store's reply to a review.
 * @csspart track - The carousel's scrolling track.
 * @csspart nav - The carousel's Previous / Next buttons.
 * @cssprop --most-helpful-gap - Space between cards (default 1rem).
 * @cssprop --most-helpful-slide-size - Width of a carousel slide (default min(85%, 22rem)).
 * @cssprop --most-helpful-card-size - Height of a loading placeholder card (default 10.5rem).
 * @cssprop --reviews-clamp-lines - Lines of a long review shown before "Read more" (default 6).
 */
export class MostHelpful extends LitElement {
  static override styles = styles;

  /** Reviews endpoint (base URL); defaults to the page's meta tag or origin. */
  @property() endpoint = '';
  /** Review namespace. */
  @property() namespace = 'stores';
  /** Product whose reviews are ranked; the whole namespace when empty. */
  @property({ attribute: 'entity-id' }) entityId = '';
  /** How many reviews to show (1-100). */
  @property({ type: Number }) limit = 10;
  /** Heading text (default "Most helpful reviews"). */
  @property() heading = '';
  /** Heading level 1-6, to fit the page outline; review titles are one level below. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;
  /** `list` or `carousel` (a horizontal, swipeable track with Previous / Next). */
  @property() layout: 'list' | 'carousel' = 'list';
  /** Shows the most helpful positive review beside the most helpful critical one. */
  @property({ type: Boolean, attribute: 'face-off' }) faceOff = false;
  /** `full` names, or first name and `initial` ("Dana K."). */
  @property({ attribute: 'author-display' }) authorDisplay: AuthorDisplay = 'full';

  @state() private _atStart = true;
  @state() private _atEnd = false;

  private _cards = new ReviewCards(this);

  private _picks = new Task(this, {
    args: () =>
      [resolveEndpoint(this.endpoint), this.namespace || 'stores', this.entityId, intIn(this.limit, 10, 1, 100), this.faceOff] as const,
    task: async ([endpoint, namespace, entityId, limit, faceOff], { signal }): Promise<Picks> => {
      const client = clientFor(endpoint);
      const base = { namespace, ...(entityId ? { entityId } : {}), sort: 'most-helpful' as const };
      // The same query as the list layout, so a face-off next to a list costs nothing more.
      const top = await client.queryReviews({ ...base, limit }, { signal });
      if (!faceOff) return { top: top.reviews };
      const first = (positive: boolean) => top.reviews.find((r) => r.content.rating >= 4 === positive);
      let positive = first(true);
      let critical = first(false);
      // Only when the top page lacks a side and more reviews exist: one review of that side.
      if (top.next && !(positive && critical)) {
        const best = async (ratings: number[]) =>
          (await client.queryReviews({ ...base, ratings, limit: 1 }, { signal })).reviews[0];
        [positive, critical] = await Promise.all([positive ?? best([4, 5]), critical ?? best([1, 2, 3])]);
      }
      return { top: top.reviews, ...(positive ? { positive } : {}), ...(critical ? { critical } : {}) };
    },
  });

  override render() {
    const level = intIn(this.headingLevel, 2, 1, 6);
    const status = this._picks.status;
    const picks = this._picks.value;
    let body;
    if (status === TaskStatus.ERROR) {
      body = loadFailed(msg('Reviews could not be loaded.'), () => this._picks.run());
    } else if (status !== TaskStatus.COMPLETE || !picks) body = this._renderSkeleton();
    else if (!picks.top.length && !picks.positive && !picks.critical) body = html`<p class="empty">${msg('No reviews yet.')}</p>`;
    else if (this.faceOff) body = this._renderFaceOff(picks, level);
    else if (this.layout === 'carousel') body = this._renderCarousel(picks.top, level);
    else body = html`<ol role="list" class="list">${picks.top.map((r) => html`<li>${this._cards.card(r, level + 1)}</li>`)}</ol>`;
    return html`<section aria-labelledby="heading">
      <div id="heading" class="heading-main" part="heading" role="heading" aria-level=${level}>${this.heading || msg('Most helpful reviews')}</div>
      <p class="visually-hidden" role="status">${status === TaskStatus.PENDING ? msg('Loading reviews…') : ''}</p>
      ${body} ${this._cards.lightbox()}
    </section>`;
  }

  private _renderSkeleton() {
    const n = this.faceOff ? 2 : this.layout === 'carousel' ? 1 : intIn(this.limit, 10, 1, 10);
    return html`<div class="${this.faceOff ? 'faceoff' : 'list'}" aria-hidden="true">
      ${Array.from({ length: n }, () => html`<div class="skeleton"></div>`)}
    </div>`;
  }

  private _renderFaceOff({ positive, critical }: Picks, level: number) {
    const side = (title: string, review: Review | undefined, none: string) => html`<div class="side">
      <div class="side-heading" role="heading" aria-level=${Math.min(level + 1, 6)}>${title}</div>
      ${review ? this._cards.card(review, level + 2) : html`<p class="empty">${none}</p>`}
    </div>`;
    return html`<div class="faceoff">
      ${side(msg('Top positive review'), positive, msg('No positive reviews yet.'))}
      ${side(msg('Top critical review'), critical, msg('No critical reviews yet.'))}
    </div>`;
  }

  private _renderCarousel(reviews: Review[], level: number) {
    const locale = localeOf(this);
    const total = formatCount(reviews.length, locale);
    return html`<div
        class="track"
        part="track"
        role="group"
        aria-roledescription=${msg('carousel')}
        aria-label=${this.heading || msg('Most helpful reviews')}
        tabindex="0"
        @keydown=${this._onKeydown}
        @scroll=${this._onScroll}
      >
        ${reviews.map(
          (r, i) => html`<div class="slide" role="group" aria-roledescription=${msg('slide')} aria-label=${msg(str`${formatCount(i + 1, locale)} of ${total}`)} tabindex="-1">
            ${this._cards.card(r, level + 1)}
          </div>`,
        )}
      </div>
      ${reviews.length > 1
        ? html`<div class="nav" part="nav">
            <button type="button" class="button" aria-disabled=${this._atStart ? 'true' : 'false'} @click=${() => this._scroll(-1)}>
              <span aria-hidden="true">‹</span> ${msg('Previous')}
            </button>
            <button type="button" class="button" aria-disabled=${this._atEnd ? 'true' : 'false'} @click=${() => this._scroll(1)}>
              ${msg('Next')} <span aria-hidden="true">›</span>
            </button>
          </div>`
        : nothing}`;
  }

  private get _slides(): HTMLElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLElement>('.slide')];
  }

  /** Scrolls the track by one slide; the browser's scroll snapping does the rest. */
  private _scroll(step: number) {
    const track = this.renderRoot.querySelector<HTMLElement>('.track');
    const slide = this._slides[0];
    if (!track || !slide) return;
    const size = slide.getBoundingClientRect().width + parseFloat(getComputedStyle(track).columnGap || '0');
    track.scrollBy({ left: step * size * (directionOf(this) === 'rtl' ? -1 : 1) });
  }

  /** Arrow keys, Home and End move focus from slide to slide (which scrolls it into view). */
  private _onKeydown = (e: KeyboardEvent) => {
    const slides = this._slides;
    const current = slides.indexOf((e.target as HTMLElement).closest<HTMLElement>('.slide')!);
    const forward = directionOf(this) === 'rtl' ? 'ArrowLeft' : 'ArrowRight';
    const back = forward === 'ArrowLeft' ? 'ArrowRight' : 'ArrowLeft';
    let next: number;
    if (e.key === forward) next = current + 1;
    else if (e.key === back) next = current < 0 ? 0 : current - 1;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = slides.length - 1;
    else return;
    e.preventDefault();
    slides[Math.min(Math.max(next, 0), slides.length - 1)]?.focus();
  };

  private _onScroll = (e: Event) => {
    const track = e.currentTarget as HTMLElement;
    const offset = Math.abs(track.scrollLeft);
    this._atStart = offset < 2;
    this._atEnd = offset + track.clientWidth >= track.scrollWidth - 2;
  };
}

define('most-helpful', MostHelpful);

declare global {
  interface HTMLElementTagNameMap {
    'most-helpful': MostHelpful;
  }
}
