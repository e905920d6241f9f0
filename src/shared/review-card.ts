/**
 * One review as `review-list` and `most-helpful` show it, plus the per-element state the
 * cards need: expanded bodies, which bodies overflow their clamp, helpfulness votes and
 * the lightbox. The host creates one `ReviewCards` controller and calls `card(review)`.
 */
import { msg, str } from '@lit/localize';
import { html, nothing, type LitElement, type ReactiveController } from 'lit';
import { clientFor } from '../api/client.js';
import type { HelpfulnessVote, Review } from '../api/schema.js';
import '../elements/media-gallery/media-lightbox.js';
import '../elements/rating-stars/rating-stars.js';
import { resolveEndpoint } from './endpoint.js';
import { formatCount, formatDate, localeOf } from './format.js';
import { mediaItemsOf, type LightboxItem } from './media.js';
import { rememberedVote, rememberVote, visitorId } from './visitor.js';

export type AuthorDisplay = 'full' | 'initial';

/** What a host element offers the cards. */
export interface ReviewCardHost extends LitElement {
  endpoint: string;
  authorDisplay: AuthorDisplay;
}

/** "Dana Kowalski" → "Dana K." with `initial`; blank names are "Anonymous". */
export function displayName(name: string | null | undefined, mode: AuthorDisplay): string {
  const parts = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (!parts.length) return msg('Anonymous');
  if (mode !== 'initial' || parts.length === 1) return parts.join(' ');
  return `${parts[0]} ${[...parts[parts.length - 1]!][0]!.toUpperCase()}.`;
}

interface VoteState {
  /** The review object the counts belong to: a re-fetched review brings fresh counts. */
  review: Review;
  helpful: number;
  unhelpful: number;
}

/** The connected card controllers: a vote in one element shows at once in the others. */
const live = new Set<ReviewCards>();

export class ReviewCards implements ReactiveController {
  private readonly _host: ReviewCardHost;
  /** The review object each card was last rendered from, by id (for `_set`: a vote reaches the other elements showing it). */
  private _shown = new Map<string, Review>();
  private _expanded = new Set<string>();
  private _overflow = new Set<string>();
  private _counts = new Map<string, VoteState>();
  private _busy = new Set<string>();
  private _errors = new Set<string>();
  private _resize?: ResizeObserver;
  private _observed = new WeakSet<Element>();

  constructor(host: ReviewCardHost) {
    this._host = host;
    host.addController(this);
  }

  hostConnected() {
    live.add(this);
    // Observation stopped on disconnect; the bodies rendered before are still there.
    if (this._host.hasUpdated) this.hostUpdated();
  }

  /** Bodies are clamped by CSS; "Read more" appears only for those that overflow it. */
  hostUpdated() {
    if (typeof ResizeObserver === 'undefined') return;
    this._resize ??= new ResizeObserver(this._onResize);
    for (const body of this._host.renderRoot.querySelectorAll<HTMLElement>('.body[data-id]')) {
      if (this._observed.has(body)) continue;
      this._observed.add(body);
      this._resize.observe(body);
    }
  }

  hostDisconnected() {
    live.delete(this);
    this._resize?.disconnect();
    this._resize = undefined;
    this._observed = new WeakSet();
  }

  /**
   * The lightbox every host renders once. Its "Go to review" link leads to the card the
   * photo came from, which is right here: focus that card instead of following the link.
   */
  lightbox() {
    return html`<media-lightbox @click=${this._onLightboxClick}></media-lightbox>`;
  }

  /** One review card; its heading has `level` (title, else the author's name). */
  card(review: Review, level: number) {
    const locale = localeOf(this._host);
    const { id, content } = review;
    const author = displayName(review.author?.authorName, this._host.authorDisplay);
    const title = content.title?.trim();
    const date = review.reviewDate ?? review.createdDate;
    const expanded = this._expanded.has(id);
    const media = mediaItemsOf(review, (r, i) =>
      msg(str`Photo ${i + 1} from the review by ${displayName(r.author?.authorName, this._host.authorDisplay)}`),
    );
    this._shown.set(id, review);
    const votes = this._counts.get(id);
    const fresh = votes?.review === review ? votes : undefined;
    const helpful = fresh?.helpful ?? review.foundHelpful ?? 0;
    const unhelpful = fresh?.unhelpful ?? review.foundUnhelpful ?? 0;
    const vote = rememberedVote(id);
    const busy = this._busy.has(id);
    return html`<article part="review" class="review" data-review-id=${id} tabindex="-1">
      <div class="heading" role="heading" aria-level=${Math.min(level, 6)}>${title || author}</div>
      <rating-stars value=${content.rating}></rating-stars>
      <p class="meta">
        ${title ? html`<span class="author">${author}</span>` : nothing}
        <time datetime=${date}>${formatDate(date, locale)}</time>
        ${review.verified
          ? html`<span class="verified"><span aria-hidden="true">✓</span> ${msg('Verified buyer')}</span>`
          : nothing}
      </p>
      ${content.body
        ? html`<p class="body ${expanded ? '' : 'clamp'}" id="body-${id}" data-id=${id}>${content.body}</p>
            ${expanded || this._overflow.has(id)
              ? html`<button type="button" class="link" aria-expanded=${expanded} aria-controls="body-${id}" @click=${() => this._toggle(id)}>
                  ${expanded ? msg('Show less') : msg('Read more')}
                </button>`
              : nothing}`
        : nothing}
      ${media.length
        ? html`<div class="media">
            ${media.map(
              (m, i) => html`<button type="button" class="thumb" part="thumbnail" @click=${(e: Event) => this._open(media, i, e.currentTarget as HTMLElement)}>
                ${m.thumbnail
                  ? html`<img src=${m.thumbnail} alt=${m.alt} loading="lazy" width="64" height="64" />`
                  : html`<span class="play" aria-hidden="true">▶</span><span class="visually-hidden">${m.alt}</span>`}
              </button>`,
            )}
          </div>`
        : nothing}
      ${review.reply?.message
        ? html`<div class="reply" part="reply">
            <p class="reply-label">${msg('Reply from the store')}</p>
            <p class="reply-text">${review.reply.message}</p>
          </div>`
        : nothing}
      <div class="votes" role="group" aria-label=${msg('Was this review helpful?')} aria-busy=${busy ? 'true' : nothing}>
        ${this._voteButton(review, 'HELPFUL', vote, busy, msg(str`Helpful (${formatCount(helpful, locale)})`))}
        ${this._voteButton(review, 'UNHELPFUL', vote, busy, msg(str`Not helpful (${formatCount(unhelpful, locale)})`))}
        <span class="vote-error" role="status">${this._errors.has(id) ? msg('Your vote could not be saved. Please try again.') : ''}</span>
      </div>
    </article>`;
  }

