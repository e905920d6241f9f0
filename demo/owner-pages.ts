/**
 * The demo's owner pages, which need what only `npm start` has (src/server/demo.ts):
 *
 * - `<demo-outbox>`: the review request e-mails the server "sent" (kept in its outbox:
 *   `GET /reviews/v2/outbox`, read for the page by the demo server with the owner key).
 *   Each message links to the review page (review-request.html) with its signed token.
 * - `<demo-sync>`: the webhook example (demo/sync-receiver) at work. The demo server runs a
 *   second store, B, and the example receiver subscribed to both stores: a review written
 *   here on store A reaches B through signed webhooks, and one rated below 3 stars raises
 *   an alert. Shows store B's reviews, the receiver's counters and its alerts.
 *
 * Light DOM, so the demo's stylesheet applies. Everything from the server is shown as text.
 */
import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { clientFor } from '../src/api/client.js';
import type { DemoSyncState } from '../src/server/demo.js';
import type { OutboxMessage } from '../src/server/mailer.js';
import type { Alert, SyncStats } from './sync-receiver/sync.js';

/** What `GET /__demo/sync` answers: the receiver's own counters and alerts. */
type SyncState = DemoSyncState & { stats: SyncStats; alerts: readonly Alert[] };

/** Calls a `/__demo/` route of the demo server; `undefined` when this demo has none (a static copy). */
async function demoRoute<T>(path: string, method: 'GET' | 'POST' = 'GET', signal?: AbortSignal): Promise<T | undefined> {
  const res = await fetch(`/__demo/${path}`, {
    method,
    cache: 'no-store',
    signal,
    ...(method === 'POST' ? { headers: { 'Content-Type': 'application/json' }, body: '{}' } : {}),
  });
  if (res.status === 404) return undefined;
  const body = (await res.json().catch(() => ({}))) as T & { message?: string };
  if (!res.ok) throw new Error(body.message ?? `HTTP ${res.status}`);
  return body;
}

const unavailable = (what: string) =>
  html`<p class="note" role="status">${what} is shown by the demo that <code>npm start</code> serves on this machine (127.0.0.1): it needs the server's owner key, which neither a static copy nor a server listening on the network gives its pages.</p>`;

