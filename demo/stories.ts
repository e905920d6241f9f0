/**
 * The demo's stories, as data: pages that combine widgets, and each element's named
 * stories. A story is a set of attributes over the element's defaults, optionally a colour
 * scheme or direction for the canvas, inline CSS custom properties, and a `render` that
 * places the element in context (a form, a linked list). main.ts turns each into a
 * URL-addressable canvas (`#/review-list/sort-newest`, `#/pages/product-page`) with
 * controls generated from custom-elements.json.
 *
 * Adding a story is one entry, e.g. the attribute ratings of issue #4:
 *
 *   story('attribute-ratings', 'Attribute ratings', { attributes: 'quality,value,fit' }),
 *
 * in the `rating-summary` or `review-form` group, and a page is one entry in PAGES
 * (`{ id, name, description, render: (ctx) => html`...` }`).
 */
import { html, type TemplateResult } from 'lit';
import { REVIEW_SORTS } from '../src/api/client.js';
import './owner-pages.js';
import type { DemoProduct } from '../src/server/demo-products.js';

/** An attribute value; `null` leaves the attribute unset (the element's default). */
export type ArgValue = string | number | boolean | null;
export type Args = Readonly<Record<string, ArgValue>>;

/** What stories may depend on: the picked product and the server. */
export interface StoryContext {
  product: DemoProduct;
  products: readonly DemoProduct[];
  /** The API everything on the page talks to (see endpoint.ts). */
  endpoint: string;
  /** A path on that server that does not exist: every request to it fails (404). */
  failingEndpoint: string;
  /** A URL of the demo showing `route` (`pages/product-page`), optionally for another product. */
  href(route: string, product?: string): string;
}

export type CanvasTheme = 'light' | 'dark' | 'brand';

export interface Story {
  /** The story's part of the URL (`sort-newest`). */
  id: string;
  name: string;
  description?: string;
  /** Attributes of the story's element, over its group's defaults. */
  args?: Args | ((ctx: StoryContext) => Args);
  /** CSS custom properties set on the element itself (the themed stories). */
  style?: Readonly<Record<string, string>>;
  /** Colour scheme of the canvas, whatever the page's. */
  theme?: CanvasTheme;
  /** Direction of the canvas, whatever the page's. */
  dir?: 'ltr' | 'rtl';
  /**
   * Places the element in context; default: the element alone. Other elements that the
   * snippet should include carry `data-snippet`.
   */
  render?: (element: HTMLElement, ctx: StoryContext) => TemplateResult;
}

/** One element and its stories. */
export interface ElementGroup {
  tag: string;
  /** Attributes every story of the element starts from. */
  defaults: (ctx: StoryContext) => Args;
  stories: readonly Story[];
}

/**
 * A page that combines widgets. Elements the controls panel may adjust carry
 * `data-control="<label>"`; elements the snippet shows carry `data-snippet`.
 */
export interface Page {
  id: string;
  name: string;
  description: string;
  render: (ctx: StoryContext) => TemplateResult;
}

/** An entity nobody has reviewed, on any server. */
export const EMPTY_ENTITY = 'demo-no-reviews-yet';

function story(id: string, name: string, args?: Story['args'], extra: Partial<Story> = {}): Story {
  return { id, name, ...(args ? { args } : {}), ...extra };
}

const entity = (ctx: StoryContext): Args => ({ 'entity-id': ctx.product.id });

const empty = story('empty', 'Empty', { 'entity-id': EMPTY_ENTITY }, { description: 'A product nobody has reviewed yet.' });
const error = story('error', 'Error', (ctx) => ({ endpoint: ctx.failingEndpoint }), {
  description: 'The endpoint points at a path the server does not serve, so every request fails: the element says so and offers Retry.',
});
const dark = story('dark', 'Dark', undefined, { theme: 'dark', description: 'The canvas sets the dark `--reviews-color-*` tokens.' });
const rtl = story('rtl', 'Right to left', undefined, { dir: 'rtl', description: 'The canvas has `dir="rtl"`: layout, arrows and keys follow it.' });
const themed = (style: Readonly<Record<string, string>>) =>
  story('themed', 'Themed', undefined, { style, description: 'CSS custom properties set on the element itself (see the code below).' });

const BRAND = {
  '--reviews-color-accent': '#7a3e1d',
  '--reviews-color-star': '#a34a00',
  '--reviews-color-border': '#e4d7c7',
  '--reviews-radius': '2px',
  '--reviews-font': "Georgia, 'Times New Roman', serif",
};

/** A two-column layout: the element beside a companion. */
const beside = (a: unknown, b: unknown) => html`<div class="two">${a}<div>${b}</div></div>`;