  /**
   * Casts (or, for the vote already cast, withdraws) the visitor's vote: the counts and
   * pressed state change at once and are rolled back if the server refuses. One request
   * per review at a time. Fires `review-vote` when the server has recorded it.
   */
  async vote(review: Review, pressed: Exclude<HelpfulnessVote, 'NONE'>): Promise<void> {
    const { id } = review;
    if (this._busy.has(id)) return;
    const before = rememberedVote(id);
    const next: HelpfulnessVote = before === pressed ? 'NONE' : pressed;
    const state = this._counts.get(id);
    const base = state?.review === review ? state : { review, helpful: review.foundHelpful ?? 0, unhelpful: review.foundUnhelpful ?? 0 };
    const delta = (v: HelpfulnessVote) => (next === v ? 1 : 0) - (before === v ? 1 : 0);
    this._set(id, { review, helpful: base.helpful + delta('HELPFUL'), unhelpful: base.unhelpful + delta('UNHELPFUL') });
    rememberVote(id, next);
    this._busy.add(id);
    this._errors.delete(id);
    this._host.requestUpdate();
    try {
      const saved = await clientFor(resolveEndpoint(this._host.endpoint)).vote(id, next, visitorId());
      this._set(id, { review, helpful: saved.foundHelpful ?? 0, unhelpful: saved.foundUnhelpful ?? 0 });
      this._host.dispatchEvent(new CustomEvent('review-vote', { detail: { reviewId: id, vote: next }, bubbles: true, composed: true }));
    } catch {
      this._set(id, base);
      rememberVote(id, before);
      this._errors.add(id);
    } finally {
      this._busy.delete(id);
      this._host.requestUpdate();
    }
  }

  /**
   * Sets a review's counts here and in every other connected element of the same endpoint
   * that shows it (a list and most-helpful on one page show the same review), so the
   * counts and the pressed button agree everywhere without a reload.
   */
  private _set(id: string, counts: VoteState) {
    this._counts.set(id, counts);
    const endpoint = resolveEndpoint(this._host.endpoint);
    for (const other of live) {
      const review = other._shown.get(id);
      if (other === this || !review || resolveEndpoint(other._host.endpoint) !== endpoint) continue;
      other._counts.set(id, { review, helpful: counts.helpful, unhelpful: counts.unhelpful });
      other._host.requestUpdate();
    }
  }

  private _voteButton(review: Review, kind: Exclude<HelpfulnessVote, 'NONE'>, vote: HelpfulnessVote, busy: boolean, label: string) {
    return html`<button
      type="button"
      class="button vote"
      aria-pressed=${vote === kind}
      aria-disabled=${busy ? 'true' : nothing}
      @click=${() => this.vote(review, kind)}
    >${label}</button>`;
  }

  private _toggle(id: string) {
    if (!this._expanded.delete(id)) this._expanded.add(id);
    this._host.requestUpdate();
  }

  private _open(items: LightboxItem[], index: number, opener: HTMLElement) {
    this._host.renderRoot.querySelector('media-lightbox')?.open(items, index, opener);
  }

  private _onLightboxClick = (e: Event) => {
    const link = (e.composedPath()[0] as Element).closest?.('a');
    const id = link && /^#review-(.+)$/.exec(link.getAttribute('href') ?? '')?.[1];
    const card = id && this._host.renderRoot.querySelector<HTMLElement>(`[data-review-id="${CSS.escape(decodeURIComponent(id))}"]`);
    if (!card) return;
    e.preventDefault();
    card.focus();
  };

  private _onResize = (entries: ResizeObserverEntry[]) => {
    let changed = false;
    for (const { target } of entries) {
      const body = target as HTMLElement;
      if (!body.classList.contains('clamp') || !body.isConnected) continue;
      const id = body.dataset.id!;
      const over = body.scrollHeight > body.clientHeight + 1;
      if (over !== this._overflow.has(id)) {
        changed = true;
        if (over) this._overflow.add(id);
        else this._overflow.delete(id);
      }
    }
    if (changed) this._host.requestUpdate();
  };
}
