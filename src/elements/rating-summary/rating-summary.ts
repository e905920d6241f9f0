import { msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { clientFor, type Summary } from '../../api/client.js';
import type { AttributeSummary } from '../../api/schema.js';
import { parseRatings } from '../../shared/attributes.js';
import { loadFailed } from '../../shared/controls.js';
import { define } from '../../shared/define.js';
import { resolveEndpoint } from '../../shared/endpoint.js';
import type { ReviewFilterDetail } from '../../shared/events.js';
import { formatCount, formatPercent, formatRating, localeOf, pluralOf } from '../../shared/format.js';
import { parseAttributes } from '../../shared/rating-attributes.js';
import '../rating-stars/rating-stars.js';
import { styles } from './rating-summary.styles.js';

/** What `for` may point at: `review-list`, or anything with a `filterRating` string property. */
type FilterTarget = HTMLElement & { filterRating?: string };

const STARS = [5, 4, 3, 2, 1] as const;
const EMPTY: Summary = { average: 0, total: 0, counts: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } };

/**
 * A product's rating at a glance: the average, the number of reviews and how they spread
 * over 5 to 1 stars, each star value a button that filters the linked `review-list`.
 *
 * Pressing a bar shows only reviews with that many stars; pressing a pressed bar (or
 * "Clear filter") shows all again. With `for="<id>"` the element sets that list's
 * `filterRating` and follows the list when the visitor changes its star filter there
 * (the list reports that with `review-filter`). Without `for` it only fires the event.
 * It shares its one summary request with `rating-stars` badges of the same product.
 *
 * With `attributes="quality, value, fit"` it also shows a bar per attribute rating (the
 * Ratings API's averages, 0-100, shown on the 5-star scale: "4.3", read out as "4.3 out
 * of 5, 12 ratings"); an attribute nobody rated yet says so. Labels work as in
 * `review-form`: localisable defaults for common names, or the page's own after a colon
 * (`attributes="quality:Build quality, fit"`).
 *
 * @summary Average rating, review count and clickable 1-5 star distribution.
 * @fires {CustomEvent<ReviewFilterDetail>} review-filter - The visitor pressed a bar or "Clear filter" (bubbles, composed,
 *   cancelable; detail `{ratings}`, empty for no filter). Cancel it to keep the linked
 *   list and the pressed state unchanged.
 * @csspart average - The big average number.
 * @csspart total - "Based on N reviews".
 * @csspart bars - The list of distribution bars.
 * @csspart bar - One star value's button.
 * @csspart track - The bar's track.
 * @csspart fill - The bar's filled share.
 * @csspart clear - The "Clear filter" button.
 * @csspart attributes - The list of attribute ratings.
 * @csspart attribute - One attribute's name, bar and average.
 * @cssprop --rating-summary-bar-color - Filled bar colour (default the theme's star colour).
 * @cssprop --rating-summary-bar-height - Bar thickness (default 0.5rem).
 */
export class RatingSummary extends LitElement {
  static override styles = styles;

  /** Reviews endpoint (base URL); defaults to the page's meta tag or origin. */
  @property() endpoint = '';
  /** Review namespace (Ratings group). */
  @property() namespace = 'stores';
  /** Product whose ratings are summarised. */
  @property({ attribute: 'entity-id' }) entityId = '';
  /** Id of the `review-list` (in the same document or shadow root) the bars filter. */
  @property({ attribute: 'for' }) htmlFor = '';
  /**
   * Star values shown as pressed, comma-separated ("4", "4,5"); empty for none. Set by
   * the visitor's presses and by the linked list; setting it does not touch the list.
   */
  @property({ attribute: 'filter-rating' }) filterRating = '';
  /**
   * Attribute ratings to show (HTML attribute `attributes`), comma-separated, each
   * optionally with `:Label` ("quality, fit:How it fits"). (`attributes` is taken by the DOM.)
   */
  @property({ attribute: 'attributes' }) ratingAttributes = '';