const when = (iso: string) => new Date(iso).toLocaleString(document.documentElement.lang || undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The outbox: one article per message, newest first. */
export class DemoOutbox extends LitElement {
  @state() private _messages?: OutboxMessage[] | null;
  @state() private _error = '';
  @state() private _sending = false;
  /** The message to focus once shown (the one just sent). */
  private _focus?: string;

  override createRenderRoot() {
    return this;
  }

  override connectedCallback() {
    super.connectedCallback();
    void this._load();
  }

  override render() {
    if (this._error) {
      return html`<div role="alert" class="note">The outbox could not be loaded: ${this._error}
        <button type="button" @click=${this._load}>Retry</button></div>`;
    }
    if (this._messages === undefined) return html`<p role="status">Loading the outbox…</p>`;
    if (this._messages === null) return unavailable('The outbox');
    return html`<p class="row">
        <span>${this._messages.length} message(s), newest first.</span>
        <button type="button" @click=${this._load}>Refresh</button>
        <button type="button" class="send-request" aria-disabled=${this._sending ? 'true' : 'false'} @click=${this._send}>
          ${this._sending ? 'Sending…' : 'Place a demo order and send its review request'}
        </button>
      </p>
      <ul class="outbox" role="list">
        ${this._messages.map((m) => {
          const page = reviewPage(m.reviewUrl);
          return html`<li>
            <article class="message" aria-labelledby="msg-${m.id}">
              <h2 id="msg-${m.id}" class="message-subject" tabindex="-1">${m.subject}</h2>
              <p class="message-meta">To <span>${m.to}</span> · ${when(m.createdDate)} · request <code>${m.reviewRequestId}</code></p>
              <pre class="message-text">${m.text}</pre>
              ${page ? html`<p><a class="message-link" href=${page}>Open the review page of this e-mail</a></p>` : nothing}
            </article>
          </li>`;
        })}
      </ul>`;
  }

  override updated() {
    if (!this._focus) return;
    const heading = this.querySelector<HTMLElement>(`#msg-${CSS.escape(this._focus)}`);
    if (heading) {
      this._focus = undefined;
      heading.focus();
    }
  }

  private _load = async () => {
    this._error = '';
    try {
      const body = await demoRoute<{ messages: OutboxMessage[] }>('outbox');
      this._messages = body ? body.messages : null;
    } catch (err) {
      this._error = (err as Error).message;
    }
  };

  /** Places a demo order, sends its review request, and shows (and focuses) the new e-mail. */
  private _send = async () => {
    if (this._sending) return;
    this._sending = true;
    try {
      const sent = await demoRoute<{ messages: OutboxMessage[] }>('review-requests', 'POST');
      this._focus = sent?.messages[0]?.id;
      await this._load();
    } catch (err) {
      this._error = (err as Error).message;
    } finally {
      this._sending = false;
    }
  };
}

/**
 * The review page of a message's link, on this demo's origin: the link's query (request
 * and token) on `review-request.html` here, whatever host the server put in the e-mail
 * (the demo seed writes localhost:8787). Undefined for a link that is not http(s).
 */
function reviewPage(link: string): string | undefined {
  try {
    const url = new URL(link);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return `${location.origin}/review-request.html${url.search}`;
  } catch {
    return undefined;
  }
}

/** The sync example: store B's reviews, the receiver's counters and alerts, refreshed while shown. */
export class DemoSync extends LitElement {
  /** The product whose form writes to store A. */
  @property({ attribute: 'entity-id' }) entityId = '';
  /** Its name, for the form. */
  @property({ attribute: 'product-name' }) productName = '';

  @state() private _state?: SyncState | null;
  @state() private _error = '';
  /** Bumped when store B changed: the list is made again (its cache dropped). */
  @state() private _generation = 0;
  /** Stops this connection's polling (and its request in flight) on disconnect. */
  private _polling?: AbortController;
  private _writes = -1;

  override createRenderRoot() {
    return this;
  }

  override connectedCallback() {
    super.connectedCallback();
    this._polling = new AbortController();
    void this._poll(this._polling.signal);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this._polling?.abort();
  }

  override render() {
    if (this._error && !this._state) return html`<div role="alert" class="note">The sync example could not be reached: ${this._error}</div>`;
    if (this._state === undefined) return html`<p role="status">Starting the sync example…</p>`;
    if (this._state === null) return unavailable('The sync example');
    const s = this._state;
    const n = (k: keyof SyncStats) => s.stats[k] ?? 0;
    return html`<div class="two sync">
      <section aria-labelledby="sync-a">
        <h2 id="sync-a">Store A (this demo's server)</h2>
        <p>Write a review: store A sends a signed <code>review_created</code> webhook, the receiver copies the review into store B, and B's
          event about that copy comes back marked <code>originatedFrom</code> the receiver's app id, so it is skipped: no loop.</p>
        <review-form entity-id=${this.entityId} product-name=${this.productName} heading-level="3"></review-form>
      </section>
      <section aria-labelledby="sync-b">
        <h2 id="sync-b">Store B (a second server, in memory)</h2>
        <dl class="stats" aria-live="polite">
          <div><dt>Events received</dt><dd class="stat-received">${n('received')}</dd></div>
          <div><dt>Writes to the other store</dt><dd class="stat-writes">${n('writes')}</dd></div>
          <div><dt>Own changes skipped</dt><dd class="stat-skipped">${n('skippedOwn')}</dd></div>
          <div><dt>Duplicates dropped</dt><dd>${n('duplicates')}</dd></div>
          <div><dt>Refused (bad signature or shape)</dt><dd>${n('refused')}</dd></div>
        </dl>
        <h3>Alerts: new reviews rated below 3</h3>
        ${s.alerts.length
          ? html`<ul class="alerts" role="list">
              ${[...s.alerts].reverse().map(
                (a) => html`<li>
                  <strong>${a.rating} of 5 stars</strong> on <code>${a.entityId}</code> by ${a.authorName ?? 'anonymous'}${a.title ? html`: “${a.title}”` : nothing}
                  <span class="time">(store ${a.store.toUpperCase()}, ${when(a.eventTime)})</span>
                </li>`,
              )}
            </ul>`
          : html`<p class="alerts-none">None yet: write a one- or two-star review to see one.</p>`}
        <h3>Store B's reviews</h3>
        ${keyed(this._generation, html`<review-list endpoint=${s.storeB} page-size="5" no-controls></review-list>`)}
      </section>
    </div>`;
  }

  /** Reads the sync state, then again 1.5 s after each answer, until `signal` aborts or the demo has no sync example. */
  private async _poll(signal: AbortSignal) {
    let next: SyncState | undefined;
    try {
      next = await demoRoute<SyncState>('sync', 'GET', signal);
      this._error = '';
      if (next && next.stats.writes !== this._writes) {
        if (this._writes !== -1) {
          clientFor(next.storeB).invalidate();
          this._generation++;
        }
        this._writes = next.stats.writes;
      }
      this._state = next ?? null;
    } catch (err) {
      if (signal.aborted) return;
      this._error = (err as Error).message;
    }
    if (this._state === null || signal.aborted) return;
    setTimeout(() => signal.aborted || void this._poll(signal), 1500);
  }
}

customElements.define('demo-outbox', DemoOutbox);
customElements.define('demo-sync', DemoSync);

declare global {
  interface HTMLElementTagNameMap {
    'demo-outbox': DemoOutbox;
    'demo-sync': DemoSync;
  }
}
