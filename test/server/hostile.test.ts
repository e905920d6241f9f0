/**
 * Hostile input: malformed JSON, wrong types, unknown fields, filters naming unknown
 * fields or SQL fragments, unsupported operators, tampered cursors, NUL characters,
 * oversized bodies and non-http media URLs. Each must get a 4xx with a clear message
 * in the Wix envelope (never a 500), and must leave the data exactly as it was.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { reviewBody, startTestServer, type TestServer } from './helpers.js';

const MB = 1024 * 1024;

describe('hostile input', () => {
  let server: TestServer;
  let id: string;
  const owner = { owner: true };

  before(async () => {
    server = await startTestServer();
    // A small catalogue: two products, one review of which is rejected (private).
    for (const [entityId, rating] of [['p1', 5], ['p1', 4], ['p1', 2], ['p2', 3], ['p2', 1]] as const) {
      const res = await server.call('POST', '/reviews/v1/reviews', reviewBody({ entityId, rating, body: `Review ${entityId}/${rating}` }), owner);
      assert.equal(res.status, 200);
      id ??= res.body.review.id;
    }
    const visitor = await server.call('POST', '/reviews/v1/reviews/contact', { namespace: 'stores', entityId: 'p2', name: 'V', email: 'v@example.com', content: { rating: 2 } });
    assert.equal(visitor.status, 200);
    const rejected = await server.call('PATCH', `/reviews/v1/reviews/${visitor.body.review.id}/moderate`, { status: 'REJECTED' }, owner);
    assert.equal(rejected.status, 200);
    const reply = await server.call('PATCH', `/reviews/v1/reviews/${id}/reply`, { message: 'Thanks' }, owner);
    assert.equal(reply.status, 200);
  });
  after(() => server.close());

  /** Everything an owner can see, plus the stored media and contacts. */
  async function snapshot() {
    const all = await server.call(
      'POST',
      '/reviews/v1/reviews/query',
      { query: { sort: [{ fieldName: 'createdDate' }], cursorPaging: { limit: 100 } }, returnPrivateReviews: true },
      owner,
    );
    assert.equal(all.status, 200);
    const count = await server.call('POST', '/reviews/v1/reviews/count', { includePrivateReviews: true }, owner);
    const media = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM media');
    const contacts = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM contacts');
    return { reviews: all.body.reviews, count: count.body.count, media: Number(media.rows[0]!.n), contacts: Number(contacts.rows[0]!.n) };
  }

  /** Runs a request that must be refused with `status` and change nothing. */
  async function refused(
    method: string,
    path: string,
    body: unknown,
    init: { owner?: boolean; headers?: Record<string, string> },
    status: number,
  ) {
    const before = await snapshot();
    const res = await server.call(method, path, body, init);
    assert.equal(res.status, status, `${method} ${path}: ${JSON.stringify(res.body)?.slice(0, 500)}`);
    assert.equal(typeof res.body?.message, 'string', 'the answer is a Wix error envelope');
    assert.ok(res.body.message.length > 5);
    assert.ok(res.body.details.applicationError || res.body.details.validationError);
    assert.deepEqual(await snapshot(), before, 'the data must not change');
    return res;
  }

  const violations = (res: { body: any }) => res.body.details.validationError.fieldViolations.map((v: any) => v.field);

  interface JsonRoute {
    name: string;
    method: string;
    path: () => string;
    owner: boolean;
  }
  const JSON_ROUTES: JsonRoute[] = [
    { name: 'Create Review', method: 'POST', path: () => '/reviews/v1/reviews', owner: true },
    { name: 'Create Review And Contact', method: 'POST', path: () => '/reviews/v1/reviews/contact', owner: false },
    { name: 'Query Reviews', method: 'POST', path: () => '/reviews/v1/reviews/query', owner: false },
    { name: 'Count Reviews', method: 'POST', path: () => '/reviews/api/v1/reviews/count', owner: false },
    { name: 'Update Review', method: 'PATCH', path: () => `/reviews/v1/reviews/${id}`, owner: true },
    { name: 'Set Reply', method: 'PATCH', path: () => `/reviews/v1/reviews/${id}/reply`, owner: true },
    { name: 'Update Moderation Status', method: 'PATCH', path: () => `/reviews/v1/reviews/${id}/moderate`, owner: true },
    { name: 'Vote', method: 'POST', path: () => `/reviews/v1/reviews/${id}/helpfulness`, owner: false },
    { name: 'Bulk Create', method: 'POST', path: () => '/reviews/v1/bulk/reviews/create', owner: true },
    { name: 'Bulk Delete', method: 'POST', path: () => '/reviews/v1/bulk/reviews/delete', owner: true },
    { name: 'Bulk Moderate', method: 'POST', path: () => '/reviews/v1/bulk/reviews/moderate', owner: true },
    { name: 'Attribute averages', method: 'POST', path: () => '/ratings/v1/ratings/groups/stores/attributes/average', owner: false },
  ];
  const json = { 'Content-Type': 'application/json' };

  describe('malformed JSON', () => {
    const MALFORMED: [string, string][] = [
      ['an unclosed object', '{"review": {"namespace": "stores"'],
      ['single quotes', "{'filter': {}}"],
      ['trailing garbage', '{"filter": {}}}'],
      ['a bare word', 'nul'],
      ['NaN', '{"filter": NaN}'],
      ['a raw control character in a string', '{"message": "a\u0001b"}'],
    ];
    for (const route of JSON_ROUTES) {
      for (const [what, text] of MALFORMED) {
        it(`${route.name}: ${what} → 400 MALFORMED_JSON`, async () => {
          const res = await refused(route.method, route.path(), text, { owner: route.owner, headers: json }, 400);
          assert.equal(res.body.details.applicationError.code, 'MALFORMED_JSON');
          assert.match(res.body.message, /not valid JSON/);
        });
      }
    }
  });

  describe('bodies that are not objects', () => {
    for (const route of JSON_ROUTES) {
      for (const text of ['[]', 'null', '"review"', '42', 'true', '[{"filter": {}}]']) {
        it(`${route.name}: ${text} → 400`, async () => {
          const res = await refused(route.method, route.path(), text, { owner: route.owner, headers: json }, 400);
          assert.deepEqual(violations(res), ['(body)']);
          assert.match(res.body.message, /must be an object/);
        });
      }
    }

    it('an empty body is refused where one is required', async () => {
      const res = await refused('POST', '/reviews/v1/reviews', '', { owner: true, headers: json }, 400);
      assert.match(res.body.message, /empty/);
    });
  });

  describe('wrong types', () => {
    const valid = () => reviewBody({ entityId: `t-${randomUUID().slice(0, 8)}` }).review;
    const cases: [string, () => unknown, string, RegExp][] = [
      ['rating as a string', () => ({ review: { ...valid(), content: { rating: '5' } } }), 'review.content.rating', /must be a number \(got string\)/],
      ['rating as a fraction', () => ({ review: { ...valid(), content: { rating: 4.5 } } }), 'review.content.rating', /integer/],
      ['rating too big to be a number', () => '{"review": {"namespace": "stores", "entityId": "x", "author": {"contactId": "c"}, "content": {"rating": 1e400}}}', 'review.content.rating', /./],
      ['namespace as a number', () => ({ review: { ...valid(), namespace: 5 } }), 'review.namespace', /got number/],
      ['namespace with SQL in it', () => ({ review: { ...valid(), namespace: "stores'; DROP TABLE reviews; --" } }), 'review.namespace', /format/],
      ['author as a string', () => ({ review: { ...valid(), author: 'Robert' } }), 'review.author', /must be an object \(got string\)/],
      ['content as an array', () => ({ review: { ...valid(), content: [5] } }), 'review.content', /got array/],
      ['media as an object', () => ({ review: { ...valid(), content: { rating: 5, media: { image: { url: 'https://x.example/a.jpg' } } } } }), 'review.content.media', /array/],
      ['title as a number', () => ({ review: { ...valid(), content: { rating: 5, title: 7 } } }), 'review.content.title', /got number/],
      ['verified as a string', () => ({ review: { ...valid(), verified: 'yes' } }), 'review.verified', /boolean/],
      ['reviewDate that is not a date', () => ({ review: { ...valid(), reviewDate: 'yesterday' } }), 'review.reviewDate', /format/],
      ['reviewDate with month 13', () => ({ review: { ...valid(), reviewDate: '2024-13-45T99:99Z' } }), 'review.reviewDate', /./],
      ['reviewDate in year 0', () => ({ review: { ...valid(), reviewDate: '0000-01-01T00:00:00Z' } }), 'review.reviewDate', /./],
    ];
    for (const [what, body, field, message] of cases) {
      it(`Create Review: ${what} → 400 naming ${field}`, async () => {
        const b = body();
        const res = await refused('POST', '/reviews/v1/reviews', b, { owner: true, headers: json }, 400);
        assert.deepEqual(violations(res), [field]);
        assert.match(res.body.details.validationError.fieldViolations[0].description, message);
        assert.equal(res.body.details.validationError.fieldViolations[0].ruleName === 'REQUIRED_FIELD', false, 'a wrong value is not a missing one');
      });
    }

    const more: [string, string, string, unknown, boolean, string][] = [
      ['Query: returnPrivateReviews as a string', 'POST', '/reviews/v1/reviews/query', { returnPrivateReviews: 'true' }, false, 'returnPrivateReviews'],
      ['Count: includePrivateReviews as 1', 'POST', '/reviews/v1/reviews/count', { includePrivateReviews: 1 }, false, 'includePrivateReviews'],
      ['Query: limit as a string', 'POST', '/reviews/v1/reviews/query', { query: { cursorPaging: { limit: '10' } } }, false, 'query.cursorPaging.limit'],
      ['Query: limit 0', 'POST', '/reviews/v1/reviews/query', { query: { cursorPaging: { limit: 0 } } }, false, 'query.cursorPaging.limit'],
      ['Query: limit 101', 'POST', '/reviews/v1/reviews/query', { query: { cursorPaging: { limit: 101 } } }, false, 'query.cursorPaging.limit'],
      ['Query: sort as a string', 'POST', '/reviews/v1/reviews/query', { query: { sort: 'createdDate' } }, false, 'query.sort'],
      ['Query: lowercase sort order', 'POST', '/reviews/v1/reviews/query', { query: { sort: [{ fieldName: 'createdDate', order: 'desc' }] } }, false, 'query.sort.0.order'],
      ['Query: filter as an array', 'POST', '/reviews/v1/reviews/query', { query: { filter: [] } }, false, 'query.filter'],
      ['Query: filter as a string', 'POST', '/reviews/v1/reviews/query', { query: { filter: 'entityId = p1' } }, false, 'query.filter'],
      ['Update: revision as text', 'PATCH', '/reviews/v1/reviews/ID', { review: { revision: 'abc' } }, true, 'review.revision'],
      ['Update: negative revision', 'PATCH', '/reviews/v1/reviews/ID', { review: { revision: -1 } }, true, 'review.revision'],
      ['Update: revision past int64', 'PATCH', '/reviews/v1/reviews/ID', { review: { revision: '99999999999999999999' } }, true, 'review.revision'],
      ['Set Reply: message as an object', 'PATCH', '/reviews/v1/reviews/ID/reply', { message: { text: 'hi' } }, true, 'message'],
      ['Bulk Create: reviews as an object', 'POST', '/reviews/v1/bulk/reviews/create', { reviews: { 0: {} } }, true, 'reviews'],
      ['Bulk Create: 1001 reviews', 'POST', '/reviews/v1/bulk/reviews/create', { reviews: new Array(1001).fill({}) }, true, 'reviews'],
      ['Vote: unknown vote', 'POST', '/reviews/v1/reviews/ID/helpfulness', { vote: 'LOVE', visitorId: '6a1e0c7e-2a7c-4c1e-9b1e-0c7e2a7c4c1e' }, false, 'vote'],
      ['Vote: visitorId that is not a UUID', 'POST', '/reviews/v1/reviews/ID/helpfulness', { vote: 'HELPFUL', visitorId: "' OR 1=1 --" }, false, 'visitorId'],
      ['Averages: 101 entity ids', 'POST', '/ratings/v1/ratings/groups/stores/attributes/average', { entityIds: Array.from({ length: 101 }, (_, i) => `e${i}`) }, false, 'entityIds'],
      ['Averages: entity ids as a string', 'POST', '/ratings/v1/ratings/groups/stores/attributes/average', { entityIds: 'p1' }, false, 'entityIds'],
    ];
    for (const [what, method, path, body, asOwner, field] of more) {
      it(`${what} → 400 naming ${field}`, async () => {
        const res = await refused(method, path.replace('ID', id), body, { owner: asOwner }, 400);
        assert.deepEqual(violations(res), [field]);
      });
    }
  });

  describe('unknown fields', () => {
    const cases: [string, string, string, unknown, boolean, string][] = [
      ['a top-level field', 'POST', '/reviews/v1/reviews', { ...reviewBody(), isAdmin: true }, true, '(body)'],
      ['a review field', 'POST', '/reviews/v1/reviews', { review: { ...reviewBody().review, approved: true } }, true, 'review'],
      ['a content field', 'POST', '/reviews/v1/reviews', { review: { ...reviewBody().review, content: { rating: 5, html: '<b>' } } }, true, 'review.content'],
      ['an author field', 'POST', '/reviews/v1/reviews', { review: { ...reviewBody().review, author: { contactId: 'c', role: 'admin' } } }, true, 'review.author'],
      ['offset paging', 'POST', '/reviews/v1/reviews/query', { query: { paging: { offset: 0, limit: 10 } } }, false, 'query'],
      ['a SQL-ish query field', 'POST', '/reviews/v1/reviews/query', { query: { where: '1=1' } }, false, 'query'],
      ['a sort field', 'POST', '/reviews/v1/reviews/query', { query: { sort: [{ fieldName: 'createdDate', nulls: 'first' }] } }, false, 'query.sort.0'],
      ['a field on the contact route', 'POST', '/reviews/v1/reviews/contact', { namespace: 'stores', entityId: 'p3', name: 'x', email: 'x@example.com', content: { rating: 5 }, contactId: 'c' }, false, '(body)'],
      ['a field on Set Reply', 'PATCH', '/reviews/v1/reviews/ID/reply', { message: 'hi', author: 'someone else' }, true, '(body)'],
      ['a field on Bulk Delete', 'POST', '/reviews/v1/bulk/reviews/delete', { filter: { entityId: 'p1' }, dryRun: false }, true, '(body)'],
    ];
    for (const [what, method, path, body, asOwner, field] of cases) {
      it(`${what} → 400 listing it`, async () => {
        const res = await refused(method, path.replace('ID', id), body, { owner: asOwner }, 400);
        assert.deepEqual(violations(res), [field]);
        assert.match(res.body.details.validationError.fieldViolations[0].description, /unknown field/);
      });
    }
  });

  describe('filters', () => {
    // Each filter is tried on Query, Count, Bulk Delete and Bulk Moderate.
    const FILTER_ROUTES: [string, (filter: unknown) => unknown, string, string][] = [
      ['Query', (filter) => ({ query: { filter } }), '/reviews/v1/reviews/query', 'query.filter'],
      ['Count', (filter) => ({ filter }), '/reviews/v1/reviews/count', 'filter'],
      ['Bulk Delete', (filter) => ({ filter }), '/reviews/v1/bulk/reviews/delete', 'filter'],
      ['Bulk Moderate', (filter) => ({ filter, status: 'REJECTED' }), '/reviews/v1/bulk/reviews/moderate', 'filter'],
    ];
    const deep = (n: number): unknown => (n === 0 ? { entityId: 'p1' } : { $and: [deep(n - 1)] });
    const BAD: [string, unknown, string][] = [
      ['a field named with SQL', { 'entityId; DROP TABLE reviews': 1 }, '.entityId; DROP TABLE reviews'],
      ['a field named with a quote', { "entityId' OR '1'='1": 'p1' }, ".entityId' OR '1'='1"],
      ['an unknown field', { password: 'x' }, '.password'],
      ['a column name that is not a field', { entity_id: 'p1' }, '.entity_id'],
      ['__proto__', JSON.parse('{"__proto__": {"entityId": "p1"}}'), '.__proto__'],
      ['constructor', { constructor: 'x' }, '.constructor'],
      ['toString', { toString: 'x' }, '.toString'],
      ['$where', { $where: 'this.rating > 0' }, '.$where'],
      ['$expr', { $expr: { $gt: ['$rating', 0] } }, '.$expr'],
      ['$regex on a field', { entityId: { $regex: '.*' } }, '.entityId.$regex'],
      ['$exists on a field', { entityId: { $exists: true } }, '.entityId.$exists'],
      ['$nin (not supported for reviews)', { entityId: { $nin: ['p1'] } }, '.entityId.$nin'],
      ['$gt on an id field', { entityId: { $gt: '' } }, '.entityId.$gt'],
      ['an operator named with SQL', { 'content.rating': { '$gt 0 OR 1=1 --': 0 } }, '.content.rating.$gt 0 OR 1=1 --'],
      ['a SQL string for a number', { 'content.rating': "' OR 1=1 --" }, '.content.rating.$eq'],
      ['a SQL string in $in of numbers', { 'content.rating': { $in: [5, '5 OR 1=1'] } }, '.content.rating.$in[1]'],
      ['a number for text', { entityId: 1 }, '.entityId.$eq'],
      ['null for text', { entityId: null }, '.entityId.$eq'],
      ['an object for text', { entityId: { nested: 'p1' } }, '.entityId.$eq'],
      ['an unknown enum value', { 'moderation.moderationStatus': 'approved' }, '.moderation.moderationStatus.$eq'],
      ['$in that is not an array', { entityId: { $in: 'p1' } }, '.entityId.$in'],
      ['$in with 1001 values', { entityId: { $in: Array.from({ length: 1001 }, (_, i) => `e${i}`) } }, '.entityId.$in'],
      ['$and that is an object', { $and: { entityId: 'p1' } }, '.$and'],
      ['an empty $or', { $or: [] }, '.$or'],
      ['an unknown field deep in $or', { $or: [{ entityId: 'p1' }, { $and: [{ secret: 1 }] }] }, '.$or[1].$and[0].secret'],
      ['nesting 20 levels deep', deep(20), ''],
      ['a date that is not a date', { createdDate: { $gt: 'yesterday' } }, '.createdDate.$gt'],
      ['a date in year 0', { createdDate: { $gt: '0000-01-01T00:00:00Z' } }, '.createdDate.$gt'],
      ['a rating beyond 32-bit integers', { helpfulness: { $gt: 2 ** 31 } }, '.helpfulness.$gt'],
      ['a rating below 32-bit integers', { 'content.rating': { $lt: -(2 ** 31) - 1 } }, '.content.rating.$lt'],
      ['1e308 for an integer', { helpfulness: { $in: [1e308] } }, '.helpfulness.$in[0]'],
      ['a boolean as a string', { verified: 'true' }, '.verified.$eq'],
      ['text with a NUL character', { entityId: 'p1\u0000' }, null as unknown as string],
      ['$isEmpty with a string', { 'content.media': { $isEmpty: 'yes' } }, '.content.media.$isEmpty'],
      ['text longer than 1000 characters', { entityId: 'x'.repeat(1001) }, '.entityId.$eq'],
    ];
    for (const [routeName, wrap, path, prefix] of FILTER_ROUTES) {
      for (const [what, filter, field] of BAD) {
        it(`${routeName}: ${what} → 400`, async () => {
          const asOwner = routeName.startsWith('Bulk');
          const res = await refused('POST', path, wrap(filter), { owner: asOwner }, 400);
          if (field === null) return; // refused before validation of a field
          const fields = violations(res);
          if (field === '') assert.equal(fields.length, 1);
          else assert.deepEqual(fields, [`${prefix}${field}`]);
        });
      }
    }

    it('more than 200 conditions → 400', async () => {
      const filter = { $or: Array.from({ length: 201 }, (_, i) => ({ 'content.rating': i % 5 + 1 })) };
      const res = await refused('POST', '/reviews/v1/reviews/query', { query: { filter } }, {}, 400);
      assert.match(res.body.message, /200 conditions/);
    });

    it('an SQL fragment as a text value matches nothing and deletes nothing', async () => {
      for (const value of ["' OR 1=1 --", "p1' OR '1'='1", 'p1; DELETE FROM reviews', "%' --", '*', '%']) {
        const q = await server.call('POST', '/reviews/v1/reviews/query', { query: { filter: { entityId: value } }, returnPrivateReviews: true }, owner);
        assert.equal(q.status, 200);
        assert.deepEqual(q.body.reviews, [], value);
        const c = await server.call('POST', '/reviews/v1/reviews/count', { filter: { $or: [{ entityId: value }, { id: { $in: [value] } }] }, includePrivateReviews: true }, owner);
        assert.deepEqual(c.body, { count: 0 }, value);
        const before = await snapshot();
        const del = await server.call('POST', '/reviews/v1/bulk/reviews/delete', { filter: { entityId: value } }, owner);
        assert.equal(del.status, 200);
        assert.equal(del.body.affected, 0);
        const mod = await server.call('POST', '/reviews/v1/bulk/reviews/moderate', { filter: { namespace: value }, status: 'REJECTED' }, owner);
        assert.equal(mod.body.affected, 0);
        assert.deepEqual(await snapshot(), before);
      }
    });

    it('a rating outside 1-5 that is still an integer simply matches nothing', async () => {
      const res = await server.call('POST', '/reviews/v1/reviews/query', { query: { filter: { 'content.rating': { $gt: 40000 } } } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.reviews, []);
      const c = await server.call('POST', '/reviews/v1/reviews/count', { filter: { 'content.rating': { $in: [0, 99999, -40000] } } });
      assert.deepEqual(c.body, { count: 0 });
    });
  });

  describe('sort', () => {
    const BAD: [string, unknown, string][] = [
      ['a field named with SQL', [{ fieldName: 'createdDate; DROP TABLE reviews' }], 'query.sort[0].fieldName'],
      ['a column expression', [{ fieldName: '(SELECT 1)' }], 'query.sort[0].fieldName'],
      ['a field that cannot be sorted', [{ fieldName: 'entityId' }], 'query.sort[0].fieldName'],
      ['__proto__', [{ fieldName: '__proto__' }], 'query.sort[0].fieldName'],
      ['an order with SQL', [{ fieldName: 'createdDate', order: 'DESC; DROP TABLE reviews' }], 'query.sort.0.order'],
      ['11 sort keys', Array.from({ length: 11 }, () => ({ fieldName: 'createdDate' })), 'query.sort'],
    ];
    for (const [what, sort, field] of BAD) {
      it(`${what} → 400`, async () => {
        const res = await refused('POST', '/reviews/v1/reviews/query', { query: { sort } }, {}, 400);
        assert.deepEqual(violations(res), [field]);
      });
    }
  });

  describe('cursors', () => {
    const forge = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString('base64url');
    const base = { v: 1, f: null, s: [['createdDate', 'ASC']], q: null, l: 2, p: 0, k: ['2024-01-01T00:00:00.000Z', 'x'], d: 'n' };
    const BAD: [string, string][] = [
      ['garbage', 'not a cursor at all'],
      ['base64 of garbage', Buffer.from('{{{').toString('base64url')],
      ['a foreign version', forge({ ...base, v: 2 })],
      ['an unsortable sort field', forge({ ...base, s: [['entityId', 'ASC']] })],
      ['a sort field with SQL', forge({ ...base, s: [['created_date; DROP TABLE reviews', 'ASC']] })],
      ['a limit of 1000', forge({ ...base, l: 1000 })],
      ['a key of the wrong type', forge({ ...base, k: [5, 'x'] })],
      ['an integer key beyond 32 bits', forge({ ...base, s: [['content.rating', 'ASC']], k: [99999999999, 'x'] })],
      ['a date key in year 0', forge({ ...base, k: ['0000-01-01T00:00:00.000Z', 'x'] })],
      ['an id key with a NUL', forge({ ...base, k: ['2024-01-01T00:00:00.000Z', 'x\u0000'] })],
      ['a filter naming an unknown field', forge({ ...base, f: { 'entityId; DROP TABLE reviews': 1 } })],
      ['a filter with $where', forge({ ...base, f: { $where: '1' } })],
      ['a filter with a NUL', forge({ ...base, f: { entityId: '\u0000' } })],
    ];
    for (const [what, cursor] of BAD) {
      it(`${what} → 400`, async () => {
        await refused('POST', '/reviews/v1/reviews/query', { query: { cursorPaging: { cursor } } }, {}, 400);
      });
    }

    it('a forged cursor claiming private reviews → 403 for a visitor', async () => {
      const res = await refused('POST', '/reviews/v1/reviews/query', { query: { cursorPaging: { cursor: forge({ ...base, p: 1 }) } } }, {}, 403);
      assert.equal(res.body.details.applicationError.code, 'PERMISSION_DENIED');
    });

    it('a cursor longer than 8192 characters → 400', async () => {
      await refused('POST', '/reviews/v1/reviews/query', { query: { cursorPaging: { cursor: 'a'.repeat(8193) } } }, {}, 400);
    });
  });

  describe('NUL characters (PostgreSQL text cannot hold them)', () => {
    const cases: [string, string, string, () => unknown, boolean][] = [
      ['Create Review title', 'POST', '/reviews/v1/reviews', () => ({ review: { ...reviewBody({ entityId: 'nul1' }).review, content: { rating: 5, title: 'a\u0000b' } } }), true],
      ['Create Review entityId', 'POST', '/reviews/v1/reviews', () => reviewBody({ entityId: 'nul\u0000' }), true],
      ['Create Review And Contact name', 'POST', '/reviews/v1/reviews/contact', () => ({ namespace: 'stores', entityId: 'nul2', name: 'Eve\u0000', email: 'eve@example.com', content: { rating: 1 } }), false],
      ['Create Review And Contact email', 'POST', '/reviews/v1/reviews/contact', () => ({ namespace: 'stores', entityId: 'nul3', name: 'Eve', email: 'e\u0000ve@example.com', content: { rating: 1 } }), false],
      ['Update Review body', 'PATCH', '/reviews/v1/reviews/ID', () => ({ review: { revision: '2', content: { body: '\u0000' } } }), true],
      ['Set Reply message', 'PATCH', '/reviews/v1/reviews/ID/reply', () => ({ message: 'thanks\u0000' }), true],
      ['Bulk Create item', 'POST', '/reviews/v1/bulk/reviews/create', () => ({ reviews: [reviewBody({ entityId: 'nul4', body: '\u0000' }).review] }), true],
      ['Averages entity id', 'POST', '/ratings/v1/ratings/groups/stores/attributes/average', () => ({ entityIds: ['p1\u0000'] }), false],
      ['a filter key', 'POST', '/reviews/v1/reviews/query', () => ({ query: { filter: { 'entity\u0000Id': 'p1' } } }), false],
    ];
    for (const [what, method, path, body, asOwner] of cases) {
      it(`${what} → 400`, async () => {
        const res = await refused(method, path.replace('ID', id), body(), { owner: asOwner }, 400);
        assert.match(res.body.message, /NUL/);
      });
    }

    it('keeps a JSON string that merely spells \\u0000 with an escaped backslash', async () => {
      const res = await server.call('POST', '/reviews/v1/reviews', '{"review": {"namespace": "stores", "entityId": "nul5", "author": {"contactId": "c-nul5"}, "content": {"rating": 3, "title": "a\\\\u0000b"}}}', { owner: true, headers: json });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.review.content.title, 'a\\u0000b');
      const del = await server.call('DELETE', `/reviews/v1/reviews/${res.body.review.id}`, undefined, owner);
      assert.equal(del.status, 200);
    });

    for (const [what, method, path] of [
      ['Get Review', 'GET', '/reviews/v1/reviews/%00'],
      ['Get Review (id ending in NUL)', 'GET', '/reviews/v1/reviews/ID%00'],
      ['Delete Review', 'DELETE', '/reviews/v1/reviews/ID%00'],
      ['Remove Reply', 'DELETE', '/reviews/v1/reviews/%00/reply'],
      ['Get media', 'GET', '/reviews/v1/media/%00.png'],
      ['Entity summary', 'GET', '/ratings/v1/ratings/groups/stores/entities/p1%00/summary'],
      ['Group summary', 'GET', '/ratings/v1/ratings/groups/%00/summary'],
      ['a query parameter', 'GET', '/reviews/v1/reviews/ID?reviewId=%00'],
    ] as const) {
      it(`${what}: a NUL in the URL → 400`, async () => {
        const res = await refused(method, path.replace('ID', id), undefined, { owner: true }, 400);
        assert.match(res.body.message, /NUL/);
      });
    }
  });

  describe('odd ids in the path', () => {
    for (const raw of ["' OR 1=1 --", '1; DROP TABLE reviews', '..%2F..%2Fhealthz', 'x'.repeat(5000), '%E2%80%AE', '*']) {
      it(`${raw.slice(0, 30)} → 404, and nothing changes`, async () => {
        const enc = raw.includes('%') ? raw : encodeURIComponent(raw);
        await refused('GET', `/reviews/v1/reviews/${enc}`, undefined, { owner: true }, 404);
        await refused('DELETE', `/reviews/v1/reviews/${enc}`, undefined, { owner: true }, 404);
        await refused('PATCH', `/reviews/v1/reviews/${enc}/moderate`, { status: 'REJECTED' }, { owner: true }, 404);
      });
    }
  });

  describe('oversized bodies', () => {
    const tenMB = JSON.stringify({ filter: { entityId: 'x'.repeat(10 * MB) } });
    for (const route of JSON_ROUTES.filter((r) => r.name !== 'Bulk Create')) {
      it(`${route.name}: a 10 MB body → 413`, async () => {
        const res = await refused(route.method, route.path(), tenMB, { owner: route.owner, headers: json }, 413);
        assert.equal(res.body.details.applicationError.code, 'PAYLOAD_TOO_LARGE');
        // The rest of the upload is not read: the client must be told the connection ends.
        assert.equal(res.headers.get('connection'), 'close');
      });
    }

    it('a body one byte over 1 MB → 413; one at 1 MB is read', async () => {
      const pad = (n: number) => {
        const head = '{"query": {"filter": {"entityId": "p1"}}}';
        return head + ' '.repeat(n - head.length);
      };
      // Repeated: an early 413 must reach the client every time, not a reset connection.
      for (let i = 0; i < 5; i++) await refused('POST', '/reviews/v1/reviews/query', pad(MB + 1 + i * 100_000), { headers: json }, 413);
      const ok = await server.call('POST', '/reviews/v1/reviews/query', pad(MB), { headers: json });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.reviews.length, 3);
    });

    it('a 10 MB body sent in chunks without a Content-Length → 413', async () => {
      const before = await snapshot();
      const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent === 0) controller.enqueue(new TextEncoder().encode('{"filter": {"entityId": "'));
          if (sent >= 10 * MB) {
            controller.enqueue(new TextEncoder().encode('"}}'));
            controller.close();
            return;
          }
          sent += chunk.length;
          controller.enqueue(chunk);
        },
      });
      const res = await fetch(`${server.url}/reviews/v1/bulk/reviews/delete`, {
        method: 'POST',
        headers: { Authorization: 'test-owner-key', 'Content-Type': 'application/json' },
        body: stream,
        duplex: 'half',
      } as RequestInit);
      assert.equal(res.status, 413);
      const body = await res.json();
      assert.equal(body.details.applicationError.code, 'PAYLOAD_TOO_LARGE');
      assert.deepEqual(await snapshot(), before);
    });

    it('Bulk Create: a body over its 16 MB limit → 413', async () => {
      const huge = JSON.stringify({ reviews: [{ x: 'x'.repeat(17 * MB) }] });
      const res = await refused('POST', '/reviews/v1/bulk/reviews/create', huge, { owner: true, headers: json }, 413);
      assert.equal(res.body.details.applicationError.code, 'PAYLOAD_TOO_LARGE');
    });
  });

  describe('media URLs must be absolute http(s)', () => {
    const BAD_URLS = [
      'javascript:alert(1)',
      'JavaScript:alert(document.cookie)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      'data:image/png;base64,iVBORw0KGgo=',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'ftp://example.com/a.jpg',
      'blob:https://shop.example/0b0c7a1e-4a6b-4c1e-9b1e-0c7e2a7c4c1e',
      'about:blank',
      '/relative/a.jpg',
      '//evil.example/a.jpg',
      'https://',
      `https://cdn.example/${'a'.repeat(2100)}.jpg`,
    ];
    for (const url of BAD_URLS) {
      const label = JSON.stringify(url.length > 60 ? `${url.slice(0, 40)}…` : url);
      it(`${label} is refused as an image and as a video, by every route that takes media`, async () => {
        const entityId = `u-${randomUUID().slice(0, 8)}`;
        for (const [kind, item] of [['image', { image: { url } }], ['video', { video: { url } }]] as const) {
          const owned = await refused(
            'POST',
            '/reviews/v1/reviews',
            { review: { ...reviewBody({ entityId }).review, content: { rating: 5, media: [item] } } },
            owner,
            400,
          );
          assert.deepEqual(violations(owned), [`review.content.media.0.${kind}.url`]);
          const visitor = await refused(
            'POST',
            '/reviews/v1/reviews/contact',
            { namespace: 'stores', entityId, name: 'V', email: 'v2@example.com', content: { rating: 5, media: [{ image: { url: 'https://ok.example/a.jpg' } }, item] } },
            {},
            400,
          );
          assert.deepEqual(violations(visitor), [`content.media.1.${kind}.url`]);
          const update = await refused('PATCH', `/reviews/v1/reviews/${id}`, { review: { revision: '2', content: { media: [item] } } }, owner, 400);
          assert.deepEqual(violations(update), [`review.content.media.0.${kind}.url`]);
          // Bulk Create reports the bad item and creates nothing for it.
          const before = await snapshot();
          const bulk = await server.call(
            'POST',
            '/reviews/v1/bulk/reviews/create',
            { reviews: [{ ...reviewBody({ entityId }).review, content: { rating: 5, media: [item] } }] },
            owner,
          );
          assert.equal(bulk.status, 200);
          assert.deepEqual(bulk.body.bulkActionMetadata, { totalSuccesses: 0, totalFailures: 1, undetailedFailures: 0 });
          assert.deepEqual(bulk.body.results[0].itemMetadata.error.data.fieldViolations.map((v: any) => v.field), [`reviews[0].content.media.0.${kind}.url`]);
          assert.deepEqual(await snapshot(), before);
        }
      });
    }
  });

  describe('refused requests do not leave half-made data behind', () => {
    it('a visitor review refused for an unknown media id creates no contact', async () => {
      await refused(
        'POST',
        '/reviews/v1/reviews/contact',
        { namespace: 'stores', entityId: 'p9', name: 'New Person', email: `${randomUUID()}@example.com`, content: { rating: 5, media: [{ image: { id: 'never-uploaded.png' } }] } },
        {},
        400,
      );
    });

    it('a duplicate visitor review changes nothing', async () => {
      const email = `${randomUUID()}@example.com`;
      const first = await server.call('POST', '/reviews/v1/reviews/contact', { namespace: 'stores', entityId: 'p7', name: 'A', email, content: { rating: 5 } });
      assert.equal(first.status, 200);
      const res = await refused('POST', '/reviews/v1/reviews/contact', { namespace: 'stores', entityId: 'p7', name: 'A', email, content: { rating: 1 } }, {}, 409);
      assert.equal(res.body.details.applicationError.code, 'DUPLICATE_REVIEW');
    });
  });

  describe('text is stored as given, never interpreted', () => {
    it('returns markup and SQL in review text verbatim, as JSON', async () => {
      const title = '<script>alert(1)</script>';
      const body = "Robert'); DROP TABLE reviews;-- & <img src=x onerror=alert(1)> \u202Eevil";
      const res = await server.call('POST', '/reviews/v1/reviews/contact', { namespace: 'stores', entityId: 'p8', name: '<b>Bold</b>', email: 'bold@example.com', content: { rating: 3, title, body } });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      const read = await server.call('GET', `/reviews/v1/reviews/${res.body.review.id}`);
      assert.deepEqual([read.body.review.content.title, read.body.review.content.body, read.body.review.author.authorName], [title, body, '<b>Bold</b>']);
    });
  });

  it('unknown methods and routes answer 404 in the Wix envelope', async () => {
    await refused('PUT', `/reviews/v1/reviews/${id}`, { review: { revision: '2' } }, { owner: true }, 404);
    await refused('DELETE', '/reviews/v1/reviews', undefined, { owner: true }, 404);
  });
});
