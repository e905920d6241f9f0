import { msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { safeParse } from 'zod/mini';
import { ReviewsApiError, clientFor, type ReviewRequestForm } from '../../api/client.js';
import { IMAGE_SIGNATURE_BYTES, imageTypeOf } from '../../api/image-type.js';
import {
  LIMITS,
  ReviewContentInputSchema,
  ReviewDraftSchema,
  toFieldViolations,
  type FieldViolation,
  type Review,
  type ReviewDraft,
} from '../../api/schema.js';
import { intIn } from '../../shared/attributes.js';
import { define } from '../../shared/define.js';
import { resolveEndpoint } from '../../shared/endpoint.js';
import type { ReviewSubmitDetail, ReviewSubmittedDetail } from '../../shared/events.js';
import { formatCount, localeOf } from '../../shared/format.js';
import { attributeLabel, formatList, parseAttributes } from '../../shared/rating-attributes.js';
import { safeMediaUrl } from '../../shared/safe-url.js';
import { visitorId } from '../../shared/visitor.js';
import '../rating-stars/rating-stars.js';
import { styles } from './review-form.styles.js';

/** The server refuses bigger uploads (src/server/media.ts); checking first saves the upload. */
const MAX_BYTES = 5 * 1024 * 1024;

interface Values {
  rating: number;
  title: string;
  body: string;
  name: string;
  email: string;
}

interface Photo {
  key: number;
  /** The picked file; absent for photos restored from a saved draft (already uploaded). */
  file?: File;
  /** Object URL of `file`, or the uploaded image's (safe) URL. */
  preview: string;
  id?: string;
  url?: string;
  state: 'uploading' | 'done' | 'failed';
}

/** Why a picked file was not added. */
interface Refused {
  name: string;
  why: 'type' | 'size' | 'count' | 'again';
}

type Errors = Record<string, FieldViolation>;
type Failure = 'failed' | 'upload' | 'duplicate';
/** Stars (1-5) given per attribute name; 0 or absent: not rated. */
type Stars = Record<string, number>;
/** An attribute rating to store: value 0-100. */
type AttributeRating = ReviewSubmitDetail['ratings'][number];

/** A review's attribute ratings that could not be stored; offered for retry until the visitor moves on. */
interface RatingsOutcome {
  review: Review;
  /** Not stored (network, server): offered for retry. */
  failed: AttributeRating[];
  busy?: boolean;
}

/** One item of a review request (`review-request` mode). */
interface Item {
  rating: number;
  title: string;
  body: string;
  attrs: Stars;
  errors: Errors;
  /** `already`: reviewed before this page was opened. */
  state: 'idle' | 'sending' | 'done' | 'already';
  published?: boolean;
  outcome?: RatingsOutcome;
  /** Why the last send failed, for the visitor. */
  failure?: string;
}

const EMPTY: Values = { rating: 0, title: '', body: '', name: '', email: '' };
let photoKeys = 0;

/**
 * A form to write a product review: star rating, title, text, photos, name and e-mail.
 * Validates with the same schema as the server, keeps the draft in localStorage until
 * the server accepts it, and submits through Create Review And Contact.
 *
 * Attribute ratings: `attributes="quality, value, fit"` adds a star rating per attribute
 * (optional unless `attributes-required`). Each is labelled from a localisable default
 * for common names ("Quality", "Value for money", "Fit", "Comfort", ...), a readable form
 * of other names ("ease_of_use" → "Ease of use"), or the page's own label written after a
 * colon: `attributes="quality:Build quality, fit:How it fits"` (labels cannot contain
 * commas). Once the review exists, each given attribute is stored through the Ratings
 * API (value = stars x 20, group = `namespace`, owner = this browser's visitor id, linked
 * to the review by `relatedEntityIds`). A rating that cannot be stored never loses the
 * review: the form says which, and offers to retry them.
 *
 * Review requests: with `review-request` and `token` (from the link of a review request
 * e-mail) the form loads what the customer bought and shows each product (name, image)
 * with its own rating, title and text (no name or e-mail: the request knows the
 * customer), sent through the request's token route; each review is verified and linked
 * to its item. Products reviewed already say so; an expired, altered or withdrawn link
 * gets a clear message. `attributes` work here too, per product.
 *
 * @summary Write-a-review form.
 * @fires {CustomEvent<ReviewSubmitDetail>} review-submit - Cancelable; a valid draft is about to be sent (`detail.draft`, `detail.ratings`). Cancel it to send it yourself. (Not fired in review-request mode.)
 * @fires {CustomEvent<ReviewSubmittedDetail>} review-submitted - The server accepted a review (`detail.review`, `detail.published`), after its attribute ratings were stored (or failed). Fired once per product in review-request mode.
 * @csspart heading - The form heading.
 * @csspart form - The `<form>` (review-request mode: one per product).
 * @csspart item - One product of a review request.
 * @csspart thumbnail - A review request product's image.
 * @csspart error-summary - The list of problems shown after an invalid submit.
 * @csspart photo - One photo preview with its remove button.
 * @csspart submit - The submit button.
 * @csspart status - The message shown once the review is sent.
 * @cssprop --review-form-gap - Space between fields (default 1rem).
 * @cssprop --review-form-thumb-size - Size of a photo preview (default 5rem).
 */
export class ReviewForm extends LitElement {
  static override styles = styles;

  /** Reviews endpoint (base URL); defaults to the page's meta tag or origin. */
  @property() endpoint = '';
  /** Review namespace. */
  @property() namespace = 'stores';
  /** The product being reviewed; required to submit. */
  @property({ attribute: 'entity-id' }) entityId = '';
  /** Product name for the heading "Write a review for …". */
  @property({ attribute: 'product-name' }) productName = '';
  /** Level of the heading (1-6), to fit the page outline. */
  @property({ attribute: 'heading-level', type: Number }) headingLevel = 2;
  /** Disables every control. */
  @property({ type: Boolean, reflect: true, useDefault: true }) disabled = false;
  /**
   * Attributes to rate besides the stars (HTML attribute `attributes`), comma-separated,
   * each optionally with `:Label` ("quality, fit:How it fits"). (`attributes` is taken by the DOM.)
   */
  @property({ attribute: 'attributes' }) ratingAttributes = '';
  /** Makes every attribute rating required. */
  @property({ attribute: 'attributes-required', type: Boolean }) attributesRequired = false;
  /** Id of a review request: the form reviews its products (needs `token`). */
  @property({ attribute: 'review-request' }) reviewRequest = '';
  /** The token of the review request's link (`?token=`). */
  @property() token = '';

  @state() private _v: Values = EMPTY;
  @state() private _attrs: Stars = {};
  @state() private _outcome?: RatingsOutcome;
  @state() private _items: Item[] = [];
  @state() private _photos: Photo[] = [];
  @state() private _refused: Refused[] = [];
  @state() private _errors: Errors = {};
  @state() private _sending = false;
  @state() private _failure?: Failure;
  @state() private _published?: boolean;

  /** Upload of each photo, by key: a photo is uploaded once, however often the form is sent. */
  private _uploads = new Map<number, Promise<string>>();
  private _key = '';
  private _timer?: ReturnType<typeof setTimeout>;

  private _request = new Task(this, {
    args: () => [this.endpoint, this.reviewRequest, this.token] as const,
    task: async ([endpoint, id, token], { signal }) => {
      if (!id) return undefined;
      if (!token) throw new ReviewsApiError('No token', 403, 'TOKEN_INVALID');
      const form = await clientFor(resolveEndpoint(endpoint)).getReviewRequestForm(id, token, { signal });
      this._items = form.items.map((item) => ({ rating: 0, title: '', body: '', attrs: {}, errors: {}, state: item.reviewId ? 'already' : 'idle' }));
      return form;
    },
  });

  override connectedCallback() {
    super.connectedCallback();
    addEventListener('pagehide', this._flush);
    // Previews were revoked on disconnect.
    this._photos = this._photos.map((p) => (p.file ? { ...p, preview: URL.createObjectURL(p.file) } : p));
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('endpoint') || changed.has('namespace') || changed.has('entityId')) {
      // One draft per endpoint, namespace and product.
      const key = `storefront-reviews:draft:${this._client.endpoint}|${this.namespace}|${this.entityId}`;
      if (key !== this._key) {
        this._flush();
        this._key = key;
        this._load();
      }
    }
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    removeEventListener('pagehide', this._flush);
    this._flush();
    this._photos.forEach(revoke);
  }

  /**
   * Validates and sends the review, as the submit button does. In review-request mode:
   * sends every product's review that has a rating.
   */
  async submit(): Promise<void> {
    if (this.reviewRequest) {
      // Sent together; focus goes once, when all are done, to the first product's outcome.
      const focus = await Promise.all(this._items.map((item, i) => (item.state === 'idle' && item.rating ? this._submitItem(i, false) : undefined)));
      const first = focus.find(Boolean);
      if (first) this._focus(first);
      return;
    }
    if (this._sending || this.disabled) return;
    this._failure = undefined;
    if (this._show(this._check())) return;
    this._sending = true;
    // Saved now, not after the debounce: a failure or a reload right away keeps it.
    this._flush();
    let stage: Failure = 'upload';
    try {
      const ids = await Promise.all(this._photos.map((p) => p.id ?? this._upload(p)));
      stage = 'failed';
      const draft = this._draft(ids);
      const ratings = this._ratingsOf(this._attrs);
      const detail: ReviewSubmitDetail = { draft, ratings };
      if (!this.dispatchEvent(new CustomEvent('review-submit', { detail, bubbles: true, composed: true, cancelable: true }))) return;
      const review = await this._client.createReview(draft);
      // The review exists: from here nothing fails the submit (ratings report their own outcome).
      const outcome = await this._storeRatings(review, ratings);
      this._reset();
      this._published = isPublished(review);
      this._outcome = outcome;
      this._submitted(review);
    } catch (err) {
      const e = err instanceof ReviewsApiError ? err : undefined;
      if (stage === 'failed' && e?.fieldViolations.length) {
        this._show(toErrors(e.fieldViolations));
        return;
      }
      this._failure = stage === 'failed' && e?.code === 'DUPLICATE_REVIEW' ? 'duplicate' : stage;
    } finally {
      this._sending = false;
      this._flush();
    }
    await this.updateComplete;
    if (this._failure) {
      // Focus is lost when the focused submit button was disabled while sending.
      if (!this.shadowRoot!.activeElement) (this._el('#failure button') ?? this._el('#failure'))?.focus();
    } else this._el('#status')?.focus();
  }

  override render() {
    const level = intIn(this.headingLevel, 2, 1, 6);
    return html`<div id="heading" class="heading" part="heading" role="heading" aria-level=${level}>
        ${this.reviewRequest
          ? msg('Review your order')
          : this.productName
            ? msg(str`Write a review for ${this.productName}`)
            : msg('Write a review')}
      </div>
      ${this.reviewRequest
        ? this._renderRequest(Math.min(level + 1, 6))
        : this._published === undefined
          ? this._renderForm()
          : this._renderDone(this._published)}`;
  }

  private _renderDone(published: boolean) {
    return html`${this._renderThanks('status', published)}
      ${this._renderOutcome(this._outcome, () => this._retryRatings(() => this._outcome, (o) => (this._outcome = o), 'status'))}
      <button type="button" class="button" @click=${this._again}>${msg('Write another review')}</button>`;
  }

  private _renderThanks(id: string, published?: boolean) {
    return html`<div id=${id} class="status" part="status" role="status" tabindex="-1">
      ${published ? msg('Thanks! Your review is live.') : msg('Thanks! Your review will appear once it has been checked.')}
    </div>`;
  }

  /** The attribute ratings of a review that could not be stored, with a Retry button. */
  private _renderOutcome(o: RatingsOutcome | undefined, retry: () => void) {
    if (!o) return nothing;
    const names = formatList(o.failed.map((r) => this._label(r.attributeName)), localeOf(this));
    return html`<div class="alert" role="alert">
      <span>${msg(str`Your review is saved, but your rating for ${names} could not be saved.`)}</span>
      <button type="button" class="button" ?disabled=${o.busy} @click=${retry}>${o.busy ? msg('Sending…') : msg('Retry')}</button>
    </div>`;
  }

  /** A star rating per attribute, for the main form (`prefix` '') or a request's product. */
  private _renderAttributes(stars: Stars, errors: Errors, prefix: string) {
    return this._attributes().map(({ name, label }) => {
      const key = `attr-${name}`;
      const text = this.attributesRequired ? label : msg(str`${label} (optional)`);
      return html`<div class="field">
        <span class="label" aria-hidden="true">${text}</span>
        <rating-stars
          id="${prefix}${key}"
          editable
          name=${key}
          ?required=${this.attributesRequired}
          label=${text}
          .value=${stars[name] ?? 0}
          aria-invalid=${this._invalid(key, errors)}
          aria-describedby=${this._describedBy(key, [], errors, prefix)}
        ></rating-stars>
        ${this._renderError(key, errors, prefix)}
      </div>`;
    });
  }

  private _renderRequest(level: number) {
    const loading = () => html`<p class="hint" role="status">${msg('Loading your order…')}</p>`;
    return this._request.render({
      initial: loading,
      pending: loading,
      complete: (form) => (form ? this._renderItems(form, level) : nothing),
      error: (e) => {
        const problem = linkProblem(e);
        return html`<div class="alert" role="alert">
          <span>${problem ?? msg('Your order could not be loaded.')}</span>
          ${problem ? nothing : html`<button type="button" class="button" @click=${() => this._request.run()}>${msg('Retry')}</button>`}
        </div>`;
      },
    });
  }

  private _renderItems(form: ReviewRequestForm, level: number) {
    if (form.status !== 'SENT') return html`<div class="alert" role="alert">${linkProblem('REVIEW_REQUEST_NOT_SENT')}</div>`;
    // A product that left the catalog cannot be reviewed: it shows just its fallback name.
    const finished = this._items.every((s, i) => s.state === 'done' || s.state === 'already' || !form.items[i]?.product);
    return html`<ul class="items" role="list">
        ${form.items.map((item, i) => {
          const s = this._items[i];
          if (!s) return nothing;
          const id = `i${i}`;
          const name = item.product?.name ?? msg('A product no longer in the store');
          const img = safeMediaUrl(item.product?.imageUrl);
          return html`<li class="item" part="item">
            <div class="item-head">
              ${img ? html`<img class="thumb" part="thumbnail" src=${img} alt="" />` : nothing}
              <div id="${id}-name" class="item-name" role="heading" aria-level=${level}>${name}</div>
            </div>
            ${s.state === 'already'
              ? html`<p class="status">${msg('Thanks, already reviewed')}</p>`
              : s.state === 'done'
                ? html`${this._renderThanks(`${id}-status`, s.published)}
                  ${this._renderOutcome(s.outcome, () =>
                    this._retryRatings(() => this._items[i]?.outcome, (outcome) => this._patchItem(i, { outcome }), `${id}-status`),
                  )}`
                : item.product
                  ? this._renderItemForm(s, i, id)
                  : nothing}
          </li>`;
        })}
      </ul>
      ${finished ? html`<p id="done" class="status" role="status">${msg('Thank you! You have reviewed everything in this order.')}</p>` : nothing}`;
  }

  private _renderItemForm(s: Item, i: number, id: string) {
    const sending = s.state === 'sending';
    return html`<form
      part="form"
      novalidate
      aria-labelledby="${id}-name"
      aria-busy=${sending ? 'true' : 'false'}
      @submit=${(ev: Event) => {
        ev.preventDefault();
        void this._submitItem(i);
      }}
      @input=${(ev: Event) => this._onItemInput(i, ev)}
    >
      <fieldset ?disabled=${this.disabled}>
        ${this._renderContent(s, s.attrs, s.errors, `${id}-`)}
        ${s.failure ? html`<div id="${id}-failure" class="alert" role="alert" tabindex="-1">${s.failure}</div>` : nothing}
        <button type="submit" class="button primary" aria-describedby="${id}-name" ?disabled=${sending}>
          ${sending ? msg('Sending…') : msg('Submit review')}
        </button>
      </fieldset>
    </form>`;
  }

  /**
   * The stars, the attribute ratings, the title and the text: of the main form (`prefix`
   * '') or of a review request's product (`prefix` `i<n>-`).
   */
  private _renderContent(v: Pick<Values, 'rating' | 'title' | 'body'>, stars: Stars, errors: Errors, prefix: string) {
    const n = (x: number) => formatCount(x, localeOf(this));
    const len = v.body.length;
    const max = LIMITS.bodyMax;
    // The body has no maxlength: text pasted over the limit stays editable (counter + error instead).
    return html`<div class="field">
        <span class="label" aria-hidden="true">${msg('Rating')}</span>
        <rating-stars
          id="${prefix}rating"
          editable
          required
          name="rating"
          label=${msg('Rating')}
          .value=${v.rating}
          aria-invalid=${this._invalid('rating', errors)}
          aria-describedby=${this._describedBy('rating', [], errors, prefix)}
        ></rating-stars>
        ${this._renderError('rating', errors, prefix)}
      </div>
      ${this._renderAttributes(stars, errors, prefix)}
      <div class="field">
        <label for="${prefix}title">${msg('Title (optional)')}</label>
        <input
          id="${prefix}title"
          name="title"
          maxlength=${LIMITS.titleMax}
          autocomplete="off"
          .value=${v.title}
          aria-invalid=${this._invalid('title', errors)}
          aria-describedby=${this._describedBy('title', [], errors, prefix)}
        />
        ${this._renderError('title', errors, prefix)}
      </div>
      <div class="field">
        <label for="${prefix}body">${msg('Your review (optional)')}</label>
        <textarea
          id="${prefix}body"
          name="body"
          rows="6"
          .value=${v.body}
          aria-invalid=${this._invalid('body', errors)}
          aria-describedby=${this._describedBy('body', ['body-count'], errors, prefix)}
        ></textarea>
        <p id="${prefix}body-count" class="hint counter ${len > max ? 'over' : ''}" aria-live=${len >= max - 100 ? 'polite' : nothing}>
          <span aria-hidden="true">${n(len)} / ${n(max)}</span>
          <span class="visually-hidden">${msg(str`${n(len)} of ${n(max)} characters`)}</span>
        </p>
        ${this._renderError('body', errors, prefix)}
      </div>`;
  }

  private _renderForm() {
    const v = this._v;
    const n = (x: number) => formatCount(x, localeOf(this));
    const errors = this._ordered();
    return html`<form
      part="form"
      novalidate
      aria-labelledby="heading"
      aria-busy=${this._sending ? 'true' : 'false'}
      @submit=${this._onSubmit}
      @input=${this._onInput}
    >
      <fieldset ?disabled=${this.disabled}>
        ${errors.length
          ? html`<div class="alert summary" part="error-summary" role="alert">
              <p class="summary-title">${msg('There is a problem')}</p>
              <ul>
                ${errors.map(([key, text]) => html`<li>
                  ${this._fields().includes(key)
                    ? html`<button type="button" class="link" @click=${() => this._focus(key)}>${text}</button>`
                    : text}
                </li>`)}
              </ul>
            </div>`
          : nothing}
        ${this._renderContent(v, this._attrs, this._errors, '')}
        <div class="field">
          <label for="photos">${msg('Photos (optional)')}</label>
          <p id="photos-hint" class="hint">${msg(str`Up to ${n(LIMITS.mediaMax)} photos: JPEG, PNG, WebP or GIF, 5 MB each.`)}</p>
          <input
            id="photos"
            name="photos"
            type="file"
            accept="image/jpeg,image/png,image/webp,image/gif"
            multiple
            aria-invalid=${this._invalid('photos')}
            aria-describedby=${this._describedBy('photos', ['photos-hint', this._refused.length ? 'photos-refused' : ''])}
            @change=${this._onFiles}
          />
          <div id="photos-refused" class="error" role="alert">
            ${this._refused.length ? html`<ul>${this._refused.map((r) => html`<li>${refusal(r)}</li>`)}</ul>` : nothing}
          </div>
          ${this._renderError('photos')}
          ${this._photos.length
            ? html`<ul class="photos" aria-live="polite">
                ${this._photos.map((p, i) => html`<li part="photo" class="photo ${p.state}">
                  ${p.preview ? html`<img src=${p.preview} alt=${msg(str`Photo ${n(i + 1)}`)} />` : nothing}
                  <span class="photo-state">${p.state === 'uploading' ? msg('Uploading…') : p.state === 'failed' ? msg('Upload failed') : msg('Uploaded')}</span>
                  <button type="button" class="remove" aria-label=${msg(str`Remove photo ${n(i + 1)}`)} @click=${() => this._remove(i)}>
                    <span aria-hidden="true">✕</span>
                  </button>
                </li>`)}
              </ul>`
            : nothing}
        </div>
        <div class="field">
          <label for="name">${msg('Name')}</label>
          <input
            id="name"
            name="name"
            required
            autocomplete="name"
            maxlength=${LIMITS.nameMax}
            .value=${v.name}
            aria-invalid=${this._invalid('name')}
            aria-describedby=${this._describedBy('name')}
          />
          ${this._renderError('name')}
        </div>
        <div class="field">
          <label for="email">${msg('E-mail')}</label>
          <p id="email-hint" class="hint">${msg('Not shown with your review.')}</p>
          <input
            id="email"
            name="email"
            type="email"
            required
            autocomplete="email"
            .value=${v.email}
            aria-invalid=${this._invalid('email')}
            aria-describedby=${this._describedBy('email', ['email-hint'])}
          />
          ${this._renderError('email')}
        </div>
        ${this._failure ? this._renderFailure(this._failure) : nothing}
        <button type="submit" class="button primary" part="submit" ?disabled=${this._sending}>
          ${this._sending ? msg('Sending…') : msg('Submit review')}
        </button>
      </fieldset>
    </form>`;
  }

  private _renderFailure(failure: Failure) {
    return html`<div id="failure" class="alert" role="alert" tabindex="-1">
      <span>
        ${failure === 'duplicate'
          ? msg('You have already reviewed this product.')
          : failure === 'upload'
            ? msg('A photo could not be uploaded. Your draft is kept: try again, or remove the photo.')
            : msg('Your review could not be sent. Your draft is kept: try again.')}
      </span>
      ${failure === 'duplicate' ? nothing : html`<button type="button" class="button" @click=${() => this.submit()}>${msg('Retry')}</button>`}
    </div>`;
  }

  private _renderError(key: string, errors = this._errors, prefix = '') {
    const text = this._message(key, errors);
    return text ? html`<p id="${prefix}${key}-error" class="error">${text}</p>` : nothing;
  }

  // ---------------------------------------------------------------------------

  private get _client() {
    return clientFor(resolveEndpoint(this.endpoint));
  }

  private _el(selector: string) {
    return this.renderRoot.querySelector<HTMLElement>(selector);
  }

  private _invalid(key: string, errors = this._errors) {
    return errors[key] ? 'true' : nothing;
  }

  private _describedBy(key: string, hints: string[] = [], errors = this._errors, prefix = '') {
    return [...hints, errors[key] ? `${key}-error` : ''].filter(Boolean).map((id) => prefix + id).join(' ') || nothing;
  }

  /** The `attributes` to rate (parsed on each call: labels follow the locale). */
  private _attributes() {
    return parseAttributes(this.ratingAttributes);
  }

  private _label(name: string): string {
    return this._attributes().find((a) => a.name === name)?.label ?? attributeLabel(name);
  }

  /** The form's fields in page order: the stars, the attributes, then the rest. */
  /**
   * Fields in page order: errors are listed, and the first invalid one focused, in this
   * order. `item`: those of one review request product (no photos, name or e-mail).
   */
  private _fields(item = false): string[] {
    const fields = ['rating', ...this._attributes().map((a) => `attr-${a.name}`), 'title', 'body'];
    return item ? fields : [...fields, 'photos', 'name', 'email'];
  }

  /** Errors as [field, message], in page order; errors of fields the form has no control for last. */
  private _ordered(): [string, string][] {
    const keys = Object.keys(this._errors);
    const fields = this._fields();
    const rank = (k: string) => fields.indexOf(k) >>> 0;
    return keys.sort((a, b) => rank(a) - rank(b)).map((k) => [k, this._message(k)!]);
  }

  /** A visitor-friendly message for a field's violation (from zod here, or from the server). */
  private _message(key: string, errors = this._errors): string | undefined {
    const v = errors[key];
    if (!v) return undefined;
    const n = (x: number) => formatCount(x, localeOf(this));
    if (key.startsWith('attr-')) return msg(str`Rate ${this._label(key.slice(5))}.`);
    switch (key) {
      case 'rating':
        return msg('Choose a rating.');
      case 'title':
        return msg(str`Keep the title under ${n(LIMITS.titleMax)} characters.`);
      case 'body':
        return msg(str`Keep the review under ${n(LIMITS.bodyMax)} characters.`);
      case 'name':
        return this._v.name.trim() ? msg(str`Keep your name under ${n(LIMITS.nameMax)} characters.`) : msg('Enter your name.');
      case 'email':
        return this._v.email.trim() ? msg('Enter a valid e-mail address.') : msg('Enter your e-mail address.');
      case 'photos': {
        if (this._photos.length > LIMITS.mediaMax) return msg(str`Add at most ${n(LIMITS.mediaMax)} photos.`);
        const i = /media\D*(\d+)/.exec(v.field)?.[1];
        return i ? msg(str`Photo ${n(Number(i) + 1)} could not be attached. Remove it and add it again.`) : msg('The photos could not be attached.');
      }
      default:
        return `${v.field} ${v.description}`;
    }
  }

  private _draft(mediaIds: readonly string[]): ReviewDraft {
    const { rating, title, body, name, email } = this._v;
    return {
      namespace: this.namespace,
      entityId: this.entityId,
      name: name.trim(),
      email: email.trim(),
      content: { rating, title: title.trim() || null, body: body.trim() || null, media: mediaIds.map((id) => ({ image: { id } })) },
    };
  }

  /** Current violations of the draft, checked with the server's schema. */
  private _check(): Errors {
    const r = safeParse(ReviewDraftSchema, this._draft(this._photos.map((p) => p.id ?? 'pending')));
    return this._requireAttributes(this._attrs, r.success ? {} : toErrors(toFieldViolations(r.error.issues)));
  }

  /** Adds an error for each attribute not rated, when they are required. */
  private _requireAttributes(stars: Stars, errors: Errors): Errors {
    if (this.attributesRequired) {
      for (const { name } of this._attributes()) {
        if (!stars[name]) errors[`attr-${name}`] = { field: `attr-${name}`, description: 'is required' };
      }
    }
    return errors;
  }

  /** The given attribute ratings to store: stars x 20 (0-100), attributes in page order. */
  private _ratingsOf(stars: Stars): AttributeRating[] {
    return this._attributes().flatMap(({ name }) => (stars[name] ? [{ attributeName: name, value: stars[name] * 20 }] : []));
  }

  /**
   * Stores a review's attribute ratings through the Ratings API, linked to the review.
   * Never throws: returns what failed (to retry), or undefined when all are stored. A
   * rating this visitor had given before (409: one per visitor, attribute and product, e.g.
   * a retry whose first answer was lost) counts as stored.
   */
  private async _storeRatings(review: Review, ratings: readonly AttributeRating[]): Promise<RatingsOutcome | undefined> {
    const failed = new Set<AttributeRating>();
    await Promise.all(
      ratings.map((r) =>
        this._client
          .createRating({ ...r, group: review.namespace, entityId: review.entityId, visitorId: visitorId(), relatedEntityIds: [review.id] })
          .catch((err: unknown) => {
            if (!(err instanceof ReviewsApiError && err.code === 'RATING_ALREADY_EXISTS')) failed.add(r);
          }),
      ),
    );
    return failed.size ? { review, failed: ratings.filter((r) => failed.has(r)) } : undefined;
  }

  /** Retries the ratings that failed; focuses the thanks (`focusId`) once all are stored. */
  private async _retryRatings(get: () => RatingsOutcome | undefined, set: (o: RatingsOutcome | undefined) => void, focusId: string) {
    const o = get();
    if (!o || o.busy) return;
    set({ ...o, busy: true });
    const again = await this._storeRatings(o.review, o.failed);
    set(again);
    await this.updateComplete;
    this._el(`#${again ? `${focusId} ~ .alert button` : focusId}`)?.focus();
  }

  private _submitted(review: Review) {
    const done: ReviewSubmittedDetail = { review, published: isPublished(review) };
    this.dispatchEvent(new CustomEvent('review-submitted', { detail: done, bubbles: true, composed: true }));
  }

  private _patchItem(i: number, patch: Partial<Item>) {
    this._items = this._items.map((s, j) => (j === i ? { ...s, ...patch } : s));
  }

  /** A request product's current violations, checked with the server's content schema. */
  private _checkItem(s: Item): Errors {
    const r = safeParse(ReviewContentInputSchema, itemContent(s));
    return this._requireAttributes(s.attrs, r.success ? {} : toErrors(toFieldViolations(r.error.issues)));
  }

  /**
   * Sends the review of a request's product `i` through the request's token, then focuses
   * its outcome (the first invalid field, the failure or the thanks) unless `focus` is
   * false; returns that element's id.
   */
  private async _submitItem(i: number, focus = true): Promise<string | undefined> {
    const form = this._request.value;
    const s = this._items[i];
    const item = form?.items[i];
    if (!form || !s || !item || s.state !== 'idle' || this.disabled) return;
    const errors = this._checkItem(s);
    const fields = this._fields(true);
    const first = fields.find((k) => errors[k]);
    this._patchItem(i, { errors, failure: undefined, state: first ? 'idle' : 'sending' });
    let target = first ? `i${i}-${first}` : `i${i}-status`;
    if (!first) {
      try {
        const review = await this._client.submitRequestReview(form.id, { token: this.token, catalogItemId: item.catalogItemId, content: itemContent(s) });
        const outcome = await this._storeRatings(review, this._ratingsOf(s.attrs));
        this._patchItem(i, { state: 'done', published: isPublished(review), outcome });
        this._submitted(review);
      } catch (err) {
        const e = err instanceof ReviewsApiError ? err : undefined;
        if (e?.code === 'ITEM_ALREADY_REVIEWED') this._patchItem(i, { state: 'already' });
        else if (e?.fieldViolations.length) {
          const fromServer = toErrors(e.fieldViolations);
          target = `i${i}-${fields.find((k) => fromServer[k]) ?? 'rating'}`;
          this._patchItem(i, { state: 'idle', errors: fromServer });
        } else {
          target = `i${i}-failure`;
          this._patchItem(i, { state: 'idle', failure: linkProblem(e) ?? msg('Your review could not be sent. Please try again.') });
        }
      }
    }
    await this.updateComplete;
    if (focus) this._focus(target);
    return target;
  }

  /** Shows errors; when there are any, focuses the first invalid field and returns true. */
  private _show(errors: Errors): boolean {
    this._errors = errors;
    const first = this._ordered()[0]?.[0];
    if (first) void this.updateComplete.then(() => this._focus(first));
    return Boolean(first);
  }

  /** Once a field shows an error, it is checked again as the visitor corrects it. */
  private _recheck(key: string) {
    if (!this._errors[key]) return;
    const { [key]: _old, ...rest } = this._errors;
    const now = this._check()[key];
    this._errors = now ? { ...rest, [key]: now } : rest;
  }

  private _focus(key: string) {
    this._el(`#${key}`)?.focus();
  }

  private _upload(p: Photo): Promise<string> {
    let task = this._uploads.get(p.key);
    if (!task) {
      this._patch(p.key, { state: 'uploading' });
      task = this._client.uploadImage(p.file!, p.file!.name).then(
        (img) => {
          this._patch(p.key, { id: img.id, url: img.url, state: 'done' });
          this._queueSave();
          return img.id;
        },
        (err: unknown) => {
          this._uploads.delete(p.key);
          this._patch(p.key, { state: 'failed' });
          throw err;
        },
      );
      this._uploads.set(p.key, task);
    }
    return task;
  }

  private _patch(key: number, patch: Partial<Photo>) {
    this._photos = this._photos.map((p) => (p.key === key ? { ...p, ...patch } : p));
  }

  private async _onFiles(e: Event) {
    const input = e.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    const refused: Refused[] = [];
    const added: Photo[] = [];
    for (const file of files) {
      const { name } = file;
      const why =
        this._photos.length + added.length >= LIMITS.mediaMax
          ? 'count'
          : [...this._photos, ...added].some((p) => p.file && sameFile(p.file, file))
            ? 'again'
            : file.size > MAX_BYTES
              ? 'size'
              : (await isImage(file))
                ? undefined
                : 'type';
      if (why) refused.push({ name, why });
      else added.push({ key: ++photoKeys, file, preview: URL.createObjectURL(file), state: 'uploading' });
    }
    this._refused = refused;
    this._photos = [...this._photos, ...added];
    this._recheck('photos');
    for (const p of added) this._upload(p).catch(() => {});
  }

  private async _remove(i: number) {
    const photo = this._photos[i];
    if (!photo) return;
    revoke(photo);
    this._uploads.delete(photo.key);
    this._photos = this._photos.filter((p) => p !== photo);
    // A server error about a photo is resolved by removing it.
    const { photos: _gone, ...rest } = this._errors;
    this._errors = rest;
    this._queueSave();
    await this.updateComplete;
    (this.renderRoot.querySelectorAll<HTMLElement>('.remove')[i] ?? this._el('#photos'))?.focus();
  }

  private _onSubmit(e: Event) {
    e.preventDefault();
    void this.submit();
  }

  private _onInput(e: Event) {
    const t = e.target as HTMLInputElement;
    const key = t.name;
    if (key.startsWith('attr-')) this._attrs = { ...this._attrs, [key.slice(5)]: Number(t.value) || 0 };
    else if (key in EMPTY) this._v = { ...this._v, [key]: key === 'rating' ? Number(t.value) || 0 : t.value };
    else return;
    this._recheck(key);
    this._queueSave();
  }

  private _onItemInput(i: number, e: Event) {
    const t = e.target as HTMLInputElement;
    const key = t.name;
    const s = this._items[i]!;
    const next: Item = key.startsWith('attr-')
      ? { ...s, attrs: { ...s.attrs, [key.slice(5)]: Number(t.value) || 0 } }
      : { ...s, [key]: key === 'rating' ? Number(t.value) || 0 : t.value };
    // Once a field shows an error, it is checked again as the customer corrects it.
    if (s.errors[key]) {
      const { [key]: _old, ...rest } = s.errors;
      const now = this._checkItem(next)[key];
      next.errors = now ? { ...rest, [key]: now } : rest;
    }
    this._patchItem(i, next);
  }

  private async _again() {
    this._published = undefined;
    this._outcome = undefined;
    await this.updateComplete;
    this._focus('rating');
  }

  private _reset() {
    this._photos.forEach(revoke);
    this._uploads.clear();
    this._photos = [];
    this._v = EMPTY;
    this._attrs = {};
    this._errors = {};
    this._refused = [];
    this._failure = undefined;
    clearTimeout(this._timer);
    this._timer = undefined;
    store(this._key, null);
  }

  // Draft persistence: saved shortly after each change, and at once when the page or
  // the element goes away; uploaded photos are kept by id, files not yet uploaded are not.

  private _queueSave() {
    clearTimeout(this._timer);
    this._timer = setTimeout(this._flush, 300);
  }

  private _flush = () => {
    if (this._timer === undefined) return;
    clearTimeout(this._timer);
    this._timer = undefined;
    const photos = this._photos.flatMap((p) => (p.id ? [{ id: p.id, url: p.url }] : []));
    const v = this._v;
    const attrs = this._attrs;
    const empty = !v.rating && !v.title && !v.body && !v.name && !v.email && !photos.length && !Object.values(attrs).some(Boolean);
    store(this._key, empty ? null : JSON.stringify({ ...v, attrs, photos }));
  };

  private _load() {
    let d: Record<string, unknown> = {};
    try {
      d = Object(JSON.parse(localStorage.getItem(this._key) ?? '{}'));
    } catch {
      // Storage unavailable or the saved draft unreadable: start empty.
    }
    const s = (k: keyof Values) => (typeof d[k] === 'string' ? (d[k] as string) : '');
    const rating = Number(d.rating);
    this._v = { rating: rating >= 1 && rating <= 5 ? Math.round(rating) : 0, title: s('title'), body: s('body'), name: s('name'), email: s('email') };
    this._attrs = Object.fromEntries(
      Object.entries(Object(d.attrs) as Stars).filter(([, n]) => Number.isInteger(n) && n >= 1 && n <= 5),
    );
    this._photos.forEach(revoke);
    this._uploads.clear();
    this._photos = (Array.isArray(d.photos) ? (d.photos as { id?: unknown; url?: unknown }[]) : [])
      .filter((p) => typeof p?.id === 'string')
      .slice(0, LIMITS.mediaMax)
      .map((p) => ({ key: ++photoKeys, id: p.id as string, url: String(p.url ?? ''), preview: safeMediaUrl(p.url) ?? '', state: 'done' }));
    this._errors = {};
    this._refused = [];
    this._failure = undefined;
    this._published = undefined;
    this._outcome = undefined;
  }
}

