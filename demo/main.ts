// The demo: a sidebar of pages and element stories (stories.ts), a canvas showing the
// picked one, controls generated from custom-elements.json, copyable HTML / React / Vue
// code matching them, and a log of the events the elements fire. Routes are URL hashes:
// `#/review-list/sort-newest`, with changed controls after a `?`
// (`#/review-list/default?page-size=3`); the product, theme and direction are query
// parameters, and so is the server (`?endpoint=`, see endpoint.ts).
import '../src/index.js';
import { html, noChange, nothing, render, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import data from '../custom-elements.json' with { type: 'json' };
import { DEMO_PRODUCTS, type DemoProduct } from '../src/server/demo-products.js';
import { useDemoEndpoint } from './endpoint.js';
import { elementsOf, type AttributeDoc, type Documented, type ElementDoc, type Value } from './manifest.js';
import { snippet, type SnippetElement, type SnippetLanguage } from './snippet.js';
import { ELEMENT_GROUPS, PAGES, type ArgValue, type ElementGroup, type Page, type Story, type StoryContext } from './stories.js';

const ELEMENTS = elementsOf(data);
const endpoint = useDemoEndpoint();
const failingEndpoint = `${endpoint}/reviews/unavailable`;

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const canvas = $('canvas');
const params = new URLSearchParams(location.search);

// ----- routes ----------------------------------------------------------------------------

type Route =
  | { kind: 'page'; key: string; page: Page; args: URLSearchParams }
  | { kind: 'story'; key: string; group: ElementGroup; story: Story; args: URLSearchParams };

const DEFAULT_ROUTE = 'pages/product-page';

function parseRoute(hash: string): Route | undefined {
  const m = /^#\/([\w-]+)\/([\w-]+)(?:\?(.*))?$/.exec(hash);
  if (!m) return undefined;
  const [, first, second, query] = m as unknown as [string, string, string, string | undefined];
  const args = new URLSearchParams(query ?? '');
  if (first === 'pages') {
    const page = PAGES.find((p) => p.id === second);
    return page && { kind: 'page', key: `pages/${second}`, page, args };
  }
  const group = ELEMENT_GROUPS.find((g) => g.tag === first);
  const story = group?.stories.find((s) => s.id === second);
  return group && story && { kind: 'story', key: `${first}/${second}`, group, story, args };
}

function currentRoute(): Route {
  const found = parseRoute(location.hash);
  if (found) return found;
  history.replaceState(null, '', `#/${DEFAULT_ROUTE}`);
  return parseRoute(`#/${DEFAULT_ROUTE}`)!;
}

/** Writes the route and its changed controls to the URL (no history entry, no hashchange). */
function writeHash() {
  const query = route.args.toString();
  history.replaceState(null, '', `#/${route.key}${query ? `?${query}` : ''}`);
}

let route = currentRoute();
let product: DemoProduct = DEMO_PRODUCTS.find((p) => p.id === params.get('product')) ?? DEMO_PRODUCTS[0]!;

function context(): StoryContext {
  return {
    product,
    products: DEMO_PRODUCTS,
    endpoint,
    failingEndpoint,
    href: (key, productId) => {
      const url = new URL(location.href);
      if (productId) url.searchParams.set('product', productId);
      url.hash = `#/${key}`;
      return url.search + url.hash;
    },
  };
}

// ----- the live elements -------------------------------------------------------------------

type Props = Record<string, unknown>;

/** An attribute's current value as its property holds it; undefined when unset. */
function propertyValue(el: HTMLElement, attr: AttributeDoc): Value | undefined {
  const v = (el as unknown as Props)[attr.field];
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number' && !Number.isNaN(v)) return v;
  return undefined;
}

function isDefault(value: Value, attr: AttributeDoc): boolean {
  return attr.default !== undefined ? value === attr.default : value === '' || value === false;
}

/**
 * Sets an attribute (or, for `--name`, a CSS custom property) on a live element. `null`
 * and `false` remove the attribute and put the property back to its documented default,
 * as if the attribute had never been written.
 */
function setArg(el: HTMLElement, name: string, value: ArgValue) {
  if (name.startsWith('--')) {
    if (value === null || value === '') el.style.removeProperty(name);
    else el.style.setProperty(name, String(value));
    return;
  }
  const attr = ELEMENTS.get(el.localName)?.attributes.find((a) => a.name === name);
  if (value === null || value === false) {
    el.removeAttribute(name);
    if (attr && attr.control.kind !== 'boolean') (el as unknown as Props)[attr.field] = attr.default;
  } else el.setAttribute(name, value === true ? '' : String(value));
}

/** A control's value from the URL, typed by the attribute's control. */
function fromUrl(el: HTMLElement, name: string, raw: string): ArgValue {
  const attr = ELEMENTS.get(el.localName)?.attributes.find((a) => a.name === name);
  if (attr?.control.kind === 'boolean') return raw === 'true';
  return raw === '' ? null : raw;
}

function storyElement(group: ElementGroup, story: Story, ctx: StoryContext, overrides: URLSearchParams): HTMLElement {
  const el = document.createElement(group.tag);
  const args = { ...group.defaults(ctx), ...(typeof story.args === 'function' ? story.args(ctx) : story.args) };
  for (const [name, value] of Object.entries(args)) if (value !== null) setArg(el, name, value);
  for (const [name, value] of Object.entries(story.style ?? {})) el.style.setProperty(name, value);
  for (const [name, raw] of overrides) setArg(el, name, fromUrl(el, name, raw));
  el.dataset.control = group.tag;
  el.dataset.snippet = '';
  return el;
}

/** Elements on the canvas the controls panel can adjust, and the one it adjusts. */
let targets: HTMLElement[] = [];
let target: HTMLElement | undefined;

function show() {
  const ctx = context();
  let content: unknown;
  let title: string;
  let crumb: Node[];
  let description: string;
  if (route.kind === 'story') {
    const doc = ELEMENTS.get(route.group.tag);
    const el = storyElement(route.group, route.story, ctx, route.args);
    content = route.story.render ? route.story.render(el, ctx) : el;
    title = route.story.name;
    crumb = [tagName(route.group.tag), document.createTextNode(doc?.summary ? ` · ${doc.summary}` : '')];
    description = route.story.description ?? '';
    canvas.dir = route.story.dir ?? '';
    if (route.story.theme) canvas.dataset.theme = route.story.theme;
    else delete canvas.dataset.theme;
    expanded.add(route.group.tag);
  } else {
    content = route.page.render(ctx);
    title = route.page.name;
    crumb = [document.createTextNode('Page')];
    description = route.page.description;
    canvas.removeAttribute('dir');
    delete canvas.dataset.theme;
  }
  if (!canvas.dir) canvas.removeAttribute('dir');
  // A fresh canvas for every story: no state carries over from the last one.
  render(nothing, canvas);
  render(html`${content}`, canvas);
  targets = [...canvas.querySelectorAll<HTMLElement>('[data-control]')].filter((el) => ELEMENTS.has(el.localName));
  target = targets[0];
  editing = undefined;

  $('story-crumb').replaceChildren(...crumb);
  $('story-title').textContent = title;
  $('story-desc').replaceChildren(...mdNodes(description));
  document.title = `${title}${route.kind === 'story' ? ` · ${route.group.tag}` : ''} · storefront-reviews demo`;
  $('announce').textContent = `Showing ${route.kind === 'story' ? `${route.group.tag}, ` : ''}${title}`;
  entries = [];
  renderSidebar();
  renderLog();
  refresh();
  renderApi();
}

/** Re-reads the live elements into the controls and the code. */
function refresh() {
  renderControls();
  renderCode();
}

// ----- backticks in manifest descriptions become <code> ------------------------------------------

function md(text: string): TemplateResult {
  return html`${text.split('`').map((part, i) => (i % 2 ? html`<code>${part}</code>` : part))}`;
}

/** `<review-list>` as code, isolated so right-to-left text does not flip its brackets. */
function tagName(tag: string): Node {
  const bdi = document.createElement('bdi');
  bdi.append(Object.assign(document.createElement('code'), { textContent: `<${tag}>` }));
  return bdi;
}

function mdNodes(text: string): Node[] {
  return text.split('`').map((part, i) => {
    if (i % 2 === 0) return document.createTextNode(part);
    const code = document.createElement('code');
    code.textContent = part;
    return code;
  });
}

// ----- sidebar -----------------------------------------------------------------------------

const sidebar = $('sidebar');
const expanded = new Set<string>();
let filter = '';
/** The sidebar item that has (or last had) focus: it keeps the one tab stop. */
let rovingKey: string | undefined;

function renderSidebar() {
  const q = filter.trim().toLowerCase();
  const match = (...texts: string[]) => !q || texts.some((t) => t.toLowerCase().includes(q));
  const pages = PAGES.filter((p) => match(p.name, p.id, 'pages'));
  const groups = ELEMENT_GROUPS.map((g) => ({ g, stories: match(g.tag) ? g.stories : g.stories.filter((s) => match(s.name, s.id)) })).filter(
    (x) => x.stories.length,
  );
  const link = (key: string, name: string) =>
    html`<a href="#/${key}" data-key=${key} aria-current=${route.key === key ? 'page' : nothing}>${name}</a>`;
  render(
    html`<div class="find">
        <label for="find">Find a story</label>
        <input
          id="find"
          type="search"
          autocomplete="off"
          .value=${live(filter)}
          @input=${(e: Event) => {
            filter = (e.target as HTMLInputElement).value;
            renderSidebar();
          }}
          @keydown=${(e: KeyboardEvent) => {
            if (e.key === 'Escape' && filter) {
              filter = '';
              renderSidebar();
            }
          }}
        />
      </div>
      <div class="tree" @keydown=${onTreeKey} @focusin=${onTreeFocus}>
        ${pages.length
          ? html`<h2 class="section" id="nav-pages">Pages</h2>
              <ul role="list" aria-labelledby="nav-pages">
                ${pages.map((p) => html`<li>${link(`pages/${p.id}`, p.name)}</li>`)}
              </ul>`
          : nothing}
        ${groups.length
          ? html`<h2 class="section" id="nav-elements">Elements</h2>
              <ul role="list" aria-labelledby="nav-elements">
                ${groups.map(({ g, stories }) => {
                  const open = q !== '' || expanded.has(g.tag);
                  return html`<li>
                    <button
                      type="button"
                      class="group"
                      data-key="group:${g.tag}"
                      aria-expanded=${open ? 'true' : 'false'}
                      aria-controls="nav-${g.tag}"
                      @click=${() => toggleGroup(g.tag)}
                    >
                      <span>${g.tag}</span><span class="count">${stories.length}<span class="visually-hidden"> stories</span></span>
                    </button>
                    <ul id="nav-${g.tag}" role="list" ?hidden=${!open}>
                      ${stories.map((s) => html`<li>${link(`${g.tag}/${s.id}`, s.name)}</li>`)}
                    </ul>
                  </li>`;
                })}
              </ul>`
          : nothing}
        ${!pages.length && !groups.length ? html`<p class="note" role="status">No story matches “${filter}”.</p>` : nothing}
      </div>`,
    sidebar,
  );
  updateRoving();
}

function toggleGroup(tag: string) {
  if (expanded.has(tag)) expanded.delete(tag);
  else expanded.add(tag);
  renderSidebar();
}

function treeItems(): HTMLElement[] {
  return [...sidebar.querySelectorAll<HTMLElement>('.tree a, .tree button.group')].filter((el) => !el.closest('[hidden]'));
}

/** One tab stop in the tree: the focused item, else the current story, else the first. */
function updateRoving() {
  const items = treeItems();
  const current =
    items.find((el) => el.dataset.key === rovingKey) ?? items.find((el) => el.getAttribute('aria-current') === 'page') ?? items[0];
  for (const el of items) el.tabIndex = el === current ? 0 : -1;
}

function onTreeFocus(e: FocusEvent) {
  const item = (e.target as HTMLElement).closest<HTMLElement>('[data-key]');
  if (!item) return;
  rovingKey = item.dataset.key;
  updateRoving();
}

function onTreeKey(e: KeyboardEvent) {
  const items = treeItems();
  const item = (e.target as HTMLElement).closest<HTMLElement>('[data-key]');
  const i = item ? items.indexOf(item) : -1;
  if (!item || i < 0) return;
  const rtl = getComputedStyle(sidebar).direction === 'rtl';
  const key = rtl && e.key === 'ArrowLeft' ? 'ArrowRight' : rtl && e.key === 'ArrowRight' ? 'ArrowLeft' : e.key;
  const isGroup = item.matches('button.group');
  const groupTag = item.dataset.key!.startsWith('group:') ? item.dataset.key!.slice(6) : undefined;
  let next: HTMLElement | undefined;
  switch (key) {
    case 'ArrowDown':
      next = items[i + 1];
      break;
    case 'ArrowUp':
      next = items[i - 1];
      break;
    case 'Home':
      next = items[0];
      break;
    case 'End':
      next = items.at(-1);
      break;
    case 'ArrowRight':
      if (isGroup && item.getAttribute('aria-expanded') === 'false') toggleGroup(groupTag!);
      else if (isGroup) next = items[i + 1];
      else return;
      break;
    case 'ArrowLeft':
      if (isGroup && item.getAttribute('aria-expanded') === 'true') toggleGroup(groupTag!);
      else if (!isGroup) next = item.closest('li:has(> button.group)')?.querySelector<HTMLElement>('button.group') ?? undefined;
      else return;
      break;
    default:
      return;
  }
  e.preventDefault();
  if (next) {
    rovingKey = next.dataset.key;
    updateRoving();
    next.focus();
  }
}

// ----- controls ----------------------------------------------------------------------------

/** The control the visitor is typing in: re-renders leave its value alone. */
let editing: string | undefined;

function renderControls() {
  const root = $('controls');
  const el = target;
  const doc = el && ELEMENTS.get(el.localName);
  if (!el || !doc) {
    render(html`<p class="note">Nothing on this page to adjust.</p>`, root);
    return;
  }
  const which =
    targets.length > 1
      ? html`<div class="field target">
          <label for="ctl-target">Element</label>
          <select
            id="ctl-target"
            @change=${(e: Event) => {
              target = targets[Number((e.target as HTMLSelectElement).value)];
              editing = undefined;
              refresh();
              renderApi();
            }}
          >
            ${targets.map((t, i) => html`<option value=${i} .selected=${live(t === el)}>${t.dataset.control} (${t.localName})</option>`)}
          </select>
        </div>`
      : nothing;
  render(
    html`${which}
      <form class="controls" aria-labelledby="controls-h" @submit=${(e: Event) => e.preventDefault()} @focusout=${onControlBlur}>
        <fieldset>
          <legend>Attributes of <bdi><code>&lt;${doc.tag}&gt;</code></bdi></legend>
          ${doc.attributes.map((a) => attributeControl(el, a))}
        </fieldset>
        ${doc.cssProperties.length
          ? html`<fieldset>
              <legend>CSS custom properties</legend>
              ${doc.cssProperties.map((p) => cssControl(el, p))}
            </fieldset>`
          : nothing}
      </form>`,
    root,
  );
}

function attributeControl(el: HTMLElement, a: AttributeDoc) {
  const id = `ctl-${a.name}`;
  const desc = `${id}-desc`;
  const v = propertyValue(el, a);
  const keep = editing === a.name;
  let input: TemplateResult;
  switch (a.control.kind) {
    case 'boolean':
      input = html`<input id=${id} type="checkbox" aria-describedby=${desc} .checked=${live(v === true)} @change=${(e: Event) => onControl(a, (e.target as HTMLInputElement).checked)} />`;
      break;
    case 'number':
      input = html`<input
        id=${id}
        type="number"
        step="any"
        aria-describedby=${desc}
        .value=${keep ? noChange : live(v === undefined ? '' : String(v))}
        @input=${(e: Event) => onControl(a, (e.target as HTMLInputElement).value, true)}
      />`;
      break;
    case 'enum': {
      const options = v !== undefined && !a.control.options.includes(String(v)) ? [...a.control.options, String(v)] : a.control.options;
      input = html`<select id=${id} aria-describedby=${desc} @change=${(e: Event) => onControl(a, (e.target as HTMLSelectElement).value)}>
        ${options.map((o) => html`<option .selected=${live(o === String(v))}>${o}</option>`)}
      </select>`;
      break;
    }
    default:
      input = html`<input
        id=${id}
        type="text"
        spellcheck="false"
        aria-describedby=${desc}
        .value=${keep ? noChange : live(v === undefined ? '' : String(v))}
        @input=${(e: Event) => onControl(a, (e.target as HTMLInputElement).value, true)}
      />`;
  }
  return html`<div class="field ${a.control.kind}">
    <label for=${id}><code>${a.name}</code></label>
    ${input}
    <p class="hint" id=${desc}>${md(a.description)} ${a.control.kind === 'enum' ? nothing : html`<span class="type">${a.typeText}</span>`}</p>
  </div>`;
}

function cssControl(el: HTMLElement, p: Documented) {
  const id = `ctl-${p.name.slice(2)}-css`;
  const keep = editing === p.name;
  return html`<div class="field string">
    <label for=${id}><code>${p.name}</code></label>
    <input
      id=${id}
      type="text"
      spellcheck="false"
      aria-describedby="${id}-desc"
      .value=${keep ? noChange : live(el.style.getPropertyValue(p.name).trim())}
      @input=${(e: Event) => onControl(p.name, (e.target as HTMLInputElement).value, true)}
    />
    <p class="hint" id="${id}-desc">${md(p.description)}</p>
  </div>`;
}

/** A control changed: update the live element at once, the URL and the code. */
function onControl(attr: AttributeDoc | string, value: string | boolean, typing = false) {
  const el = target;
  if (!el) return;
  const name = typeof attr === 'string' ? attr : attr.name;
  editing = typing ? name : undefined;
  setArg(el, name, value === '' ? null : value);
  if (route.kind === 'story' && el === targets[0]) {
    route.args.set(name, String(value));
    writeHash();
  }
  refresh();
}

function onControlBlur() {
  if (editing === undefined) return;
  editing = undefined;
  renderControls();
}

$('controls-reset').addEventListener('click', () => {
  route.args = new URLSearchParams();
  writeHash();
  show();
});

// ----- code --------------------------------------------------------------------------------

const LANGUAGES: ReadonlyArray<[SnippetLanguage, string]> = [
  ['html', 'HTML'],
  ['react', 'React'],
  ['vue', 'Vue'],
];
let language: SnippetLanguage = 'html';
let code = '';

function snippetElement(el: HTMLElement, doc: ElementDoc): SnippetElement {
  const values = doc.attributes.flatMap((attr) => {
    const value = propertyValue(el, attr);
    return value === undefined || isDefault(value, attr) ? [] : [{ attr, value }];
  });
  const style = el.getAttribute('style')?.trim();
  return { doc, values, ...(el.id ? { id: el.id } : {}), ...(style ? { style } : {}) };
}

function renderCode() {
  const elements = [...canvas.querySelectorAll<HTMLElement>('[data-snippet]')].flatMap((el) => {
    const doc = ELEMENTS.get(el.localName);
    return doc ? [snippetElement(el, doc)] : [];
  });
  code = elements.length ? snippet(language, elements, endpoint) : '';
  const choose = (next: SnippetLanguage, focus = false) => {
    language = next;
    renderCode();
    if (focus) document.getElementById(`tab-${next}`)?.focus();
  };
  render(
    html`<div
        class="tabs"
        role="tablist"
        aria-label="Language"
        @keydown=${(e: KeyboardEvent) => {
          const i = LANGUAGES.findIndex(([id]) => id === language);
          const step = { ArrowRight: 1, ArrowLeft: -1, Home: -i, End: LANGUAGES.length - 1 - i }[e.key];
          if (step === undefined) return;
          e.preventDefault();
          const rtl = getComputedStyle(e.currentTarget as Element).direction === 'rtl' && (e.key === 'ArrowRight' || e.key === 'ArrowLeft');
          choose(LANGUAGES[(i + (rtl ? -step : step) + LANGUAGES.length) % LANGUAGES.length]![0], true);
        }}
      >
        ${LANGUAGES.map(
          ([id, label]) =>
            html`<button
              type="button"
              role="tab"
              id="tab-${id}"
              aria-selected=${id === language ? 'true' : 'false'}
              aria-controls="code-panel"
              tabindex=${id === language ? 0 : -1}
              @click=${() => choose(id)}
            >
              ${label}
            </button>`,
        )}
      </div>
      <pre id="code-panel" role="tabpanel" aria-labelledby="tab-${language}" tabindex="0"><code>${code || 'No element here.'}</code></pre>`,
    $('code'),
  );
}

let copyTimer: ReturnType<typeof setTimeout> | undefined;
$('copy').addEventListener('click', async () => {
  let copied = true;
  try {
    await navigator.clipboard.writeText(code);
  } catch {
    // No clipboard API (an insecure origin): select the code and use the legacy command.
    const range = document.createRange();
    range.selectNodeContents($('code-panel'));
    getSelection()?.removeAllRanges();
    getSelection()?.addRange(range);
    copied = document.execCommand('copy');
  }
  $('copy-status').textContent = copied ? 'Copied' : 'Press Ctrl+C to copy the selected code';
  clearTimeout(copyTimer);
  copyTimer = setTimeout(() => ($('copy-status').textContent = ''), 3000);
});

// ----- event log ---------------------------------------------------------------------------

interface Entry {
  n: number;
  time: string;
  source: string;
  type: string;
  detail: string;
}

let entries: Entry[] = [];
let eventCount = 0;
const EVENTS = new Set([...ELEMENTS.values()].flatMap((doc) => doc.events.map((e) => e.name)));
const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3, hour12: false });