export const ELEMENT_GROUPS: readonly ElementGroup[] = [
  {
    tag: 'rating-stars',
    defaults: entity,
    stories: [
      story('default', 'Product average', undefined, { description: "Loads the product's average and review count." }),
      story('value', 'Fixed value', { 'entity-id': null, value: 4.3, count: 128 }, { description: 'No request: the page gives the value and count.' }),
      story('input', 'Input in a form', { 'entity-id': null, editable: true, name: 'rating', required: true, label: 'Your rating' }, {
        description: 'A form-associated radio group: arrow keys, Home and End; the form submits its value and reset restores the attribute.',
        render: (el) => html`<form
          class="row"
          @submit=${(e: SubmitEvent) => {
            e.preventDefault();
            const form = e.currentTarget as HTMLFormElement;
            form.querySelector('output')!.value = `FormData rating = ${new FormData(form).get('rating') ?? '(none)'}`;
          }}
        >
          ${el}
          <button type="submit">Submit</button>
          <button type="reset">Reset</button>
          <output aria-live="polite"></output>
        </form>`,
      }),
      story('read-only', 'Read-only (disabled input)', { 'entity-id': null, editable: true, disabled: true, value: 3, label: 'Rating' }),
      story('large', 'Large', { 'entity-id': null, value: 2.5 }, { style: { '--rating-stars-size': '2.5rem' } }),
      empty,
      error,
      dark,
      rtl,
      themed({ '--rating-stars-size': '1.75rem', '--rating-stars-gap': '0.35rem', '--rating-stars-color-active': '#2b7a78', '--rating-stars-color': '#6b7f7e' }),
    ],
  },
  {
    tag: 'rating-summary',
    defaults: (ctx) => ({ ...entity(ctx), for: 'story-list' }),
    stories: [
      story('default', 'With a linked list', undefined, {
        description: 'Each bar filters the review list beside it (`for`); the list reports its own filter changes back.',
        render: (el, ctx) => beside(el, html`<review-list id="story-list" data-snippet entity-id=${ctx.product.id} page-size="3"></review-list>`),
      }),
      story('alone', 'Alone', { for: null }, { description: 'Without `for` the bars only fire `review-filter`.' }),
      story('pressed', 'Pressed bar', { for: null, 'filter-rating': '5' }, { description: 'The 5-star bar shown as pressed.' }),
      story('attributes', 'Attribute ratings', { for: null, attributes: 'quality,value,fit' }, {
        description: 'A bar per attribute rating (Ratings API averages, 0-100 shown on the 5-star scale) below the star distribution.',
      }),
      story('attributes-labelled', 'Attribute ratings, own labels', { for: null, attributes: 'quality:Build quality,value:Worth the price,comfort' }, {
        description: 'Labels after a colon replace the defaults; `comfort` has no ratings yet and says so.',
      }),
      empty,
      error,
      dark,
      rtl,
      themed({ ...BRAND, '--rating-summary-bar-color': '#2b7a78', '--rating-summary-bar-height': '0.75rem' }),
    ],
  },
  {
    tag: 'review-list',
    defaults: entity,
    stories: [
      story('default', 'Default', undefined, { description: 'Newest first, ten at a time, with the built-in sort, filters and search.' }),
      ...REVIEW_SORTS.map((sort) => story(`sort-${sort}`, `Sort: ${sort}`, { sort })),
      story('filter-5-stars', 'Filter: 5 stars', { 'filter-rating': '5' }),
      story('filter-critical', 'Filter: 1-3 stars', { 'filter-rating': '1,2,3' }),
      story('filter-media', 'Filter: with photos', { 'filter-media': true }),
      story('filter-verified', 'Filter: verified buyers', { 'filter-verified': true }),
      story('search', 'Search', { search: 'size' }, { description: 'Only reviews that mention "size".' }),
      story('paged', 'Paged', { 'page-size': 3 }, { description: 'Three at a time: "Load more" appends and moves focus to the first new review.' }),
      story('author-initial', 'Author initials', { 'author-display': 'initial' }),
      story('read-only', 'Read-only (no controls)', { 'no-controls': true, 'page-size': 5 }),
      story('store-wide', 'Store-wide', { 'entity-id': null, sort: 'most-helpful', 'page-size': 5 }, { description: 'No `entity-id`: reviews of every product.' }),
      empty,
      error,
      dark,
      rtl,
      themed({ ...BRAND, '--review-list-gap': '0.5rem', '--reviews-clamp-lines': '3' }),
    ],
  },
  {
    tag: 'most-helpful',
    defaults: entity,
    stories: [
      story('default', 'List', { limit: 3 }),
      story('carousel', 'Carousel', { layout: 'carousel', limit: 6 }, { description: 'Swipe, scroll or use Previous / Next; arrow keys move between slides.' }),
      story('face-off', 'Face-off', { 'face-off': true, heading: 'Positive vs critical' }, { description: 'The most helpful positive (4-5 stars) and critical (1-3 stars) review side by side.' }),
      story('store-wide', 'Store-wide', { 'entity-id': null, limit: 3, heading: 'Most helpful across the store' }),
      empty,
      error,
      dark,
      rtl,
      themed({ ...BRAND, '--most-helpful-gap': '0.5rem' }),
    ],
  },
  {
    tag: 'media-gallery',
    defaults: entity,
    stories: [
      story('default', 'Default', undefined, { description: 'Press a photo to open the lightbox; Escape closes it and focus returns.' }),
      story('four', 'Four at a time', { limit: 4 }),
      empty,
      error,
      dark,
      rtl,
      themed({ '--media-gallery-columns': '3', '--media-gallery-gap': '2px', '--reviews-radius': '0' }),
    ],
  },
  {
    tag: 'review-form',
    defaults: (ctx) => ({ ...entity(ctx), 'product-name': ctx.product.name }),
    stories: [
      story('default', 'Default', undefined, {
        description:
          'Moderation is `auto`: a review with a link, an e-mail address, a phone number or photos waits for the owner; others go live. The draft survives a reload.',
      }),
      story('attributes', 'Attribute ratings', { attributes: 'quality,value,fit' }, {
        description: 'A star rating per attribute besides the overall stars; each is stored through the Ratings API (stars × 20), linked to the review.',
      }),
      story('attributes-required', 'Attribute ratings, required', { attributes: 'quality,value', 'attributes-required': true }, {
        description: 'Every attribute must be rated before the review is sent.',
      }),
      story('read-only', 'Read-only (disabled)', { disabled: true }),
      story('error', 'Error', (ctx) => ({ endpoint: ctx.failingEndpoint }), { description: 'Sending fails: the form keeps the draft and says so.' }),
      dark,
      rtl,
      themed(BRAND),
    ],
  },
];

