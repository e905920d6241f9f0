/**
 * Import and export (src/server/transfer.ts) against real servers: reviews are written
 * through the HTTP API, exported, imported into fresh servers and checked through the
 * API again. The CLI commands are spawned in import-export-cli.test.ts.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { Db } from '../../src/server/db.js';
import { TransferError, exportReviews, importData, type ExportOptions, type ImportOptions } from '../../src/server/transfer.js';
import { startTestServer, type TestServer } from './helpers.js';
import { png } from './images.js';

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
const PUBLIC = 'https://shop.example';
const NOW = new Date('2030-01-02T03:04:05.678Z');
const clock = () => NOW;

/** Text that CSV and JSON must carry unchanged: quotes, commas, line breaks, emoji, RTL, a formula. */
const ODD = {
  name: 'Zoë "Z" O\'Brien, Jr.',
  title: 'Quotes "x", commas, and emoji 😀',
  body: 'Line 1\nLine 2, "quoted"\r\nעברית ومرحبا \u200fRTL\n=SUM(A1)',
};

async function exportText(db: Db, options: Partial<ExportOptions> = {}): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (d: Buffer) => chunks.push(d));
  await exportReviews(db, out, { format: 'json', publicUrl: PUBLIC, ...options });
  out.end();
  return Buffer.concat(chunks).toString('utf8');
}

function importText(db: Db, text: string, options: Partial<ImportOptions> = {}) {
  return importData(db, [Buffer.from(text)], { format: 'json', clock, ...options });
}

async function allReviews(s: TestServer): Promise<any[]> {
  const out: any[] = [];
  let cursor: string | undefined;
  do {
    const res = await s.call('POST', '/reviews/v1/reviews/query', { query: { cursorPaging: { limit: 100, ...(cursor ? { cursor } : {}) } }, returnPrivateReviews: true }, { owner: true });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    out.push(...res.body.reviews);
    cursor = res.body.metadata.cursors.next;
  } while (cursor);
  return out;
}

const owner = { owner: true };