/** Short JSON: a review is shown as its id and rating. */
function describe(e: Event, host: HTMLElement): string {
  if (e instanceof CustomEvent) {
    const text = JSON.stringify(e.detail ?? null, (_, v: unknown) => {
      if (v && typeof v === 'object' && 'id' in v && 'content' in v) {
        const r = v as { id: unknown; content: { rating?: unknown } };
        return { id: r.id, rating: r.content.rating };
      }
      return v;
    });
    return text.length > 240 ? `${text.slice(0, 239)}…` : text;
  }
  const value = (host as unknown as Props).value;
  return value === undefined ? '' : `value: ${JSON.stringify(value)}`;
}

function onElementEvent(e: Event) {
  // Capture on the document: events that do not bubble are seen too; `target` is the
  // element on the canvas (events from inside a shadow root are retargeted to its host).
  const host = e.target;
  if (!(host instanceof HTMLElement) || !canvas.contains(host)) return;
  if (!ELEMENTS.get(host.localName)?.events.some((x) => x.name === e.type)) return;
  entries = [
    { n: ++eventCount, time: clock.format(new Date()), source: host.localName + (host.id ? `#${host.id}` : ''), type: e.type, detail: describe(e, host) },
    ...entries,
  ].slice(0, 100);
  renderLog();
  // The element updates its properties around the event: read them once it is done.
  setTimeout(refresh);
}
for (const type of EVENTS) document.addEventListener(type, onElementEvent, true);