export const PAGES: readonly Page[] = [
  {
    id: 'product-page',
    name: 'Product page',
    description: 'Every widget together for one product: four API requests, made in parallel.',
    render: (ctx) => {
      const p = ctx.product;
      const price = new Intl.NumberFormat(document.documentElement.lang || undefined, { style: 'currency', currency: p.currency }).format(p.price);
      return html`<div class="product">
          <div class="product-media">
            <div class="product-photo" style="--c: ${p.color}" aria-hidden="true"></div>
            <media-gallery data-control="Media gallery" data-snippet entity-id=${p.id} limit="8"></media-gallery>
          </div>
          <div class="product-info">
            <h2 class="product-name">${p.name}</h2>
            <p class="price">${price}</p>
            <rating-stars data-control="Rating stars" data-snippet entity-id=${p.id}></rating-stars>
            <p>${p.description}</p>
            <rating-summary data-control="Rating summary" data-snippet entity-id=${p.id} for="pp-list"></rating-summary>
          </div>
        </div>
        <most-helpful data-control="Most helpful" data-snippet entity-id=${p.id} layout="carousel" limit="6" heading-level="3"></most-helpful>
        <review-list data-control="Review list" data-snippet id="pp-list" entity-id=${p.id} page-size="5"></review-list>
        <review-form data-control="Review form" data-snippet entity-id=${p.id} product-name=${p.name} heading-level="3"></review-form>`;
    },
  },
  {
    id: 'product-grid',
    name: 'Product grid',
    description: '24 star badges: one averages request for all of them.',
    render: (ctx) => html`<ul class="grid" role="list">
      ${Array.from({ length: 24 }, (_, i) => {
        const p = ctx.products[i % ctx.products.length]!;
        return html`<li>
          <div class="swatch" style="--c: ${p.color}" aria-hidden="true"></div>
          <a href=${ctx.href('pages/product-page', p.id)}>${p.name}</a>
          ${i === 0
            ? html`<rating-stars data-control="First badge" data-snippet entity-id=${p.id}></rating-stars>`
            : html`<rating-stars entity-id=${p.id}></rating-stars>`}
        </li>`;
      })}
    </ul>`,
  },
  {
    id: 'review-requests',
    name: 'Review request e-mails',
    description:
      'The outbox of review request e-mails (`GET /reviews/v2/outbox`, owner only). The scheduler sends due requests; each message links to the review page with a signed, expiring token, where `<review-form review-request token>` lets the customer rate what they bought.',
    render: () => html`<demo-outbox></demo-outbox>`,
  },
  {
    id: 'two-way-sync',
    name: 'Two-way sync (webhooks)',
    description:
      'The example webhook receiver (`demo/sync-receiver`) keeps a second store in step with this one and alerts on new reviews rated below 3 stars. Signed deliveries, retries, and loop prevention through the app identity: see docs/webhooks.md.',
    render: (ctx) => html`<demo-sync entity-id=${ctx.product.id} product-name=${ctx.product.name}></demo-sync>`,
  },
];
