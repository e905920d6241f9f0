/**
 * Sending review request messages: the pluggable `Sender`, the default outbox sender
 * (keeps each message in the `mail_outbox` table, listed by `GET /reviews/v2/outbox`),
 * the SMTP sender (nodemailer) and the message itself (subject, text and HTML).
 *
 * A sender is called inside the transaction that marks the request SENT or FAILED, with
 * the request's row locked: the outbox sender writes in that transaction (the message
 * exists if and only if the request is SENT), and no two servers send one request twice.
 */
import { randomUUID } from 'node:crypto';
import type { FailureReason } from '../api/review-requests.js';
import { isHttpUrl } from '../api/schema.js';
import type { Queryable } from './db.js';
import { fieldError } from './errors.js';

/** One message, rendered and addressed. */
export interface OutgoingMessage {
  reviewRequestId: string;
  /** The recipient's e-mail address. */
  to: string;
  toName: string | null;
  subject: string;
  text: string;
  html: string;
  /** The personal link to the review page (also inside text and html). */
  reviewUrl: string;
}

/**
 * What became of a message: `sent`; `failed` for good (the request becomes FAILED with
 * this reason); `retry` when the failure is temporary (server unreachable, 4xx reply):
 * the request stays SCHEDULED and the next pass tries again.
 */
export type SendOutcome =
  | { status: 'sent' }
  | { status: 'failed'; reason: FailureReason; message: string }
  | { status: 'retry'; message: string };

/** Delivers review request messages. Implement it to send through another provider. */
export interface Sender {
  /** Short name for logs and the send-due report (`outbox`, `smtp`). */
  readonly name: string;
  /**
   * Sends one message. `tx` is the transaction that records the outcome (write there, not
   * through another connection); `now` is the server clock. Throwing aborts the pass and
   * leaves the request SCHEDULED.
   */
  send(message: OutgoingMessage, context: { tx: Queryable; now: Date }): Promise<SendOutcome>;
  /** Releases connections, if the sender holds any. */
  close?(): Promise<void>;
}

// ---------------------------------------------------------------------------
// Outbox sender (default)
// ---------------------------------------------------------------------------

/** A message kept by the outbox sender. */
export interface OutboxMessage {
  id: string;
  reviewRequestId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  reviewUrl: string;
  createdDate: string;
}