function renderLog() {
  render(
    html`${entries.map(
      (x) => html`<li data-event=${x.type}>
        <span class="time">${x.time}</span> <code class="source">${x.source}</code> <strong>${x.type}</strong>
        ${x.detail ? html`<code class="detail">${x.detail}</code>` : nothing}
      </li>`,
    )}`,
    $('log'),
  );
  $('log-empty').hidden = entries.length > 0;
}

$('log-clear').addEventListener('click', () => {
  entries = [];
  renderLog();
});

// ----- API reference -----------------------------------------------------------------------

function renderApi() {
  const doc = target && ELEMENTS.get(target.localName);
  $('api').hidden = !doc;
  if (!doc) return;
  const table = (caption: string, head: string[], rows: unknown[][]) =>
    rows.length
      ? html`<table>
          <caption>${caption}</caption>
          <thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
          <tbody>${rows.map((r) => html`<tr>${r.map((c) => html`<td>${c}</td>`)}</tr>`)}</tbody>
        </table>`
      : nothing;
  const code = (s: string) => html`<code>${s}</code>`;
  const docs = (xs: Documented[]) => xs.map((x) => [code(x.name), md(x.description)]);
  render(
    html`<h2 class="api-title"><bdi><code>&lt;${doc.tag}&gt;</code></bdi> ${doc.summary}</h2>
      <p>${md(doc.description)}</p>
      ${table(
        'Attributes',
        ['Attribute', 'Property', 'Type', 'Default', 'Description'],
        doc.attributes.map((a) => [code(a.name), code(a.field), code(a.typeText), a.default === undefined ? '' : code(JSON.stringify(a.default)), md(a.description)]),
      )}
      ${table('Events', ['Event', 'Description'], docs(doc.events))} ${table('Slots', ['Slot', 'Description'], docs(doc.slots))}
      ${table('CSS parts', ['Part', 'Description'], docs(doc.cssParts))}
      ${table('CSS custom properties', ['Property', 'Description'], docs(doc.cssProperties))}`,
    $('api-body'),
  );
}

