import { msg, str } from '@lit/localize';
import { LitElement, html, nothing, svg, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { coreFor } from '../../api/core.js';
import type { EntityAverage } from '../../api/schema.js';
import { define } from '../../shared/define.js';
import { resolveEndpoint } from '../../shared/endpoint.js';
import { directionOf, formatCount, formatRating, localeOf, pluralOf } from '../../shared/format.js';
import { styles } from './rating-stars.styles.js';

const STAR_PATH =
  'M12 2.5l2.94 5.96 6.58.96-4.76 4.64 1.12 6.55L12 17.52l-5.88 3.09 1.12-6.55L2.48 9.42l6.58-.96z';

/**
 * Star rating: a read-only display (fractional, one accessible label) or, with
 * `editable`, a form-associated input built as a radio group.
 *
 * @summary Star rating display and input.
 * @attr {string} aria-describedby - (editable) Ids of elements in the page (or the enclosing shadow root) that describe the input, such as a form's error text: every star radio is described by them.
 * @fires {Event} input - (editable) The visitor changed the value (bubbles, composed).
 * @fires {Event} change - (editable) The visitor committed a value (bubbles).
 * @csspart stars - The row of stars.
 * @csspart star - One star (input mode: the clickable label).
 * @csspart count - The review count "(123)".
 * @cssprop --rating-stars-size - Size of one star (default 1.25rem).
 * @cssprop --rating-stars-color-active - Filled star colour (default the theme's star colour).
 * @cssprop --rating-stars-color - Empty star outline colour.
 * @cssprop --rating-stars-gap - Space between stars.
 */
export class RatingStars extends LitElement {
  static override styles = styles;
  static formAssociated = true;
  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: true };

  /** The rating, 0 to `max`; shown to one decimal. Not reflected (form reset reads the attribute). */
  @property({ type: Number }) value = 0;
  /** Number of stars. */
  @property({ type: Number }) max = 5;
  /** Review count shown as "(123)" after the stars; omitted when not set. */
  @property({ type: Number }) count?: number;
  /** Turns the display into a form input (radio group). */
  @property({ type: Boolean, reflect: true }) editable = false;
  /** Form field name (input mode). */
  @property({ reflect: true }) name = '';
  /** Input mode: a value is required for the form to submit. */
  @property({ type: Boolean }) required = false;
  /** Input mode: not interactive and not submitted. */
  @property({ type: Boolean, reflect: true }) disabled = false;
  /** Accessible name of the input's group (input mode). */
  @property() label = '';
  /** Reviews endpoint (base URL); defaults to the page's meta tag or origin. */
  @property() endpoint = '';
  /** Review namespace (Ratings group). */
  @property() namespace = 'stores';
  /** Load this entity's average and count from the endpoint (display mode). */
  @property({ attribute: 'entity-id' }) entityId = '';

  @state() private _hover = 0;
  @state() private _formDisabled = false;
  /** The entity's average; the previous one stays while the next loads. */
  @state() private _average?: EntityAverage;
  @state() private _status?: 'loading' | 'failed';

  private readonly _internals: ElementInternals = this.attachInternals();
  /** The average request in flight. (Not a Task: @lit/task would take 0.6 KB of the 8 KB budget.) */
  private _request?: AbortController;

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('endpoint') || changed.has('namespace') || changed.has('entityId') || changed.has('editable')) {
      void this._load();
    }
    if (changed.has('value') || changed.has('required') || changed.has('editable') || changed.has('max')) {
      if (this.editable) {
        const v = this._inputValue;
        this._internals.setFormValue(v > 0 ? String(v) : null);
        const missing = this.required && v === 0;
        this._internals.setValidity(
          missing ? { valueMissing: true } : {},
          missing ? msg('Choose a rating.') : '',
          this.renderRoot?.querySelector?.('input') ?? undefined,
        );
      } else {
        this._internals.setFormValue(null);
        this._internals.setValidity({});
      }
    }
  }

  static override get observedAttributes() {
    return [...super.observedAttributes, 'aria-describedby'];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null) {
    super.attributeChangedCallback(name, old, value);
    if (name === 'aria-describedby') this.requestUpdate();
  }

  override updated() {
    if (this.editable) {
      // An id does not reach into this shadow root, so the host's `aria-describedby` (a
      // form's error text or hint, in the host's tree) is handed to each radio as element
      // references, which may point into an enclosing tree; with the "of 5" summary.
      const root = this.getRootNode() as Document | ShadowRoot;
      const described = [this.renderRoot.querySelector('#summary'), ...(this.getAttribute('aria-describedby') ?? '').split(/\s+/).map((id) => id && root.getElementById(id))];
      for (const input of this.renderRoot.querySelectorAll('input')) {
        (input as HTMLInputElement & { ariaDescribedByElements: Element[] }).ariaDescribedByElements = described.filter((e): e is Element => !!e);
      }
    }
    // The validity anchor (first radio) exists only after the first input-mode render.
    if (this.editable && this.required && this._inputValue === 0 && !this._internals.validity.valid) {
      const anchor = this.renderRoot.querySelector('input');
      if (anchor) this._internals.setValidity({ valueMissing: true }, msg('Choose a rating.'), anchor);
    }
  }

  /** Form integration: reset restores the `value` attribute. */
  formResetCallback() {
    this.value = Number(this.getAttribute('value') ?? 0) || 0;
  }

  formStateRestoreCallback(state: string | null) {
    this.value = Number(state ?? 0) || 0;
  }

  formDisabledCallback(disabled: boolean) {
    this._formDisabled = disabled;
  }

  /** The owning form, as for native inputs. */
  get form() {
    return this._internals.form;
  }

  /** The input's validity (input mode), as for native inputs. */
  get validity() {
    return this._internals.validity;
  }

  /** Why the input is invalid (input mode), as for native inputs; empty when valid. */
  get validationMessage() {
    return this._internals.validationMessage;
  }

  /** True when the input is valid; otherwise fires `invalid` on the element and returns false. */
  checkValidity() {
    return this._internals.checkValidity();
  }

  /** Like `checkValidity()`, and shows the browser's message when invalid. */
  reportValidity() {
    return this._internals.reportValidity();
  }

  override render() {
    return this.editable ? this._renderInput() : this._renderDisplay();
  }

  private _renderDisplay() {
    const locale = localeOf(this);
    const loaded = this._average;
    const loading = this._status === 'loading';
    const failed = this._status === 'failed';
    const value = clamp(round1(loaded ? loaded.average : this.value), this.max);
    const count = loaded ? loaded.total : this.count;
    const rating = formatRating(value, locale);
    const max = formatCount(this._max, locale);
    let label: string;
    if (loading) label = msg('Loading rating');
    else if (failed) label = msg('Rating unavailable');
    else if (loaded && loaded.total === 0) label = msg('No reviews yet');
    else if (count !== undefined && count !== null) {
      const n = formatCount(count, locale);
      label =
        pluralOf(count, locale) === 'one'
          ? msg(str`Rated ${rating} out of ${max}, ${n} review`)
          : msg(str`Rated ${rating} out of ${max}, ${n} reviews`);
    } else label = msg(str`Rated ${rating} out of ${max}`);
    const fill = `${(value / this._max) * 100}%`;
    return html`<span class="display" role="img" aria-label=${label} aria-busy=${loading ? 'true' : nothing}>
        <span class="stars" part="stars" aria-hidden="true">
          <span class="row empty">${this._stars()}</span>
          <span class="row filled" style="inline-size:${fill}">${this._stars()}</span>
        </span>
        ${count !== undefined && count !== null
          ? html`<span class="count" part="count" aria-hidden="true">(${formatCount(count, locale)})</span>`
          : nothing}
      </span>
      ${failed
        ? html`<button class="retry" type="button" @click=${this._load}>${msg('Retry')}</button>`
        : nothing}`;
  }

  private _renderInput() {
    const locale = localeOf(this);
    const current = this._inputValue;
    const shown = this._hover || current;
    const disabled = this.disabled || this._formDisabled;
    return html`<fieldset
      class="input"
      ?disabled=${disabled}
      @keydown=${this._onKeydown}
      @input=${stop}
      @change=${this._onChange}
      @pointerleave=${() => (this._hover = 0)}
    >
      <legend class="visually-hidden">${this.label || msg('Rating')}</legend>
      <span class="stars" part="stars">
        ${Array.from({ length: this._max }, (_, i) => {
          const n = i + 1;
          const text =
            pluralOf(n, locale) === 'one'
              ? msg(str`${formatCount(n, locale)} star`)
              : msg(str`${formatCount(n, locale)} stars`);
          return html`<label
            part="star"
            class="star-label ${n <= shown ? 'on' : ''} ${this._hover ? 'preview' : ''}"
            @pointerenter=${() => !disabled && (this._hover = n)}
          >
            <input
              type="radio"
              name="stars"
              .value=${String(n)}
              .checked=${n === current}
              ?required=${this.required}
              aria-describedby="summary"
            />
            <span class="visually-hidden">${text}</span>
            <svg viewBox="0 0 24 24" aria-hidden="true" class="star"><path d=${STAR_PATH}></path></svg>
          </label>`;
        })}
      </span>
      <span id="summary" class="visually-hidden">${msg(str`of ${formatCount(this._max, locale)}`)}</span>
    </fieldset>`;
  }

  /** Loads the entity's average (display mode); a newer load supersedes this one. */
  private _load = async () => {
    this._request?.abort();
    this._request = undefined;
    if (!this.entityId || this.editable) {
      this._average = this._status = undefined;
      return;
    }
    const request = (this._request = new AbortController());
    this._status = 'loading';
    try {
      const average = await coreFor(resolveEndpoint(this.endpoint)).getAverage(this.namespace, this.entityId, { signal: request.signal });
      if (request !== this._request) return;
      this._average = average;
      this._status = undefined;
    } catch {
      if (request === this._request) this._status = 'failed';
    }
  };

  private _stars() {
    return Array.from(
      { length: this._max },
      () => svg`<svg viewBox="0 0 24 24" class="star"><path d=${STAR_PATH}></path></svg>`,
    );
  }

  private get _max(): number {
    return Number.isFinite(this.max) && this.max >= 1 ? Math.min(Math.floor(this.max), 10) : 5;
  }

  /** Input mode uses whole stars. */
  private get _inputValue(): number {
    return clamp(Math.round(Number(this.value) || 0), this._max);
  }

  private _onChange(e: Event) {
    e.stopPropagation();
    const input = e.target as HTMLInputElement;
    this._commit(Number(input.value));
  }

  private _onKeydown(e: KeyboardEvent) {
    if (this.disabled || this._formDisabled) return;
    const rtl = directionOf(this) === 'rtl';
    const current = this._inputValue;
    let next: number | undefined;
    switch (e.key) {
      case 'ArrowRight':
        next = current + (rtl ? -1 : 1);
        break;
      case 'ArrowLeft':
        next = current + (rtl ? 1 : -1);
        break;
      case 'ArrowUp':
        next = current + 1;
        break;
      case 'ArrowDown':
        next = current - 1;
        break;
      case 'Home':
        next = 1;
        break;
      case 'End':
        next = this._max;
        break;
      default:
        if (/^[1-9]$/.test(e.key) && Number(e.key) <= this._max) next = Number(e.key);
    }
    if (next === undefined) return;
    e.preventDefault();
    next = Math.min(Math.max(next, 1), this._max);
    this._commit(next);
    void this.updateComplete.then(() => {
      this.renderRoot.querySelectorAll('input')[next! - 1]?.focus();
    });
  }

  private _commit(next: number) {
    if (next === this._inputValue) return;
    this.value = next;
    this.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    this.dispatchEvent(new Event('change', { bubbles: true }));
  }
}

function stop(e: Event) {
  e.stopPropagation();
}

function round1(n: number): number {
  return Math.round((Number(n) || 0) * 10) / 10;
}

function clamp(n: number, max: number): number {
  return Math.min(Math.max(n, 0), max);
}

define('rating-stars', RatingStars);

declare global {
  interface HTMLElementTagNameMap {
    'rating-stars': RatingStars;
  }
}
