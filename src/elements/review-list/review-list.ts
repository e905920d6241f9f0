import { msg, str } from '@lit/localize';
import { Task, TaskStatus } from '@lit/task';
import { LitElement, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { REVIEW_SORTS, clientFor, type ReviewSort, type ReviewsQuery } from '../../api/client.js';
import type { Review } from '../../api/schema.js';
import { intIn, parseRatings } from '../../shared/attributes.js';
import { loadFailed } from '../../shared/controls.js';
import { define } from '../../shared/define.js';
import { resolveEndpoint } from '../../shared/endpoint.js';
import { formatCount, localeOf, pluralOf } from '../../shared/format.js';
import { ReviewCards, type AuthorDisplay } from '../../shared/review-card.js';
import { styles } from './review-list.styles.js';

interface Loaded {
  /** Endpoint, namespace and entity the reviews belong to. */
  entity: string;
  query: ReviewsQuery;
  reviews: Review[];
  next?: string;
  /** Loading the next page failed; the reviews shown so far stay. */
  failed?: boolean;
  /** First review of the page just appended (receives focus). */
  focus?: string;
}

/**
 * A product's reviews, newest first by default, with sort, star / photo / verified
 * filters, search and cursor-based "Load more". Votes, "Read more" and the photo
 * lightbox come with each review.
 *
 * @summary Sorted, filtered, paged list of reviews.
 * @fires {CustomEvent<ReviewFilterDetail>} review-filter - The visitor changed the star filter (bubbles, composed, cancelable: cancel to
 *   keep the current filter; detail: `{ratings}`, empty for all).
 * @fires {Event} change - The visitor changed the sort, the photo or verified filter, or the search.
 * @fires {CustomEvent<ReviewVoteDetail>} review-vote - The visitor's helpfulness vote was recorded (bubbles, composed; detail: `{reviewId, vote}`).
 * @csspart controls - The sort, filter and search controls.
 * @csspart list - The list of reviews.
 * @csspart review - One review card (`data-review-id` holds its id).
 * @csspart thumbnail - A review photo button.
 * @csspart reply - The store's reply to a review.
 * @csspart load-more - The "Load more reviews" button.
 * @cssprop --review-list-gap - Space between review cards (default 1rem).
 * @cssprop --review-list-card-size - Height of a loading placeholder card (default 10.5rem).
 * @cssprop --reviews-clamp-lines - Lines of a long review shown before "Read more" (default 6).
 */
export class ReviewList extends LitElement {
  static override styles = styles;

  /** Reviews endpoint (base URL); defaults to the page's meta tag or origin. */
  @property() endpoint = '';
  /** Review namespace. */
  @property() namespace = 'stores';
  /** Product whose reviews are shown; store-wide when empty. */
  @property({ attribute: 'entity-id' }) entityId = '';
  /** `newest` | `oldest` | `highest` | `lowest` | `most-helpful`. */
  @property() sort: ReviewSort = 'newest';
  /** Star values to show, comma-separated ("4,5"); empty shows all. */
  @property({ attribute: 'filter-rating' }) filterRating = '';
  /** Only reviews with photos or videos. */
  @property({ type: Boolean, attribute: 'filter-media' }) filterMedia = false;
  /** Only reviews from verified buyers. */
  @property({ type: Boolean, attribute: 'filter-verified' }) filterVerified = false;
  /** Only reviews matching this text. */
  @property() search = '';
  /** Reviews per page, 1-100. */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 10;
  /** `full` names, or first name and `initial` ("Dana K."). */
  @property({ attribute: 'author-display' }) authorDisplay: AuthorDisplay = 'full';
  /** Hides the built-in sort, filter and search controls. */
  @property({ type: Boolean, attribute: 'no-controls' }) noControls = false;

  @state() private _cursor?: string;

  private _cards = new ReviewCards(this);
  private _endpoint = '';
  private _entity = '';
  private _query: ReviewsQuery = { namespace: 'stores' };
  private _focused?: Loaded;
  /**
   * "Clear filters" removed its own button: focus moves to what loads instead. The query
   * when it was pressed, so a canceled change (no new query) leaves focus alone.
   */
  private _refocus?: ReviewsQuery;
  private _searchTimer?: ReturnType<typeof setTimeout>;
  @query('input[type="search"]') private _searchInput?: HTMLInputElement;

  private _page = new Task(this, {
    args: () => [this._endpoint, this._entity, this._query, this._cursor] as const,
    task: async ([endpoint, entity, query, cursor], { signal }): Promise<Loaded> => {
      const prev = cursor && this._page.value?.query === query ? this._page.value : undefined;
      try {
        const page = await clientFor(endpoint).queryReviews({ ...query, ...(cursor ? { cursor } : {}) }, { signal });
        const seen = new Set(prev?.reviews.map((r) => r.id));
        const fresh = page.reviews.filter((r) => !seen.has(r.id));
        // Focus goes to the first new review; when there is none and the button goes
        // (reviews removed since the last page), to the last review rather than nowhere.
        const focus = prev && (fresh[0]?.id ?? (page.next ? undefined : prev.reviews.at(-1)?.id));
        return { entity, query, reviews: prev ? [...prev.reviews, ...fresh] : fresh, next: page.next, focus };
      } catch (err) {
        if (!prev || signal.aborted) throw err;
        return { ...prev, failed: true, focus: undefined };
      }
    },
  });

  private _summary = new Task(this, {
    args: () => [this._endpoint, this._query.namespace, this.entityId] as const,
    task: ([endpoint, namespace, entityId], { signal }) =>
      entityId ? clientFor(endpoint).getSummary(namespace, entityId, { signal }) : undefined,
  });

  override willUpdate() {
    // Removing an attribute sets its property to null: fall back to the defaults.
    const query: ReviewsQuery = {
      namespace: this.namespace || 'stores',
      ...(this.entityId ? { entityId: this.entityId } : {}),
      sort: REVIEW_SORTS.includes(this.sort) ? this.sort : 'newest',
      ratings: parseRatings(this.filterRating),
      withMedia: this.filterMedia,
      verifiedOnly: this.filterVerified,
      search: (this.search ?? '').trim(),
      limit: intIn(this.pageSize, 10, 1, 100),
    };
    const endpoint = resolveEndpoint(this.endpoint);
    // A new query starts again at the first page; an unchanged one keeps its object so
    // the Task does not run again.
    if (endpoint !== this._endpoint || JSON.stringify(query) !== JSON.stringify(this._query)) {
      this._endpoint = endpoint;
      this._entity = `${endpoint} ${query.namespace} ${this.entityId}`;
      this._query = query;
      this._cursor = undefined;
    }
  }

  override updated() {
    const loaded = this._page.value;
    if (loaded?.focus && loaded !== this._focused) {
      this._focused = loaded;
      this.renderRoot.querySelector<HTMLElement>(`[data-review-id="${CSS.escape(loaded.focus)}"]`)?.focus();
    }
    if (this._refocus && this._page.status !== TaskStatus.PENDING) {
      // Only when Clear filters changed the query: the page may have canceled the change.
      const changed = this._refocus !== this._query;
      this._refocus = undefined;
      if (changed) this.renderRoot.querySelector<HTMLElement>('[data-review-id], .empty p, .alert button')?.focus();
    }
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    clearTimeout(this._searchTimer);
  }

  override render() {
    const status = this._page.status;
    const loaded = this._page.value;
    const pending = status === TaskStatus.PENDING;
    // While a new sort or filter loads, the previous reviews of the same entity stay visible (busy).
    const shown = status !== TaskStatus.ERROR && loaded?.entity === this._entity && (loaded.reviews.length || !pending) ? loaded : undefined;
    const more = pending && Boolean(this._cursor) && loaded?.query === this._query;
    const busy = pending && !more;
    let body;
    let announce = '';
    if (status === TaskStatus.ERROR) {
      body = loadFailed(msg('Reviews could not be loaded.'), this._retry);
    } else if (!shown) {
      announce = msg('Loading reviews…');
      body = this._renderSkeleton();
    } else if (!shown.reviews.length) {
      announce = this._filtered ? msg('No reviews match these filters.') : msg('No reviews yet.');
      body = html`<div class="empty">
        <p tabindex="-1">${announce}</p>
        ${this._filtered
          ? html`<button type="button" class="button" @click=${this._clearFilters}>${msg('Clear filters')}</button>`
          : nothing}
      </div>`;
    } else {
      announce = busy ? msg('Loading reviews…') : this._showing(shown.reviews.length);
      body = html`<ul role="list" part="list" class="list" aria-busy=${busy ? 'true' : 'false'}>
          ${shown.reviews.map((r) => html`<li>${this._cards.card(r, 3)}</li>`)}
        </ul>
        ${shown.next
          ? html`<div class="more">
              ${shown.failed && !more ? html`<p class="alert" role="alert">${msg('More reviews could not be loaded.')}</p>` : nothing}
              <button type="button" class="button" part="load-more" aria-disabled=${pending ? 'true' : 'false'} @click=${this._loadMore}>
                ${more ? msg('Loading…') : shown.failed ? msg('Retry') : msg('Load more reviews')}
              </button>
            </div>`
          : nothing}`;
    }
    return html`${this.noControls ? nothing : this._renderControls()}
      <p class="visually-hidden" role="status">${announce}</p>
      ${body} ${this._cards.lightbox()}`;
  }

  private _renderControls() {
    const ratings = this._query.ratings ?? [];
    const sorts: Record<ReviewSort, string> = {
      newest: msg('Newest'),
      oldest: msg('Oldest'),
      highest: msg('Highest rating'),
      lowest: msg('Lowest rating'),
      'most-helpful': msg('Most helpful'),
    };
    const locale = localeOf(this);
    return html`<div class="controls" part="controls">
      <label class="field">
        <span>${msg('Sort by')}</span>
        <select @change=${this._onSort}>
          ${REVIEW_SORTS.map((s) => html`<option value=${s} ?selected=${s === this._query.sort}>${sorts[s]}</option>`)}
        </select>
      </label>
      <fieldset class="stars" @change=${this._onRatings}>
        <legend>${msg('Rating')}</legend>
        ${[5, 4, 3, 2, 1].map(
          (n) => html`<label class="check">
            <input type="checkbox" value=${n} .checked=${ratings.includes(n)} />
            ${pluralOf(n, locale) === 'one' ? msg(str`${formatCount(n, locale)} star`) : msg(str`${formatCount(n, locale)} stars`)}
          </label>`,
        )}
      </fieldset>
      <label class="check">
        <input type="checkbox" .checked=${this.filterMedia} @change=${(e: Event) => this._set('filterMedia', (e.target as HTMLInputElement).checked)} />
        ${msg('With photos')}
      </label>
      <label class="check">
        <input type="checkbox" .checked=${this.filterVerified} @change=${(e: Event) => this._set('filterVerified', (e.target as HTMLInputElement).checked)} />
        ${msg('Verified only')}
      </label>
      <label class="field search">
        <span>${msg('Search reviews')}</span>
        <input type="search" .value=${this.search} @input=${this._onSearchInput} @keydown=${this._onSearchKey} />
      </label>
    </div>`;
  }

  private _renderSkeleton() {
    const summary = this._summary.value;
    const known = summary && !this._filtered ? summary.total : Infinity;
    const n = Math.max(1, Math.min(this._query.limit ?? 10, 10, known));
    return html`<div class="list" aria-hidden="true">${Array.from({ length: n }, () => html`<div class="skeleton"></div>`)}</div>`;
  }

  /** "Showing 10 of 57 reviews"; the total comes from the summary, when it is known. */
  private _showing(count: number): string {
    const locale = localeOf(this);
    const summary = this._summary.value;
    const { ratings = [], withMedia, verifiedOnly, search } = this._query;
    const n = formatCount(count, locale);
    if (summary && !withMedia && !verifiedOnly && !search) {
      const total = ratings.length ? ratings.reduce((sum, r) => sum + summary.counts[r as 1], 0) : summary.total;
      if (total >= count) {
        const t = formatCount(total, locale);
        return pluralOf(total, locale) === 'one' ? msg(str`Showing ${n} of ${t} review`) : msg(str`Showing ${n} of ${t} reviews`);
      }
    }
    return pluralOf(count, locale) === 'one' ? msg(str`Showing ${n} review`) : msg(str`Showing ${n} reviews`);
  }

  private get _filtered(): boolean {
    const q = this._query;
    return Boolean(q.ratings?.length || q.withMedia || q.verifiedOnly || q.search);
  }

  private _retry = () => {
    if (this._summary.status !== TaskStatus.COMPLETE) void this._summary.run();
    void this._page.run();
  };

  private _loadMore = () => {
    const loaded = this._page.value;
    if (this._page.status === TaskStatus.PENDING || !loaded?.next) return;
    if (this._cursor === loaded.next) void this._page.run();
    else this._cursor = loaded.next;
  };

  private _onSort = (e: Event) => this._set('sort', (e.target as HTMLSelectElement).value as ReviewSort);

  private _onRatings = (e: Event) => {
    e.stopPropagation();
    const box = e.target as HTMLInputElement;
    const checked = (e.currentTarget as HTMLElement).querySelectorAll<HTMLInputElement>('input:checked');
    const ratings = [...checked].map((b) => Number(b.value)).sort();
    if (this._filterEvent(ratings)) this.filterRating = ratings.join(',');
    else box.checked = !box.checked;
  };

  /** `review-filter` is cancelable: a linked rating-summary or the page may keep the filter. */
  private _filterEvent(ratings: number[]): boolean {
    return this.dispatchEvent(new CustomEvent('review-filter', { detail: { ratings }, bubbles: true, composed: true, cancelable: true }));
  }

  private _onSearchInput = () => {
    clearTimeout(this._searchTimer);
    this._searchTimer = setTimeout(this._commitSearch, 300);
  };

  private _onSearchKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter') this._commitSearch();
  };

  private _commitSearch = () => {
    clearTimeout(this._searchTimer);
    const value = this._searchInput?.value ?? '';
    if (value !== (this.search ?? '')) this._set('search', value);
  };

  private _clearFilters = () => {
    clearTimeout(this._searchTimer);
    this._refocus = this._query;
    if (this._searchInput) this._searchInput.value = '';
    const { ratings, withMedia, verifiedOnly, search } = this._query;
    if (ratings?.length && this._filterEvent([])) this.filterRating = '';
    this.filterMedia = this.filterVerified = false;
    this.search = '';
    if (withMedia || verifiedOnly || search) this.dispatchEvent(new Event('change', { bubbles: true }));
  };

  /** A user change: update the public property and tell the page. */
  private _set<K extends 'sort' | 'filterMedia' | 'filterVerified' | 'search'>(key: K, value: this[K]) {
    this[key] = value;
    this.dispatchEvent(new Event('change', { bubbles: true }));
  }
}

define('review-list', ReviewList);

declare global {
  interface HTMLElementTagNameMap {
    'review-list': ReviewList;
  }
}