/** A store with every kind of review the formats must carry. Returns ids by role. */
async function seedStore(s: TestServer) {
  const form = new FormData();
  form.append('file', new Blob([png(4, 3)], { type: 'image/png' }), 'photo.png');
  const upload = await s.call('POST', '/reviews/v1/media', form, owner);
  assert.equal(upload.status, 201, JSON.stringify(upload.body));
  const imageId: string = upload.body.image.id;

  const odd = await s.call('POST', '/reviews/v1/reviews', {
    review: {
      namespace: 'stores',
      entityId: 'mug',
      author: { contactId: 'contact-odd', authorName: ODD.name },
      content: {
        rating: 5,
        title: ODD.title,
        body: ODD.body,
        media: [
          { image: { url: 'https://cdn.example/a.jpg?size=1|2', altText: 'A mug, "blue"' } },
          { video: { url: 'https://cdn.example/clip.m3u8' } },
          { image: { id: imageId, altText: 'uploaded' } },
        ],
      },
      reviewDate: '2021-06-01T10:00:00.000Z',
      verified: true,
    },
  }, owner);
  assert.equal(odd.status, 200, JSON.stringify(odd.body));

  const ben = await s.call('POST', '/reviews/v1/reviews/contact', { namespace: 'stores', entityId: 'mug', name: 'Ben', email: 'Ben@Example.com', content: { rating: 4, title: 'Good', body: 'Solid.', media: [{ image: { id: imageId } }] } });
  assert.equal(ben.status, 200, JSON.stringify(ben.body));
  const benId: string = ben.body.review.id;
  assert.equal((await s.call('PATCH', `/reviews/v1/reviews/${benId}/reply`, { message: 'Thanks, Ben! "Enjoy" ✨' }, owner)).status, 200);
  for (const vote of ['HELPFUL', 'HELPFUL', 'UNHELPFUL']) {
    assert.equal((await s.call('POST', `/reviews/v1/reviews/${benId}/helpfulness`, { visitorId: randomUUID(), vote })).status, 200);
  }

  const spam = await s.call('POST', '/reviews/v1/reviews/contact', { namespace: 'stores', entityId: 'mug', name: 'Cy', email: 'cy@example.com', content: { rating: 1, title: 'Buy now', body: 'spam spam' } });
  const spamId: string = spam.body.review.id;
  assert.equal((await s.call('PATCH', `/reviews/v1/reviews/${spamId}/moderate`, { status: 'REJECTED' }, owner)).status, 200);

  const app = await s.call('POST', '/reviews/v1/reviews', {
    review: { namespace: 'stores', entityId: 'lamp', author: { contactId: 'contact-app' }, content: { rating: 3, title: null, body: null }, origin: { type: 'APP', appId: 'sync-app' } },
  }, owner);
  assert.equal(app.status, 200, JSON.stringify(app.body));

  // More reviews over two entities, some rejected, so the export merges several (namespace, status) streams.
  for (let i = 0; i < 9; i++) {
    const r = await s.call('POST', '/reviews/v1/reviews/contact', {
      namespace: i % 4 === 3 ? 'other-ns' : 'stores',
      entityId: i % 2 ? 'lamp' : 'desk',
      name: `Buyer ${i}`,
      email: `buyer${i}@example.com`,
      content: { rating: 1 + (i % 5), title: `Title ${i}`, body: `Body ${i}, with a comma` },
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    if (i % 3 === 0) assert.equal((await s.call('PATCH', `/reviews/v1/reviews/${r.body.review.id}/moderate`, { status: 'REJECTED' }, owner)).status, 200);
  }
  return { imageId, oddId: odd.body.review.id as string, benId, spamId, appId: app.body.review.id as string, total: 13 };
}

/** Empties every table of a server (a fresh store without starting another database). */
async function reset(s: TestServer): Promise<void> {
  const { rows } = await s.db.query<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT IN ('schema_migrations', 'settings')`,
  );
  await s.db.query(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(', ')} CASCADE`);
}

describe('export and import', () => {
  let target: TestServer;
  /** The second server, emptied: the fresh store an import goes to. */
  const fresh = async () => {
    await reset(target);
    return target;
  };
  let store: TestServer;
  let seeded: Awaited<ReturnType<typeof seedStore>>;
  let json: string;
  let csv: string;

  before(async () => {
    [store, target] = await Promise.all([startTestServer({ publicUrl: PUBLIC }), startTestServer({ publicUrl: PUBLIC })]);
    seeded = await seedStore(store);
    json = await exportText(store.db);
    csv = await exportText(store.db, { format: 'csv' });
  });
  after(async () => {
    await Promise.all([store?.close(), target?.close()]);
  });

  it('exports NDJSON: one API review object per line, oldest first, with reply and contact', async () => {
    assert.ok(json.endsWith('\n'));
    const lines = json.trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, seeded.total);
    const dates = lines.map((l) => l.createdDate);
    assert.deepEqual(dates, [...dates].sort(), 'oldest first');
    const byId = new Map(lines.map((l) => [l.id, l]));
    const api = (await store.call('GET', `/reviews/v1/reviews/${seeded.benId}`)).body.review;
    const ben = byId.get(seeded.benId);
    assert.deepEqual({ ...ben, contact: undefined }, { ...api, contact: undefined }, 'the API object, as the API returns it');
    assert.deepEqual(ben.contact, { email: 'ben@example.com', name: 'Ben' });
    assert.equal(ben.foundHelpful, 2);
    assert.equal(ben.reply.message, 'Thanks, Ben! "Enjoy" ✨');
    assert.equal(ben.content.media[0].image.url, `${PUBLIC}/reviews/v1/media/${encodeURIComponent(seeded.imageId)}`);
    const odd = byId.get(seeded.oddId);
    assert.equal(odd.content.body, ODD.body);
    assert.equal(odd.reply, null);
    assert.equal(odd.contact, undefined, 'a contact id with no stored contact has no contact object');
    assert.equal(odd.reviewDate, '2021-06-01T10:00:00.000Z');
    assert.equal(byId.get(seeded.spamId).moderation.moderationStatus, 'REJECTED');
    assert.deepEqual(byId.get(seeded.appId).origin, { type: 'APP', appId: 'sync-app' });
  });

  it('pages by keyset: small batches give the same bytes, and --entity / --since filter', async () => {
    assert.equal(await exportText(store.db, { batchSize: 2 }), json);
    assert.equal(await exportText(store.db, { batchSize: 1, format: 'csv' }), csv);
    const lamp = (await exportText(store.db, { entityId: 'lamp' })).trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.ok(lamp.length >= 2);
    assert.ok(lamp.every((r) => r.entityId === 'lamp'));
    assert.equal(lamp.length, json.split('\n').filter((l) => l.includes('"entityId":"lamp"')).length);
    const all = json.trimEnd().split('\n').map((l) => JSON.parse(l));
    const cut = all[5].createdDate;
    const since = (await exportText(store.db, { since: new Date(cut) })).trimEnd().split('\n').map((l) => JSON.parse(l).id);
    assert.deepEqual(since, all.filter((r) => r.createdDate >= cut).map((r) => r.id));
    assert.equal(await exportText(store.db, { entityId: 'nothing-here' }), '');
  });

  it('JSON round trip: import into a fresh server, export again: byte-identical; a second import creates nothing', async () => {
    const target = await fresh();
    const first = await importText(target.db, json);
    assert.deepEqual(
      { imported: first.imported, updated: first.updated, unchanged: first.unchanged, rejected: first.rejected, rejects: first.rejects },
      { imported: seeded.total, updated: 0, unchanged: 0, rejected: 0, rejects: [] },
    );
    assert.equal(await exportText(target.db), json, 'byte-identical, without sorting');
    const second = await importText(target.db, json);
    assert.deepEqual([second.imported, second.updated, second.unchanged, second.rejected], [0, 0, seeded.total, 0]);
    assert.equal(await exportText(target.db), json);
    // Through the API of the new server: the same reviews, replies, votes, visibility.
    const ben = (await target.call('GET', `/reviews/v1/reviews/${seeded.benId}`)).body.review;
    assert.equal(ben.helpfulness, 1);
    assert.equal(ben.reply.message, 'Thanks, Ben! "Enjoy" ✨');
    assert.equal((await target.call('GET', `/reviews/v1/reviews/${seeded.spamId}`)).status, 404, 'a rejected review stays hidden');
    assert.equal((await allReviews(target)).length, seeded.total);
    // Importing into the store it came from changes nothing either.
    const again = await importText(store.db, json);
    assert.deepEqual([again.imported, again.unchanged], [0, seeded.total]);
    assert.equal(await exportText(store.db), json);
  });

  it('CSV round trip: byte-identical after export → import → export; a second import creates nothing', async () => {
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    assert.equal(rows.length, seeded.total);
    assert.ok(csv.startsWith('id,namespace,entityId,rating,title,body,authorName,email,contactId,media,videos,status,'));
    const odd = rows.find((r) => r.id === seeded.oddId)!;
    assert.equal(odd.title, ODD.title);
    assert.equal(odd.body, ODD.body, 'a body not starting with a formula character is kept as is');
    assert.equal(odd.authorName, ODD.name);
    assert.equal(odd.media, `https://cdn.example/a.jpg?size=1%7C2|${PUBLIC}/reviews/v1/media/${encodeURIComponent(seeded.imageId)}`);
    assert.equal(odd.videos, 'https://cdn.example/clip.m3u8');
    const spam = rows.find((r) => r.id === seeded.spamId)!;
    assert.equal(spam.status, 'REJECTED');
    const ben = rows.find((r) => r.id === seeded.benId)!;
    assert.deepEqual([ben.email, ben.foundHelpful, ben.foundUnhelpful, ben.reply], ['ben@example.com', '2', '1', 'Thanks, Ben! "Enjoy" ✨']);

    const target = await fresh();
    const first = await importData(target.db, [Buffer.from(csv)], { format: 'csv', clock });
    assert.deepEqual([first.imported, first.rejected, first.ignoredColumns.length], [seeded.total, 0, 0], JSON.stringify(first.rejects));
    assert.equal(await exportText(target.db, { format: 'csv' }), csv, 'byte-identical, without sorting');
    const second = await importData(target.db, [Buffer.from(csv)], { format: 'csv', clock });
    assert.deepEqual([second.imported, second.updated, second.unchanged], [0, 0, seeded.total]);
    const odd2 = (await target.call('GET', `/reviews/v1/reviews/${seeded.oddId}`)).body.review;
    assert.equal(odd2.content.body, ODD.body);
    assert.equal(odd2.author.authorName, ODD.name);
    assert.equal(odd2.verified, true);
  });

  it('CSV cells that a spreadsheet would run as a formula are prefixed with a quote, and read back exactly', async () => {
    const s = await fresh();
    const texts = ['=1+1', '+cmd', '-2', '@SUM(A1)', "'quoted", "'=both", 'plain'];
    for (const [i, title] of texts.entries()) {
      const r = await s.call('POST', '/reviews/v1/reviews', { review: { namespace: 'stores', entityId: 'f', author: { contactId: `c${i}` }, content: { rating: 3, title } } }, owner);
      assert.equal(r.status, 200);
    }
    const out = await exportText(s.db, { format: 'csv' });
    const cells = (parse(out, { columns: true }) as Record<string, string>[]).map((r) => r.title).sort();
    assert.deepEqual(cells, ["'+cmd", "''=both", "''quoted", "'-2", "'=1+1", "'@SUM(A1)", 'plain'].sort());
    await fresh();
    await importData(target.db, [Buffer.from(out)], { format: 'csv', clock });
    assert.deepEqual((await allReviews(target)).map((r) => r.content.title).sort(), [...texts].sort());
    assert.equal(await exportText(target.db, { format: 'csv' }), out);
  });

  it('--update replaces content, dates, status and reply; without it the existing review wins', async () => {
    const target = await fresh();
    await importText(target.db, json);
    const lines = json.trimEnd().split('\n').map((l) => JSON.parse(l));
    const ben = lines.find((l) => l.id === seeded.benId);
    const changed = {
      ...ben,
      id: 'another-id-is-ignored',
      content: { ...ben.content, rating: 2, title: 'Changed my mind', media: [] },
      reviewDate: '2020-01-01T00:00:00.000Z',
      moderation: { moderationStatus: 'REJECTED', manuallyChanged: true },
      reply: null,
    };
    const edited = lines.map((l) => (l.id === seeded.benId ? changed : l)).map((l) => JSON.stringify(l)).join('\n');
    const kept = await importText(target.db, edited);
    assert.deepEqual([kept.imported, kept.updated, kept.unchanged], [0, 0, seeded.total]);
    const before = (await target.call('GET', `/reviews/v1/reviews/${seeded.benId}`)).body.review;
    assert.equal(before.content.rating, 4);

    const replaced = await importText(target.db, edited, { update: true });
    assert.deepEqual([replaced.imported, replaced.updated, replaced.unchanged, replaced.rejected], [0, 1, seeded.total - 1, 0]);
    const now = (await target.call('GET', `/reviews/v1/reviews/${seeded.benId}?returnPrivateReviews=true`, undefined, owner)).body.review;
    assert.equal(now.id, seeded.benId, 'the existing review keeps its id');
    assert.equal(now.content.rating, 2);
    assert.equal(now.content.title, 'Changed my mind');
    assert.deepEqual(now.content.media, []);
    assert.equal(now.reviewDate, '2020-01-01T00:00:00.000Z');
    assert.equal(now.createdDate, ben.createdDate);
    assert.deepEqual(now.moderation, { moderationStatus: 'REJECTED', manuallyChanged: true });
    assert.equal(now.reply, undefined);
    assert.equal(now.revision, String(Number(before.revision) + 1));
    assert.equal(now.updatedDate, NOW.toISOString());
    assert.equal(now.foundHelpful, 2, 'vote counts stay');
    const twice = await importText(target.db, edited, { update: true });
    assert.deepEqual([twice.updated, twice.unchanged], [0, seeded.total], 'an identical row is unchanged, even with --update');

    // Two rows of this author in one batch: each replaces the review as the one before left it.
    const third = { ...changed, content: { ...changed.content, rating: 3, title: 'Third thoughts' } };
    const both = [JSON.stringify({ ...changed, content: { ...changed.content, title: 'Second thoughts' } }), JSON.stringify(third)].join('\n');
    const again = await importText(target.db, both, { update: true });
    assert.deepEqual([again.imported, again.updated, again.rejected], [0, 2, 0]);
    const last = (await target.call('GET', `/reviews/v1/reviews/${seeded.benId}?returnPrivateReviews=true`, undefined, owner)).body.review;
    assert.deepEqual([last.content.rating, last.content.title, last.revision], [3, 'Third thoughts', String(Number(now.revision) + 2)]);
  });

  it('JSON rows that cannot be imported are reported with their line and the rest is imported', async () => {
    const target = await fresh();
    const good = (i: number) => JSON.stringify({ namespace: 'stores', entityId: 'p1', content: { rating: 5, title: `ok ${i}` }, contact: { email: `j${i}@example.com`, name: null } });
    const text = [
      good(1),
      '{"entityId": "p1", "content": {"rating": 5}, ',
      '',
      '[1, 2]',
      JSON.stringify({ entityId: 'p1', content: { rating: 9, media: [{ image: { url: 'javascript:alert(1)' } }] }, author: { contactId: 'c' } }),
      JSON.stringify({ entityId: 'p1', content: { rating: 4 } }),
      JSON.stringify({ id: seeded.benId, entityId: 'p2', content: { rating: 4 }, author: { contactId: 'first' } }),
      JSON.stringify({ id: seeded.benId, entityId: 'p2', content: { rating: 4 }, author: { contactId: 'second' } }),
      JSON.stringify({ entityId: 'p1', content: { rating: 4, body: 'nul \u0000 here' }, author: { contactId: 'n' } }),
      JSON.stringify({ entityId: 'p1', content: { rating: 4 }, author: { contactId: 'd' }, reviewDate: '2024-02-30T00:00:00Z' }),
      good(2),
    ].join('\r\n');
    const report = await importText(target.db, text);
    assert.deepEqual([report.imported, report.rejected], [3, 7]);
    assert.deepEqual(report.rejects.map((r) => r.line), [2, 4, 5, 6, 8, 9, 10]);
    const reason = (line: number) => report.rejects.find((r) => r.line === line)!.reason;
    assert.match(reason(2), /^not valid JSON/);
    assert.match(reason(4), /must be a JSON object/);
    assert.match(reason(5), /content\.rating must be at most 5/);
    assert.match(reason(5), /content\.media\.0\.image\.url must be an absolute http: or https: URL/);
    assert.match(reason(6), /author\.contactId or contact\.email is required/);
    assert.match(reason(8), /belongs to another review/);
    assert.match(reason(9), /content\.body contains a NUL character/);
    assert.match(reason(10), /reviewDate must be an ISO 8601 date/);
    await assert.rejects(importText(target.db, '[\n{"a": 1}\n]\n'), (err: Error) => err instanceof TransferError && /NDJSON/.test(err.message));
  });

  it('a row the database refuses is rejected alone: the batch is written again row by row', async () => {
    const target = await fresh();
    // Stands in for any refusal the validation cannot foresee (a constraint added by an operator, ...).
    await target.db.query(`CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.title = 'boom' THEN RAISE EXCEPTION 'no booms here'; END IF; RETURN NEW; END $$`);
    await target.db.query('CREATE TRIGGER refuse_boom BEFORE INSERT ON reviews FOR EACH ROW EXECUTE FUNCTION refuse_boom()');
    try {
      const line = (title: string, i: number) => JSON.stringify({ entityId: 'p1', content: { rating: 4, title }, contact: { email: `t${i}@example.com`, name: `T${i}` } });
      const text = ['fine', 'boom', 'also fine'].map(line).join('\n');
      const report = await importText(target.db, text);
      assert.deepEqual([report.imported, report.rejected], [2, 1]);
      assert.equal(report.rejects[0]!.line, 2);
      assert.match(report.rejects[0]!.reason, /^could not be stored: .*no booms here/);
      assert.deepEqual((await allReviews(target)).map((r) => r.content.title).sort(), ['also fine', 'fine']);
      const contacts = await target.db.query<{ email: string }>('SELECT email FROM contacts ORDER BY email');
      assert.deepEqual(contacts.rows.map((r) => r.email), ['t0@example.com', 't2@example.com'], 'the refused row left no contact behind');
    } finally {
      await target.db.query('DROP TRIGGER refuse_boom ON reviews');
      await target.db.query('DROP FUNCTION refuse_boom()');
    }
  });

  it('malformed CSV rows are rejected with their line numbers and reasons; the rest is imported', async () => {
    const target = await fresh();
    const report = await importData(target.db, createReadStream(`${FIXTURES}reviews-malformed.csv`), { format: 'csv', clock });
    assert.deepEqual(report.ignoredColumns, ['vendor_note']);
    assert.deepEqual(
      report.rejects,
      [
        { line: 6, reason: 'rating must be at most 5' },
        { line: 7, reason: 'rating must be a whole number (got "five")' },
        { line: 8, reason: 'email or contactId is required (the author is identified by one of them)' },
        { line: 9, reason: 'malformed CSV: unterminated quoted field (a quote opened on this line is never closed)' },
        { line: 11, reason: 'reviewDate must be an ISO 8601 date or date-time, e.g. 2024-05-01 or 2024-05-01T12:00:00Z' },
        { line: 12, reason: 'media has "javascript:alert(1)", which is not an absolute http: or https: URL' },
        { line: 13, reason: 'has 3 fields; the header has 12' },
        { line: 17, reason: 'status must be one of "UNKNOWN", "APPROVED", "IN_MODERATION", "REJECTED", "SUBMITTED"' },
      ],
    );
    assert.deepEqual([report.imported, report.unchanged, report.rejected], [4, 1, 8]);
    const reviews = await allReviews(target);
    const byTitle = new Map(reviews.map((r) => [r.content.title, r]));
    assert.deepEqual([...byTitle.keys()].sort(), ['Great mug', 'Nice "mug"', 'Still imported', '😀 שלום'].sort());
    const multi = byTitle.get('Nice "mug"');
    assert.equal(multi.content.body, 'Line one\nline two\nline three');
    assert.equal(multi.reviewDate, '2023-04-06T00:00:00.000Z');
    assert.equal(multi.createdDate, '2023-04-06T00:00:00.000Z', 'createdDate defaults to the review date');
    assert.deepEqual(multi.reply, { message: 'Thanks Ben!', createdDate: '2023-04-07T08:00:00.000Z', updatedDate: '2023-04-07T08:00:00.000Z' });
    const mug = byTitle.get('Great mug');
    assert.equal(mug.content.rating, 5, 'the first row of an author wins over a later duplicate (line 16)');
    assert.deepEqual(mug.content.media.map((m: any) => m.image.url), ['https://cdn.example/mug.jpg', 'https://cdn.example/mug-2.jpg']);
    assert.equal(byTitle.get('😀 שלום').content.body, 'مرحبا, "world"');
    assert.equal(byTitle.get('😀 שלום').moderation.moderationStatus, 'IN_MODERATION');
    assert.equal(byTitle.get('Still imported').createdDate, NOW.toISOString(), 'no date in the file: the import time');
  });

  it('a file that is not our CSV fails as a whole with a clear reason', async () => {
    const target = await fresh();
    const fail = (text: string, options: Partial<ImportOptions>, re: RegExp) =>
      assert.rejects(importData(target.db, [text], { format: 'csv', clock, ...options }), (err: Error) => err instanceof TransferError && re.test(err.message));
    await fail('', {}, /the file is empty/);
    await fail('entityId,title\np1,x\n', {}, /no "rating", "email" or "contactId" column/);
    await fail('title,body,rating,reviewer_email,product_id\nA,B,5,a@b.co,1\n', {}, /use --format judgeme/);
    await fail('rating,Rating,entityId\n', {}, /names the column "Rating" twice/);
    await fail('title,body\n', { format: 'judgeme' }, /no "rating", "reviewer_email", "product_id" columns/);
  });

  it('import records a created event per new review, and an updated event per replaced one', async () => {
    const target = await fresh();
    const received: any[] = [];
    const receiver: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const sub = await target.call('POST', '/reviews/v1/webhooks', { webhook: { url, events: ['wix.reviews.v1.review_created', 'wix.reviews.v1.review_updated'] } }, owner);
      assert.equal(sub.status, 200, JSON.stringify(sub.body));
      const two = json.split('\n').slice(0, 2).join('\n');
      await importText(target.db, two);
      const first = JSON.parse(two.split('\n')[0]!);
      await importText(target.db, JSON.stringify({ ...first, content: { ...first.content, rating: first.content.rating === 1 ? 2 : 1 } }), { update: true });
      const pass = await target.call('POST', '/reviews/v1/webhooks/deliver-now', {}, owner);
      assert.equal(pass.status, 200, JSON.stringify(pass.body));
      const types = (id: string) => received.filter((e) => e.entityId === id).map((e) => e.eventType);
      const second = JSON.parse(two.split('\n')[1]!);
      assert.equal(received.length, 3);
      assert.deepEqual(types(first.id), ['wix.reviews.v1.review_created', 'wix.reviews.v1.review_updated']);
      assert.deepEqual(types(second.id), ['wix.reviews.v1.review_created']);
      const created = received.find((e) => e.entityId === second.id);
      const { contact: _contact, reply, ...review } = second;
      assert.deepEqual(JSON.parse(created.createdEvent.entityAsJson), reply ? { ...review, reply } : review, 'the payload is the review as the API returns it');
      assert.equal(created.eventTime, NOW.toISOString());
    } finally {
      await new Promise((r) => receiver.close(r));
    }
  });

  it('an image pointing at an upload on this server is stored as that upload', async () => {
    // Exported from the store and imported back after deleting the review: the image URL is
    // the store's own media URL, so the review gets the upload (with its size), not a copy of the URL.
    const line = json.split('\n').map((l) => l && JSON.parse(l)).find((l) => l && l.id === seeded.benId);
    assert.equal((await store.call('DELETE', `/reviews/v1/reviews/${seeded.benId}`, undefined, owner)).status, 200);
    const report = await importText(store.db, JSON.stringify(line));
    assert.equal(report.imported, 1);
    const back = (await store.call('GET', `/reviews/v1/reviews/${seeded.benId}`)).body.review;
    assert.deepEqual(back.content.media[0].image, { id: seeded.imageId, width: 4, height: 3, filename: 'photo.png', altText: 'photo.png', url: `${PUBLIC}/reviews/v1/media/${encodeURIComponent(seeded.imageId)}` });
    const { contact: _contact, ...review } = line;
    assert.deepEqual(back, review);
    assert.equal(await exportText(store.db), json, 'the store exports the same bytes as before');
  });

  describe('import of a Judge.me export', () => {
    it('maps the columns, rejects bad rows with their lines, and is idempotent', async () => {
      const s = await fresh();
      const report = await importData(s.db, createReadStream(`${FIXTURES}judgeme-export.csv`), { format: 'judgeme', clock });
      assert.deepEqual(report.rejects.map((r) => r.line), [7, 8, 9, 10, 11, 13]);
      assert.deepEqual(report.ignoredColumns, ['featured']);
      assert.deepEqual([report.imported, report.rejected], [5, 6]);
      const reviews = await allReviews(s);
      const byTitle = new Map(reviews.map((r) => [r.content.title, r]));
      const top = byTitle.get('Top');
      assert.equal(top.entityId, '7012345678');
      assert.equal(top.reviewDate, '2025-03-02T10:12:00.000Z');
      assert.equal(top.createdDate, '2025-03-02T10:12:00.000Z');
      assert.equal(top.author.authorName, 'Camille Rousseau');
      assert.deepEqual(top.content.media.map((m: any) => m.image.url), ['https://judgeme.imgix.net/a.jpg', 'https://judgeme.imgix.net/b.jpg?w=100,h=80']);
      assert.equal(top.moderation.moderationStatus, 'APPROVED');
      const bof = byTitle.get('Bof');
      assert.equal(bof.moderation.moderationStatus, 'IN_MODERATION');
      assert.equal(bof.content.body, 'Pas terrible.\r\nDeuxième ligne.');
      assert.deepEqual(bof.reply, { message: 'Merci Marc, nous sommes désolés.', createdDate: '2025-01-12T09:00:00.000Z', updatedDate: '2025-01-12T09:00:00.000Z' });
      assert.equal(byTitle.get('Spam').moderation.moderationStatus, 'REJECTED');
      const genial = byTitle.get('Génial');
      assert.equal(genial.reviewDate, '2024-12-24T17:30:00.000Z');
      assert.equal(genial.author.contactId, top.author.contactId, 'one contact per e-mail, whatever its case');
      assert.equal(genial.content.body, null);
      const rtl = byTitle.get('ממש טוב 👍');
      assert.equal(rtl.verified, false, 'the extra "featured" column is ignored');
      assert.equal(rtl.content.body, 'نص عربي, مع فاصلة');

      const again = await importData(s.db, createReadStream(`${FIXTURES}judgeme-export.csv`), { format: 'judgeme', clock });
      assert.deepEqual([again.imported, again.updated, again.unchanged, again.rejected], [0, 0, 5, 6]);
      assert.equal((await allReviews(s)).length, 5);
    });

    it('--entity-from handle takes the product handle as the entity id; a verified column is read', async () => {
      const t = await fresh();
      const text = 'title,body,rating,review_date,reviewer_name,reviewer_email,product_id,product_handle,verified\nA,B,4,2024-01-01,Ann,ann@example.com,,blue-mug,buyer\nC,D,5,2024-01-02,Bo,bo@example.com,,blue-mug,nothing\n';
      const report = await importData(t.db, [text], { format: 'judgeme', entityFrom: 'handle', clock });
      assert.equal(report.imported, 2, JSON.stringify(report.rejects));
      const reviews = await allReviews(t);
      assert.deepEqual(reviews.map((r) => [r.entityId, r.author.authorName, r.verified]).sort(), [['blue-mug', 'Ann', true], ['blue-mug', 'Bo', false]]);
      const byId = await importData(t.db, [text], { format: 'judgeme', clock });
      assert.deepEqual(byId.rejects, [{ line: 2, reason: 'product_id is required' }, { line: 3, reason: 'product_id is required' }]);
    });
  });

  describe('import of products and orders', () => {
    it('imports products and orders from CSV (one row per order item), then from NDJSON, idempotently', async () => {
      const s = await fresh();
      const products = [
        'id,name,price,currency,imageUrl,url',
        'mug,"Mug, blue",12.50,EUR,https://cdn.example/mug.jpg,https://shop.example/mug',
        'lamp,Lamp,40,EUR,,',
        'bad,Bad price,12.5.0,EUR,,',
        'evil,Evil,1,EUR,javascript:alert(1),',
      ].join('\n');
      const p = await importData(s.db, [products], { format: 'csv', clock });
      assert.equal(p.kind, 'products');
      assert.deepEqual([p.imported, p.rejected], [2, 2], JSON.stringify(p.rejects));
      assert.deepEqual(p.rejects.map((r) => r.line), [4, 5]);
      assert.match(p.rejects[0]!.reason, /^price must be a non-negative decimal string/);
      assert.match(p.rejects[1]!.reason, /^imageUrl must be an absolute http: or https: URL/);
      const mug = await s.call('GET', '/reviews/v2/store/products/mug', undefined, owner);
      assert.deepEqual([mug.body.product.name, mug.body.product.price], ['Mug, blue', { amount: '12.50', currency: 'EUR' }]);

      const orders = [
        'orderId,number,email,name,createdDate,catalogItemId,quantity,price,currency',
        'o-1,1001,Ann@Example.com,Ann,2024-03-01T10:00:00Z,mug,2,11.00,EUR',
        'o-1,,,,,lamp,1,,',
        'o-2,1002,bob@example.com,Bob,,lamp,,,',
        'o-3,1003,cy@example.com,,,mug,zero,,',
        'o-3,,,,,lamp,1,,',
        'o-4,1004,dee@example.com,,,ghost,1,,',
        'o-1,1001,ann@example.com,,,mug,1,,',
      ].join('\n');
      const o = await importData(s.db, [orders], { format: 'csv', clock });
      assert.equal(o.kind, 'orders');
      assert.deepEqual([o.imported, o.rejected], [2, 4], JSON.stringify(o.rejects));
      assert.deepEqual([...o.rejects].sort((a, b) => a.line - b.line), [
        { line: 5, reason: 'quantity must be a whole number (got "zero")' },
        { line: 6, reason: 'order "o-3" was not imported: line 5 has an error' },
        { line: 7, reason: 'catalogItemId "ghost" is not in the catalog: upsert the product first (PUT /reviews/v2/store/products)' },
        { line: 8, reason: 'the rows of order "o-1" must be consecutive (its earlier rows end on line 3)' },
      ]);
      const o1 = (await s.call('GET', '/reviews/v2/store/orders/o-1', undefined, owner)).body.order;
      assert.equal(o1.contact.email, 'ann@example.com');
      assert.equal(o1.createdDate, '2024-03-01T10:00:00.000Z');
      assert.deepEqual(o1.items, [
        { catalogItemId: 'mug', quantity: 2, price: { amount: '11.00', currency: 'EUR' } },
        { catalogItemId: 'lamp', quantity: 1, price: { amount: '40', currency: 'EUR' } },
      ]);

      // NDJSON, kind inferred from the objects; the existing product wins unless --update.
      const ndjson = `${JSON.stringify({ id: 'mug', name: 'Mug, red', price: { amount: '13.00', currency: 'EUR' } })}\n${JSON.stringify({ id: 'desk', name: 'Desk', price: { amount: '99', currency: 'EUR' } })}\n`;
      const j1 = await importData(s.db, [ndjson], { format: 'json', clock });
      assert.deepEqual([j1.kind, j1.imported, j1.unchanged, j1.updated], ['products', 1, 1, 0]);
      const j2 = await importData(s.db, [ndjson], { format: 'json', update: true, clock });
      assert.deepEqual([j2.imported, j2.updated, j2.unchanged], [0, 1, 1]);
      assert.equal((await s.call('GET', '/reviews/v2/store/products/mug', undefined, owner)).body.product.name, 'Mug, red');
      const order = JSON.stringify({ id: 'o-9', number: 9, contact: { email: 'zed@example.com' }, items: [{ catalogItemId: 'desk' }] });
      const oj = await importData(s.db, [order], { format: 'json', clock });
      assert.deepEqual([oj.kind, oj.imported], ['orders', 1]);
      const again = await importData(s.db, [orders], { format: 'csv', update: true, clock });
      assert.deepEqual([again.imported, again.updated, again.unchanged], [0, 0, 2], 'identical orders are unchanged');
    });
  });
});
