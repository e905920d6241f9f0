import { msg, str } from '@lit/localize';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { safeParse } from 'zod/mini';
import { ReviewsApiError, clientFor } from '../../api/client.js';
import { LIMITS, ReviewDraftSchema, toFieldViolations, type FieldViolation, type ReviewDraft } from '../../api/schema.js';
import { intIn } from '../../shared/attributes.js';
import { define } from '../../shared/define.js';
import { resolveEndpoint } from '../../shared/endpoint.js';
import type { ReviewSubmitDetail, ReviewSubmittedDetail } from '../../shared/events.js';
import { formatCount, localeOf } from '../../shared/format.js';
import { safeMediaUrl } from '../../shared/safe-url.js';
import '../rating-stars/rating-stars.js';
import { styles } from './review-form.styles.js';

/** The server refuses bigger uploads (src/server/media.ts); checking first saves the upload. */
const MAX_BYTES = 5 * 1024 * 1024;
/** Fields in page order: errors are listed, and the first invalid one focused, in this order. */
const FIELDS = ['rating', 'title', 'body', 'photos', 'name', 'email'] as const;

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

const EMPTY: Values = { rating: 0, title: '', body: '', name: '', email: '' };
let photoKeys = 0;

/**
 * A form to write a product review: star rating, title, text, photos, name and e-mail.
 * Validates with the same schema as the server, keeps the draft in localStorage until
 * the server accepts it, and submits through Create Review And Contact.
 *
 * @summary Write-a-review form.
 * @fires {CustomEvent<ReviewSubmitDetail>} review-submit - Cancelable; a valid draft is about to be sent (`detail.draft`). Cancel it to send it yourself.
 * @fires {CustomEvent<ReviewSubmittedDetail>} review-submitted - The server accepted the review (`detail.review`, `detail.published`).
 * @csspart heading - The form heading.
 * @csspart form - The `<form>`.
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

  @state() private _v: Values = EMPTY;
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

  /** Validates and sends the review, as the submit button does. */
  async submit(): Promise<void> {
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
      const detail: ReviewSubmitDetail = { draft };
      if (!this.dispatchEvent(new CustomEvent('review-submit', { detail, bubbles: true, composed: true, cancelable: true }))) return;
      const review = await this._client.createReview(draft);
      const published = review.moderation?.moderationStatus === 'APPROVED';
      this._reset();
      this._published = published;
      const done: ReviewSubmittedDetail = { review, published };
      this.dispatchEvent(new CustomEvent('review-submitted', { detail: done, bubbles: true, composed: true }));
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
        ${this.productName ? msg(str`Write a review for ${this.productName}`) : msg('Write a review')}
      </div>
      ${this._published === undefined ? this._renderForm() : this._renderDone(this._published)}`;
  }

  private _renderDone(published: boolean) {
    return html`<div id="status" class="status" part="status" role="status" tabindex="-1">
        ${published ? msg('Thanks! Your review is live.') : msg('Thanks! Your review will appear once it has been checked.')}
      </div>
      <button type="button" class="button" @click=${this._again}>${msg('Write another review')}</button>`;
  }

  private _renderForm() {
    const v = this._v;
    const locale = localeOf(this);
    const n = (x: number) => formatCount(x, locale);
    const len = v.body.length;
    const max = LIMITS.bodyMax;
    const errors = this._ordered();
    // The body has no maxlength: text pasted over the limit stays editable (counter + error instead).
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
                  ${(FIELDS as readonly string[]).includes(key)
                    ? html`<button type="button" class="link" @click=${() => this._focus(key)}>${text}</button>`
                    : text}
                </li>`)}
              </ul>
            </div>`
          : nothing}
        <div class="field">
          <span class="label" aria-hidden="true">${msg('Rating')}</span>
          <rating-stars
            id="rating"
            editable
            required
            name="rating"
            label=${msg('Rating')}
            .value=${v.rating}
            aria-invalid=${this._invalid('rating')}
            aria-describedby=${this._describedBy('rating')}
          ></rating-stars>
          ${this._renderError('rating')}
        </div>
        <div class="field">
          <label for="title">${msg('Title (optional)')}</label>
          <input
            id="title"
            name="title"
            maxlength=${LIMITS.titleMax}
            autocomplete="off"
            .value=${v.title}
            aria-invalid=${this._invalid('title')}
            aria-describedby=${this._describedBy('title')}
          />
          ${this._renderError('title')}
        </div>
        <div class="field">
          <label for="body">${msg('Your review (optional)')}</label>
          <textarea
            id="body"
            name="body"
            rows="6"
            .value=${v.body}
            aria-invalid=${this._invalid('body')}
            aria-describedby=${this._describedBy('body', 'body-count')}
          ></textarea>
          <p id="body-count" class="hint counter ${len > max ? 'over' : ''}" aria-live=${len >= max - 100 ? 'polite' : nothing}>
            <span aria-hidden="true">${n(len)} / ${n(max)}</span>
            <span class="visually-hidden">${msg(str`${n(len)} of ${n(max)} characters`)}</span>
          </p>
          ${this._renderError('body')}
        </div>
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
            aria-describedby=${this._describedBy('photos', 'photos-hint', this._refused.length ? 'photos-refused' : '')}
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
            aria-describedby=${this._describedBy('email', 'email-hint')}
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

  private _renderError(key: string) {
    const text = this._message(key);
    return text ? html`<p id="${key}-error" class="error">${text}</p>` : nothing;
  }

  // ---------------------------------------------------------------------------

  private get _client() {
    return clientFor(resolveEndpoint(this.endpoint));
  }

  private _el(selector: string) {
    return this.renderRoot.querySelector<HTMLElement>(selector);
  }

  private _invalid(key: string) {
    return this._errors[key] ? 'true' : nothing;
  }

  private _describedBy(key: string, ...hints: string[]) {
    return [...hints, this._errors[key] ? `${key}-error` : ''].filter(Boolean).join(' ') || nothing;
  }

  /** Errors as [field, message], in page order; errors of fields the form has no control for last. */
  private _ordered(): [string, string][] {
    const keys = Object.keys(this._errors);
    const rank = (k: string) => (FIELDS as readonly string[]).indexOf(k) >>> 0;
    return keys.sort((a, b) => rank(a) - rank(b)).map((k) => [k, this._message(k)!]);
  }

  /** A visitor-friendly message for a field's violation (from zod here, or from the server). */
  private _message(key: string): string | undefined {
    const v = this._errors[key];
    if (!v) return undefined;
    const n = (x: number) => formatCount(x, localeOf(this));
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
    return r.success ? {} : toErrors(toFieldViolations(r.error.issues));
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
    const key = t.name as keyof Values;
    if (!(key in EMPTY)) return;
    this._v = { ...this._v, [key]: key === 'rating' ? Number(t.value) || 0 : t.value };
    this._recheck(key);
    this._queueSave();
  }

  private async _again() {
    this._published = undefined;
    await this.updateComplete;
    this._focus('rating');
  }

  private _reset() {
    this._photos.forEach(revoke);
    this._uploads.clear();
    this._photos = [];
    this._v = EMPTY;
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
    const empty = !v.rating && !v.title && !v.body && !v.name && !v.email && !photos.length;
    store(this._key, empty ? null : JSON.stringify({ ...v, photos }));
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
  }
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
  const b = new Uint8Array(await file.slice(0, 12).arrayBuffer());
  const at = (i: number, ...sig: number[]) => sig.every((x, j) => b[i + j] === x);
  return (
    at(0, 0xff, 0xd8, 0xff) ||
    at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a) ||
    (at(0, 0x47, 0x49, 0x46, 0x38) && (at(4, 0x37, 0x61) || at(4, 0x39, 0x61))) ||
    (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50))
  );
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