function isPublished(review: Review): boolean {
  return review.moderation?.moderationStatus === 'APPROVED';
}

function itemContent(s: Item) {
  return { rating: s.rating, title: s.title.trim() || null, body: s.body.trim() || null };
}

/**
 * The customer-readable reason a review request link cannot be used (from the server's
 * error code, or a code), or undefined when trying again may help.
 */
function linkProblem(e: unknown): string | undefined {
  switch (e instanceof ReviewsApiError ? e.code : e) {
    case 'TOKEN_EXPIRED':
      return msg('This review link has expired. Please ask the store for a new one.');
    case 'TOKEN_INVALID':
      return msg('This review link is not valid. Please open the link exactly as it appears in your e-mail.');
    case 'REVIEW_REQUEST_CANCELED':
      return msg('The store has withdrawn this review request.');
    case 'NOT_FOUND':
      return msg('This review request no longer exists.');
    case 'REVIEW_REQUEST_NOT_SENT':
      return msg('This review request is not open for reviews yet.');
  }
  return undefined;
}

/** Field key of a violation path: `content.body` → body, `review.content.media[0].image.id` → photos. */
function toErrors(violations: readonly FieldViolation[]): Errors {
  const out: Errors = {};
  for (const v of violations) {
    const key = v.field.replace(/^(review\.)?(content\.)?/, '').split(/[.[]/)[0]!;
    out[key === 'media' ? 'photos' : key] ??= v;
  }
  return out;
}

function refusal({ name, why }: Refused): string {
  switch (why) {
    case 'count':
      return msg(str`${name} was not added: you can add up to ${LIMITS.mediaMax} photos.`);
    case 'again':
      return msg(str`${name} is already added.`);
    case 'size':
      return msg(str`${name} is larger than 5 MB.`);
    default:
      return msg(str`${name} is not a JPEG, PNG, WebP or GIF image.`);
  }
}

/** The file's first bytes are a JPEG, PNG, GIF or WebP signature (as the server checks). */
async function isImage(file: Blob): Promise<boolean> {
  return imageTypeOf(new Uint8Array(await file.slice(0, IMAGE_SIGNATURE_BYTES).arrayBuffer())) !== null;
}

function sameFile(a: File, b: File): boolean {
  return a.name === b.name && a.size === b.size && a.lastModified === b.lastModified;
}

function revoke(p: Photo) {
  if (p.file) URL.revokeObjectURL(p.preview);
}

function store(key: string, value: string | null) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Storage unavailable (privacy mode, sandboxed frame, full): the form works without it.
  }
}

define('review-form', ReviewForm);

declare global {
  interface HTMLElementTagNameMap {
    'review-form': ReviewForm;
  }
}