// ----- global settings ---------------------------------------------------------------------

function setParam(name: string, value: string | undefined) {
  const url = new URL(location.href);
  if (value === undefined) url.searchParams.delete(name);
  else url.searchParams.set(name, value);
  history.replaceState(null, '', url);
}

const picker = $<HTMLSelectElement>('product');
for (const p of DEMO_PRODUCTS) picker.append(new Option(p.name, p.id));
picker.value = product.id;
picker.addEventListener('change', () => {
  product = DEMO_PRODUCTS.find((p) => p.id === picker.value) ?? product;
  setParam('product', product.id);
  show();
});

const theme = $<HTMLSelectElement>('theme');
const dir = $<HTMLSelectElement>('dir');
theme.value = ['light', 'dark', 'brand'].includes(params.get('theme') ?? '') ? params.get('theme')! : 'auto';
dir.value = params.get('dir') === 'rtl' ? 'rtl' : 'ltr';
function applyLook() {
  if (theme.value === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme.value;
  document.documentElement.dir = dir.value;
}
theme.addEventListener('change', () => {
  applyLook();
  setParam('theme', theme.value === 'auto' ? undefined : theme.value);
});
dir.addEventListener('change', () => {
  applyLook();
  setParam('dir', dir.value === 'ltr' ? undefined : dir.value);
});
applyLook();

// The product grid links to product pages: switch in place, no reload.
canvas.addEventListener('click', (e) => {
  const a = (e.target as Element).closest?.('a[href]');
  if (!(a instanceof HTMLAnchorElement) || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
  const url = new URL(a.href);
  if (url.origin !== location.origin || url.pathname !== location.pathname) return;
  const next = DEMO_PRODUCTS.find((p) => p.id === url.searchParams.get('product'));
  if (!next) return;
  e.preventDefault();
  product = next;
  picker.value = next.id;
  history.pushState(null, '', url);
  route = currentRoute();
  show();
});

document.querySelector('.skip')!.addEventListener('click', (e) => {
  // Focus the story without replacing the route in the URL's hash.
  e.preventDefault();
  $('main').focus();
});

addEventListener('hashchange', () => {
  route = currentRoute();
  show();
});
addEventListener('popstate', () => {
  product = DEMO_PRODUCTS.find((p) => p.id === new URLSearchParams(location.search).get('product')) ?? product;
  picker.value = product.id;
});

show();