  private _root?: Document | ShadowRoot;
  /** Whether the list named by `for` was found (it may be created after us). */
  private _linked = false;

  private _summary = new Task(this, {
    args: () => [this.endpoint, this.namespace, this.entityId, this.ratingAttributes] as const,
    task: async ([endpoint, namespace, entityId, attributes], { signal }): Promise<[Summary, AttributeSummary[]]> => {
      if (!entityId) return [EMPTY, []];
      const client = clientFor(resolveEndpoint(endpoint));
      const names = parseAttributes(attributes).map((a) => a.name);
      return Promise.all([client.getSummary(namespace, entityId, { signal }), client.getAttributeSummaries(namespace, entityId, names, { signal })]);
    },
  });

  override connectedCallback() {
    super.connectedCallback();
    this._root = this.getRootNode() as Document | ShadowRoot;
    // On the root, not the list: the list may be created after us, or replaced.
    this._root.addEventListener('review-filter', this._onListFilter);
    this._linked = false;
    if (this.hasUpdated) this.requestUpdate();
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('htmlFor')) this._linked = false;
    if (!this._linked) this._linked = this._followList();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this._root?.removeEventListener('review-filter', this._onListFilter);
  }

  override render() {
    return this._summary.render({
      initial: () => this._renderSummary(EMPTY, true),
      pending: () => this._renderSummary(EMPTY, true),
      complete: ([s, attributes]) => this._renderSummary(s, false, attributes),
      error: () => loadFailed(msg('Ratings could not be loaded.'), () => this._summary.run()),
    });
  }

  private _renderSummary(s: Summary, loading: boolean, attributes: AttributeSummary[] = []) {
    const locale = localeOf(this);
    const active = parseRatings(this.filterRating);
    const none = !loading && s.total === 0;
    const total = formatCount(s.total, locale);
    return html`<div class="summary ${loading ? 'loading' : ''}">
      ${loading ? html`<p class="visually-hidden" role="status">${msg('Loading ratings')}</p>` : nothing}
      <div class="head" aria-hidden=${loading ? 'true' : nothing}>
        <span class="average" part="average" aria-hidden="true">${none ? '–' : formatRating(s.average, locale)}</span>
        <rating-stars value=${s.average} aria-hidden=${loading || none ? 'true' : nothing}></rating-stars>
        <p class="total" part="total">
          ${none
            ? msg('No reviews yet')
            : pluralOf(s.total, locale) === 'one'
              ? msg(str`Based on ${total} review`)
              : msg(str`Based on ${total} reviews`)}
        </p>
      </div>
      <ul class="bars" part="bars" role="list" aria-label=${msg('Filter reviews by rating')} aria-hidden=${loading ? 'true' : nothing}>
        ${STARS.map((star) => {
          const count = s.counts[star];
          const share = s.total > 0 ? count / s.total : 0;
          const n = formatCount(count, locale);
          const pct = formatPercent(share, locale);
          const stars = formatCount(star, locale);
          const value = star === 1 ? msg(str`${stars} star`) : msg(str`${stars} stars`);
          // The name starts with the visible text ("5 stars … 80 (62%)"), as WCAG 2.5.3 asks.
          const label = pluralOf(count, locale) === 'one' ? msg(str`${value}, ${n} review, ${pct}`) : msg(str`${value}, ${n} reviews, ${pct}`);
          return html`<li>
            <button
              class="bar"
              part="bar"
              type="button"
              aria-label=${label}
              aria-pressed=${active.includes(star) ? 'true' : 'false'}
              ?disabled=${loading || none}
              @click=${() => this._choose(active.includes(star) ? [] : [star])}
            >
              <span class="check" aria-hidden="true">✓</span>
              <span class="value">${value}</span>
              <span class="track" part="track"><span class="fill" part="fill" style="inline-size:${share * 100}%"></span></span>
              <span class="count">${n}</span>
              <span class="pct">(${pct})</span>
            </button>
          </li>`;
        })}
      </ul>
      <button class="button clear" part="clear" type="button" ?inert=${!active.length} @click=${this._clear}>${msg('Clear filter')}</button>
      ${this._renderAttributes(attributes, loading)}
    </div>`;
  }

  private _renderAttributes(summaries: AttributeSummary[], loading: boolean) {
    const list = parseAttributes(this.ratingAttributes);
    const locale = localeOf(this);
    return list.length
      ? html`<ul class="attrs" part="attributes" role="list" aria-label=${msg('Ratings by feature')} aria-hidden=${loading ? 'true' : nothing}>
          ${list.map(({ name, label }, i) => {
            const a = summaries.find((x) => x.attributeName === name);
            // 0-100 on the 5-star scale, one decimal: 86 → 4.3.
            const stars = Math.round((a?.average ?? 0) / 2) / 10;
            const rating = formatRating(stars, locale);
            const n = formatCount(a?.total ?? 0, locale);
            return html`<li part="attribute">
              <span id="attr-${i}">${label}</span>
              ${a?.total
                ? html`<span
                      class="track"
                      part="track"
                      role="meter"
                      aria-labelledby="attr-${i}"
                      aria-valuemin="0"
                      aria-valuemax="5"
                      aria-valuenow=${stars}
                      aria-valuetext=${pluralOf(a.total, locale) === 'one'
                        ? msg(str`${rating} out of 5, ${n} rating`)
                        : msg(str`${rating} out of 5, ${n} ratings`)}
                      ><span class="fill" part="fill" style="inline-size:${stars * 20}%"></span
                    ></span>
                    <span class="count" aria-hidden="true">${rating}</span>`
                : html`<span class="none">${loading ? '' : msg('No ratings yet')}</span>`}
            </li>`;
          })}
        </ul>`
      : nothing;
  }

  private _list(): FilterTarget | null {
    if (!this.htmlFor) return null;
    return ((this.getRootNode() as Document | ShadowRoot).getElementById?.(this.htmlFor) as FilterTarget | null) ?? null;
  }

  /** Takes the linked list's current star filter (it may not be upgraded yet: read the attribute). */
  private _followList(): boolean {
    const list = this._list();
    if (!list) return false;
    const value = typeof list.filterRating === 'string' ? list.filterRating : list.getAttribute('filter-rating');
    this.filterRating = parseRatings(value).join(',');
    return true;
  }

  private _choose(ratings: number[]): boolean {
    const detail: ReviewFilterDetail = { ratings };
    const event = new CustomEvent('review-filter', { detail, bubbles: true, composed: true, cancelable: true });
    if (!this.dispatchEvent(event)) return false;
    this.filterRating = ratings.join(',');
    const list = this._list();
    if (list) list.filterRating = this.filterRating;
    return true;
  }

  private async _clear() {
    const previous = parseRatings(this.filterRating)[0];
    if (!this._choose([])) return;
    await this.updateComplete;
    // The Clear button becomes inert: move focus to the bar that was pressed.
    this.renderRoot.querySelectorAll<HTMLElement>('.bar')[5 - (previous ?? 5)]?.focus();
  }

  private _onListFilter = (e: Event) => {
    if (!this.htmlFor || e.target !== this._list()) return;
    const { ratings } = (e as CustomEvent<ReviewFilterDetail>).detail ?? {};
    // Wait until every listener has run: a canceled change did not happen.
    queueMicrotask(() => {
      if (!e.defaultPrevented && Array.isArray(ratings)) this.filterRating = parseRatings(ratings.join(',')).join(',');
    });
  };
}

define('rating-summary', RatingSummary);

declare global {
  interface HTMLElementTagNameMap {
    'rating-summary': RatingSummary;
  }
}
