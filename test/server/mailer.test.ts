/**
 * The review request message and the SMTP sender. SMTP is tested against a tiny SMTP
 * server on 127.0.0.1 (just enough of RFC 5321 for nodemailer): nothing is mailed anywhere.
 */
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { classifySmtpError, escapeHtml, renderReviewRequestMessage } from '../../src/server/mailer.js';
import { startTestServer, type TestServer } from './helpers.js';

const owner = { owner: true };
const R = '/reviews/v2/review-requests';

interface Received {
  from: string;
  to: string[];
  data: string;
}

/** A minimal SMTP server. `rcpt` decides the reply to each RCPT TO, `data` the reply after DATA. */
async function smtpServer(behaviour: { rcpt?: (line: string) => string; data?: () => string } = {}) {
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setEncoding('latin1');
    let buffer = '';
    let inData = false;
    let current: Received = { from: '', to: [], data: '' };
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 test.local ESMTP ready');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          // Undo dot-stuffing (RFC 5321 4.5.2).
          current.data = buffer.slice(0, end).split('\r\n').map((l) => (l.startsWith('.') ? l.slice(1) : l)).join('\r\n');
          buffer = buffer.slice(end + 5);
          inData = false;
          const answer = behaviour.data?.() ?? '250 2.0.0 queued';
          if (answer.startsWith('250')) received.push(current);
          current = { from: '', to: [], data: '' };
          reply(answer);
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') socket.write('250-test.local\r\n250 8BITMIME\r\n');
        else if (verb === 'HELO') reply('250 test.local');
        else if (verb === 'MAIL') {
          current = { from: line, to: [], data: '' };
          reply('250 2.1.0 ok');
        } else if (verb === 'RCPT') {
          const answer = behaviour.rcpt?.(line) ?? '250 2.1.5 ok';
          if (answer.startsWith('250')) current.to.push(line);
          reply(answer);
        } else if (verb === 'DATA') {
          inData = true;
          reply('354 go ahead');
        } else if (verb === 'RSET') {
          current = { from: '', to: [], data: '' };
          reply('250 ok');
        } else if (verb === 'NOOP') reply('250 ok');
        else if (verb === 'QUIT') {
          reply('221 bye');
          socket.end();
        } else reply('502 5.5.2 not implemented');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Decodes a quoted-printable body part (nodemailer's encoding for long text lines). */
function unQuotedPrintable(s: string): string {
  return Buffer.from(s.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
}

describe('review request message', () => {
  const base = {
    storeName: 'Shop "A" & <B>',
    recipientName: '<img src=x onerror=alert(1)>',
    orderNumber: '77\r\nBcc: victim@example.com',
    products: [
      { name: '<script>alert(1)</script>', imageUrl: 'javascript:alert(1)', url: 'https://shop.example/p?a=1&b="2"' },
      { name: 'Plain', imageUrl: 'https://img.example/p.png', url: 'data:text/html,hi' },
    ],
    reviewUrl: 'https://shop.example/review?reviewRequest=1&token=abc',
    expires: new Date('2030-01-31T23:59:59Z'),
  };

  it('escapes every untrusted value in the HTML and keeps only http(s) links', () => {
    const { html } = renderReviewRequestMessage(base);
    assert.ok(!html.includes('<script>'));
    assert.ok(!html.includes('<img src=x'));
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(html.includes('Hi &lt;img src=x onerror=alert(1)&gt;,'));
    assert.ok(html.includes('Shop &quot;A&quot; &amp; &lt;B&gt;'));
    assert.ok(!html.includes('javascript:'));
    assert.ok(!html.includes('data:text/html'));
    assert.ok(html.includes('href="https://shop.example/p?a=1&amp;b=&quot;2&quot;"'));
    assert.ok(html.includes('src="https://img.example/p.png"'));
    assert.ok(html.includes('href="https://shop.example/review?reviewRequest=1&amp;token=abc"'));
    assert.ok(html.includes('31 January 2030'));
  });

  it('keeps the subject on one line and the text readable', () => {
    const { subject, text } = renderReviewRequestMessage(base);
    assert.ok(!/[\r\n]/.test(subject), subject);
    assert.match(subject, /Shop "A" & <B>/);
    assert.ok(text.includes('  - <script>alert(1)</script>'));
    assert.ok(text.includes(base.reviewUrl));
    assert.ok(!text.includes('\r'));
    const one = renderReviewRequestMessage({ ...base, products: [base.products[1]!], orderNumber: null, recipientName: null });
    assert.equal(one.subject, 'How is your Plain? Review it for Shop "A" & <B>');
    assert.ok(one.text.startsWith('Hi there,'));
  });

  it('escapes the five HTML specials', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('classifies SMTP errors: recipient refused, message refused, temporary', () => {
    assert.deepEqual(classifySmtpError({ responseCode: 550, command: 'RCPT TO', response: '550 no such user' }).status, 'failed');
    assert.equal((classifySmtpError({ responseCode: 550, command: 'RCPT TO', response: '550 no such user' }) as { reason: string }).reason, 'BOUNCED');
    assert.equal((classifySmtpError({ responseCode: 554, command: 'DATA', response: '554 spam' }) as { reason: string }).reason, 'UNKNOWN_FAILURE_REASON');
    assert.equal(classifySmtpError({ responseCode: 451, command: 'RCPT TO' }).status, 'retry');
    assert.equal(classifySmtpError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }).status, 'retry');
    assert.equal(classifySmtpError(undefined).status, 'retry');
  });
});

describe('SMTP sender', () => {
  let now = new Date('2033-04-01T08:00:00.000Z');
  const clock = () => now;

  async function serverWith(smtp: string): Promise<{ server: TestServer; contactId: string }> {
    const server = await startTestServer({ clock, schedulerIntervalMs: 0, smtp, mailFrom: 'Ada Shop <shop@example.com>', storeName: 'Ada Shop' });
    await server.call('PUT', '/reviews/v2/store/products', { products: [{ id: 'lamp', name: 'Desk Lamp', price: { amount: '40.00', currency: 'EUR' } }] }, owner);
    const res = await server.call('PUT', '/reviews/v2/store/orders', {
      orders: [
        { id: 'o-ok', number: 1, contact: { email: 'buyer@example.com', name: 'Bea Buyer' }, items: [{ catalogItemId: 'lamp' }] },
        { id: 'o-bounce', number: 2, contact: { email: 'bounce@example.com' }, items: [{ catalogItemId: 'lamp' }] },
      ],
    }, owner);
    return { server, contactId: res.body.results[0].item.contactId };
  }

  const request = async (server: TestServer, orderId: string) => {
    const order = (await server.call('GET', `/reviews/v2/store/orders/${orderId}`, undefined, owner)).body.order;
    const res = await server.call('POST', R, { reviewRequest: { order: { id: orderId }, recipient: { contactId: order.contactId }, communicationChannel: 'EMAIL' } }, owner);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.reviewRequest.id as string;
  };
  const sendDue = async (server: TestServer) => (await server.call('POST', `${R}/send-due`, {}, owner)).body;
  const status = async (server: TestServer, id: string) => (await server.call('GET', `${R}/${id}`, undefined, owner)).body.reviewRequest;

  let smtp: Awaited<ReturnType<typeof smtpServer>>;
  let server: TestServer;
  before(async () => {
    smtp = await smtpServer({ rcpt: (line) => (/bounce@/i.test(line) ? '550 5.1.1 no such mailbox' : '250 2.1.5 ok') });
    ({ server } = await serverWith(smtp.url));
  });
  after(async () => {
    await server?.close();
    await smtp?.close();
  });

  it('delivers the message over SMTP and marks the request SENT', async () => {
    const id = await request(server, 'o-ok');
    const pass = await sendDue(server);
    assert.equal(pass.sent, 1, JSON.stringify(pass));
    assert.equal((await status(server, id)).status, 'SENT');
    assert.equal(smtp.received.length, 1);
    const mail = smtp.received[0]!;
    assert.match(mail.from, /MAIL FROM:<shop@example\.com>/);
    assert.deepEqual(mail.to.map((l) => /<(.*)>/.exec(l)![1]), ['buyer@example.com']);
    assert.match(mail.data, /^From: Ada Shop <shop@example\.com>$/m);
    assert.match(mail.data, /^To: Bea Buyer <buyer@example\.com>$/m);
    assert.match(mail.data, /^Subject: How is your Desk Lamp\? Review it for Ada Shop$/m);
    assert.match(mail.data, new RegExp(`^X-Review-Request-Id: ${id}$`, 'mi'));
    assert.match(mail.data, /multipart\/alternative/);
    const body = unQuotedPrintable(mail.data);
    const link = /https?:\/\/\S+review-request\.html\?reviewRequest=[^\s"<]+/.exec(body)?.[0];
    assert.ok(link, body);
    const url = new URL(link.replace(/&amp;/g, '&'));
    assert.equal(url.searchParams.get('reviewRequest'), id);
    // The mailed link works on the review page's form route.
    const form = await server.call('GET', `${R}/${id}/form?token=${encodeURIComponent(url.searchParams.get('token')!)}`);
    assert.equal(form.status, 200, JSON.stringify(form.body));
    assert.equal(form.body.reviewRequest.recipient.name, 'Bea Buyer');
    // The SMTP sender keeps nothing in the outbox.
    const outbox = await server.call('GET', '/reviews/v2/outbox', undefined, owner);
    assert.deepEqual(outbox.body.messages, []);
  });

  it('marks a refused recipient FAILED with BOUNCED', async () => {
    const id = await request(server, 'o-bounce');
    const pass = await sendDue(server);
    assert.equal(pass.failed, 1, JSON.stringify(pass));
    const failed = await status(server, id);
    assert.equal(failed.status, 'FAILED');
    assert.equal(failed.failedOptions.reason, 'BOUNCED');
    assert.match(failed.failedOptions.message, /550 5\.1\.1 no such mailbox/);
  });

  it('keeps requests SCHEDULED while the mail server is unreachable or says "try later", and sends them afterwards', async () => {
    // A port nobody listens on: connection refused.
    const closed = await smtpServer();
    const deadUrl = closed.url;
    await closed.close();
    const dead = await serverWith(deadUrl);
    let later: Awaited<ReturnType<typeof smtpServer>> | undefined;
    let busyServer: TestServer | undefined;
    try {
      const id = await request(dead.server, 'o-ok');
      const pass = await sendDue(dead.server);
      assert.equal(pass.sent + pass.failed, 0, JSON.stringify(pass));
      assert.equal(pass.deferred, 1);
      assert.match(pass.deferredReason, /ECONNREFUSED|ECONNECTION|connect/i);
      assert.equal((await status(dead.server, id)).status, 'SCHEDULED');

      let busy = true;
      later = await smtpServer({ rcpt: () => (busy ? '451 4.7.1 greylisted, try again later' : '250 ok') });
      ({ server: busyServer } = await serverWith(later.url));
      const id2 = await request(busyServer, 'o-ok');
      const first = await sendDue(busyServer);
      assert.equal(first.deferred, 1, JSON.stringify(first));
      assert.match(first.deferredReason, /451/);
      assert.equal((await status(busyServer, id2)).status, 'SCHEDULED');
      busy = false;
      now = new Date(now.getTime() + 60_000);
      const second = await sendDue(busyServer);
      assert.equal(second.sent, 1, JSON.stringify(second));
      assert.equal((await status(busyServer, id2)).status, 'SENT');
      assert.equal(later.received.length, 1);
    } finally {
      await dead.server.close();
      await busyServer?.close();
      await later?.close();
    }
  });

  it('marks a message refused after DATA FAILED', async () => {
    const strict = await smtpServer({ data: () => '554 5.7.1 message rejected as spam' });
    const { server: s } = await serverWith(strict.url);
    try {
      const id = await request(s, 'o-ok');
      const pass = await sendDue(s);
      assert.equal(pass.failed, 1, JSON.stringify(pass));
      const failed = await status(s, id);
      assert.equal(failed.failedOptions.reason, 'UNKNOWN_FAILURE_REASON');
      assert.match(failed.failedOptions.message, /554 5\.7\.1/);
    } finally {
      await s.close();
      await strict.close();
    }
  });
});