/** The default sender: stores every message in `mail_outbox` and sends nothing. */
export function outboxSender(): Sender {
  return {
    name: 'outbox',
    async send(message, { tx, now }) {
      await tx.query(
        `INSERT INTO mail_outbox (id, review_request_id, to_address, to_name, subject, text_body, html_body, review_url, created_date)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [randomUUID(), message.reviewRequestId, message.to, message.toName, message.subject, message.text, message.html, message.reviewUrl, now],
      );
      return { status: 'sent' };
    },
  };
}

interface OutboxRow {
  id: string;
  review_request_id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  review_url: string;
  created_date: Date | string;
}

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

/**
 * Lists outbox messages, newest first, `limit` (1-100, default 20) at a time. The cursor
 * is the opaque `pagingMetadata.cursors.next` of the previous page.
 */
export async function listOutbox(
  db: Queryable,
  options: { limit?: number; cursor?: string | null; reviewRequestId?: string | null },
): Promise<{ messages: OutboxMessage[]; pagingMetadata: { count: number; cursors: { next?: string }; hasNext: boolean } }> {
  const limit = options.limit ?? 20;
  const params: unknown[] = [];
  const where: string[] = [];
  if (options.reviewRequestId) {
    params.push(options.reviewRequestId);
    where.push(`review_request_id = $${params.length}`);
  }
  if (options.cursor) {
    const after = decodeOutboxCursor(options.cursor);
    params.push(after.createdDate, after.id);
    where.push(`(created_date, id) < ($${params.length - 1}::timestamptz, $${params.length}::text)`);
  }
  const { rows } = await db.query<OutboxRow>(
    `SELECT id, review_request_id, to_address, subject, text_body, html_body, review_url, created_date FROM mail_outbox
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_date DESC, id DESC LIMIT ${limit + 1}`,
    params,
  );
  const page = rows.slice(0, limit);
  const hasNext = rows.length > limit;
  const last = page.at(-1);
  return {
    messages: page.map((r) => ({
      id: r.id,
      reviewRequestId: r.review_request_id,
      to: r.to_address,
      subject: r.subject,
      text: r.text_body,
      html: r.html_body,
      reviewUrl: r.review_url,
      createdDate: iso(r.created_date),
    })),
    pagingMetadata: {
      count: page.length,
      cursors: hasNext && last ? { next: Buffer.from(JSON.stringify([iso(last.created_date), last.id])).toString('base64url') } : {},
      hasNext,
    },
  };
}

function decodeOutboxCursor(cursor: string): { createdDate: string; id: string } {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' &&
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(v[0]) && !Number.isNaN(Date.parse(v[0])) &&
      v[1].length <= 100 && !v[1].includes('\u0000')
    ) {
      return { createdDate: v[0], id: v[1] };
    }
  } catch {
    /* fall through */
  }
  throw fieldError('cursor', 'is not a cursor this server issued (or it was altered)');
}

// ---------------------------------------------------------------------------
// SMTP sender
// ---------------------------------------------------------------------------

export interface SmtpSenderOptions {
  /** `smtp://user:pass@host:587` or `smtps://...:465` (nodemailer connection URL). */
  url: string;
  /** The From header, e.g. `Storefront <reviews@example.com>`. */
  from: string;
}

/**
 * Sends through an SMTP server with nodemailer. A 5xx reply to the recipient is a bounce
 * (FAILED, `BOUNCED`); another 5xx is a permanent failure (`UNKNOWN_FAILURE_REASON`);
 * anything temporary (no connection, time-out, 4xx, authentication) is retried on the next
 * pass, so an SMTP outage delays messages instead of failing them.
 */
export async function smtpSender(options: SmtpSenderOptions): Promise<Sender> {
  const nodemailer = (await import('nodemailer')).default;
  // Short time-outs: a message is sent while its request row is locked.
  const transport = nodemailer.createTransport(
    { url: options.url, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 },
    { from: options.from },
  );
  return {
    name: 'smtp',
    async send(message) {
      try {
        await transport.sendMail({
          to: message.toName ? { name: message.toName, address: message.to } : message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          headers: { 'X-Review-Request-Id': message.reviewRequestId },
        });
        return { status: 'sent' };
      } catch (err) {
        return classifySmtpError(err);
      }
    },
    async close() {
      transport.close();
    },
  };
}

/** Sorts a nodemailer error into a bounce, another permanent failure, or a retry. */
export function classifySmtpError(err: unknown): SendOutcome {
  const e = (err ?? {}) as { responseCode?: unknown; command?: unknown; response?: unknown; message?: unknown; code?: unknown; rejected?: unknown };
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const text = String(e.response ?? e.message ?? 'unknown error').slice(0, 500);
  if (code !== undefined && code >= 500) {
    const toRecipient = String(e.command ?? '').toUpperCase().startsWith('RCPT') || (Array.isArray(e.rejected) && e.rejected.length > 0);
    return toRecipient
      ? { status: 'failed', reason: 'BOUNCED', message: `The mail server refused the recipient: ${text}` }
      : { status: 'failed', reason: 'UNKNOWN_FAILURE_REASON', message: `The mail server refused the message: ${text}` };
  }
  return { status: 'retry', message: `${e.code ? `${String(e.code)}: ` : ''}${text}` };
}

// ---------------------------------------------------------------------------
// The message
// ---------------------------------------------------------------------------

export interface ReviewRequestMessageInput {
  storeName: string;
  recipientName: string | null;
  orderNumber: string | null;
  products: readonly { name: string; imageUrl: string | null; url: string | null }[];
  reviewUrl: string;
  expires: Date;
}

/** Escapes text for HTML content and double-quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** Header values must stay on one line. */
const oneLine = (s: string) => s.replace(/[\r\n\t]+/g, ' ').trim();

const dateFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' });

/**
 * Renders the message asking a customer to review what they bought. Every value from the
 * catalog, the order or the contact is escaped in the HTML; only http(s) image and
 * product links are used.
 */
export function renderReviewRequestMessage(input: ReviewRequestMessageInput): { subject: string; text: string; html: string } {
  const store = oneLine(input.storeName);
  const name = input.recipientName ? oneLine(input.recipientName) : null;
  const order = input.orderNumber ? oneLine(input.orderNumber) : null;
  const names = input.products.map((p) => oneLine(p.name));
  const one = names.length === 1;
  const subject = one ? `How is your ${names[0]}? Review it for ${store}` : `How was your order${order ? ` #${order}` : ''}? Review it for ${store}`;
  const until = dateFormat.format(input.expires);
  const thanks = `Thank you for your ${order ? `order #${order}` : 'order'} from ${store}.`;
  const ask = one ? 'How are you getting on with it? A short review helps other customers choose.' : 'How are you getting on with these? A short review helps other customers choose.';

  const text = [
    `Hi ${name ?? 'there'},`,
    '',
    thanks,
    ask,
    '',
    ...names.map((n) => `  - ${n}`),
    '',
    'Write your review here:',
    input.reviewUrl,
    '',
    `This link is personal to you and works until ${until}.`,
    '',
    store,
  ].join('\n');

  const productRows = input.products
    .map((p, i) => {
      const label = escapeHtml(names[i]!);
      const img = p.imageUrl && isHttpUrl(p.imageUrl)
        ? `<img src="${escapeHtml(p.imageUrl)}" alt="" width="64" height="64" style="display:block;border-radius:6px;object-fit:cover">`
        : '';
      const title = p.url && isHttpUrl(p.url) ? `<a href="${escapeHtml(p.url)}" style="color:#1a1a1a">${label}</a>` : label;
      return `<tr><td style="padding:8px 12px 8px 0;width:64px">${img}</td><td style="padding:8px 0;font-size:16px">${title}</td></tr>`;
    })
    .join('');
  const href = escapeHtml(input.reviewUrl);
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:24px;background:#f6f6f4;font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#1a1a1a">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">
<p style="font-size:16px">Hi ${name ? escapeHtml(name) : 'there'},</p>
<p style="font-size:16px">${escapeHtml(thanks)} ${escapeHtml(ask)}</p>
<table role="presentation" style="border-collapse:collapse;margin:8px 0 16px">${productRows}</table>
<p><a href="${href}" style="display:inline-block;background:#1f4e8c;color:#ffffff;text-decoration:none;padding:12px 20px;border-radius:6px;font-size:16px">Write your review</a></p>
<p style="font-size:14px;color:#555555">Or open this link: <a href="${href}" style="color:#1f4e8c">${href}</a><br>
It is personal to you and works until ${escapeHtml(until)}.</p>
<p style="font-size:14px;color:#555555">${escapeHtml(store)}</p>
</div></body></html>`;
  return { subject, text, html };
}
