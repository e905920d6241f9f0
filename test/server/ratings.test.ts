/**
 * Ratings API (reference §7): Create, Get, Update and Delete Rating over real HTTP, with
 * every error a client can cause (400s naming the field, 401/403 for visitors, 404, the
 * 409 duplicate and the 409 stale revision), who sees a rating's owner, the domain events
 * each change records, the cascade helper for deleted reviews, and CORS.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { deleteRatingsRelatedTo } from '../../src/server/ratings.js';
import { reviewBody, startTestServer, type TestServer } from './helpers.js';

const R = '/ratings/v1/ratings';
const owner = { owner: true } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RATING_KEYS = ['attributeName', 'createdDate', 'entityId', 'group', 'id', 'namespace', 'owner', 'relatedEntityIds', 'revision', 'updatedDate', 'value'];

function fakeClock(start = '2031-03-01T10:00:00.000Z') {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
  };
}

type Res = { status: number; body: any };

function assertViolation(res: Res, field: string, ruleName?: string, description?: RegExp): void {
  assert.equal(res.status, 400, JSON.stringify(res.body));
  const violations = res.body.details.validationError.fieldViolations as { field: string; ruleName: string; description: string }[];
  const v = violations.find((x) => x.field === field);
  assert.ok(v, `expected a violation of ${field}, got ${JSON.stringify(violations)}`);
  if (ruleName) assert.equal(v.ruleName, ruleName);
  if (description) assert.match(v.description, description);
  assert.ok(res.body.message.includes(field), `the message names ${field}: ${res.body.message}`);
}

function assertAppError(res: Res, status: number, code: string): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.details.applicationError.code, code);
  assert.equal(res.body.details.applicationError.description, res.body.message);
}

describe('ratings routes', () => {
  let server: TestServer;
  const clock = fakeClock();
  before(async () => {
    server = await startTestServer({ clock: clock.now, deliveryIntervalMs: 0 });
  });
  after(() => server.close());

  const entity = () => `p-${randomUUID().slice(0, 8)}`;
  const rating = (o: Record<string, unknown> = {}) => ({
    group: 'stores',
    entityId: entity(),
    attributeName: 'quality',
    value: 80,
    owner: { contactId: randomUUID() },
    ...o,
  });

  async function create(r: Record<string, unknown> = rating(), init: { owner?: boolean; headers?: Record<string, string> } = owner) {
    const res = await server.call('POST', R, { rating: r }, init);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.rating;
  }

  async function createReview(overrides: Parameters<typeof reviewBody>[0] = {}) {
    const res = await server.call('POST', '/reviews/v1/reviews', reviewBody({ entityId: entity(), ...overrides }), owner);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.review;
  }

  describe('Create Rating', () => {
    it('returns the full rating object, in namespace "reviews" by default', async () => {
      clock.advance(1000);
      const contactId = randomUUID();
      const entityId = entity();
      const res = await server.call('POST', R, { rating: { group: 'stores', entityId, attributeName: 'quality', value: 85, owner: { contactId } } }, owner);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(Object.keys(res.body), ['rating']);
      const r = res.body.rating;
      assert.deepEqual(Object.keys(r).sort(), RATING_KEYS);
      assert.match(r.id, UUID);
      assert.deepEqual(
        { ...r, id: undefined },
        {
          id: undefined,
          revision: '1',
          namespace: 'reviews',
          group: 'stores',
          entityId,
          attributeName: 'quality',
          value: 85,
          owner: { contactId },
          relatedEntityIds: [],
          createdDate: clock.now().toISOString(),
          updatedDate: clock.now().toISOString(),
        },
      );
    });

    it('keeps a given namespace and the related entity ids (once each, in order)', async () => {
      const r = await create(rating({ namespace: 'comments', group: 'blog', relatedEntityIds: ['b', 'a', 'b', 'c'] }));
      assert.equal(r.namespace, 'comments');
      assert.equal(r.group, 'blog');
      assert.deepEqual(r.relatedEntityIds, ['b', 'a', 'c']);
    });

    it('takes values 0 and 100, the ends of the range', async () => {
      assert.equal((await create(rating({ value: 0 }))).value, 0);
      assert.equal((await create(rating({ value: 100 }))).value, 100);
    });

    it('accepts the 2022 name attributeId, alone or agreeing with attributeName', async () => {
      const a = await create(rating({ attributeName: undefined, attributeId: 'fit' }));
      assert.equal(a.attributeName, 'fit');
      assert.equal('attributeId' in a, false, 'answers with the 2023 name only');
      const b = await create(rating({ attributeName: 'fit', attributeId: 'fit' }));
      assert.equal(b.attributeName, 'fit');
      const c = await server.call('POST', R, { rating: rating({ attributeName: 'fit', attributeId: 'value' }) }, owner);
      assertViolation(c, 'rating.attributeId', undefined, /differs from attributeName/);
    });

    it('accepts the flat 2022 body, with the owner as ratingOwner', async () => {
      const contactId = randomUUID();
      const entityId = entity();
      const res = await server.call('POST', R, { group: 'stores', entityId, attributeId: 'value', value: 40, ratingOwner: { contactId }, relatedEntityIds: ['x'] }, owner);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(
        { ...res.body.rating, id: undefined, createdDate: undefined, updatedDate: undefined },
        { id: undefined, createdDate: undefined, updatedDate: undefined, revision: '1', namespace: 'reviews', group: 'stores', entityId, attributeName: 'value', value: 40, owner: { contactId }, relatedEntityIds: ['x'] },
      );
      // Its errors name the flat fields.
      assertViolation(await server.call('POST', R, { group: 'stores', entityId, attributeId: 'value', value: 400, ratingOwner: { contactId } }, owner), 'value', 'OUT_OF_RANGE');
      assertViolation(await server.call('POST', R, { group: 'stores', entityId, value: 4, ratingOwner: { contactId } }, owner), 'attributeName', 'REQUIRED_FIELD');
      assertViolation(await server.call('POST', R, { group: 'stores', entityId, attributeId: 'fit', value: 4 }, owner), 'ratingOwner', 'REQUIRED_FIELD');
    });

    it('lets the owner rate as a contact, a member or a visitor (visitor ids compared in lower case)', async () => {
      const entityId = entity();
      const memberId = `m-${randomUUID()}`;
      const m = await create(rating({ entityId, owner: { memberId } }));
      assert.deepEqual(m.owner, { memberId });
      const visitor = randomUUID().toUpperCase();
      const v = await create(rating({ entityId, owner: { anonymousVisitorId: visitor, contactId: null } }));
      assert.deepEqual(v.owner, { anonymousVisitorId: visitor.toLowerCase() });
      // The same id as a contact is another owner.
      const c = await create(rating({ entityId, owner: { contactId: memberId } }));
      assert.deepEqual(c.owner, { contactId: memberId });
    });

    it('refuses bad fields with a 400 naming each', async () => {
      const cases: [string, unknown, string, string?, RegExp?][] = [
        ['no group', rating({ group: undefined }), 'rating.group', 'REQUIRED_FIELD'],
        ['no entityId', rating({ entityId: undefined }), 'rating.entityId', 'REQUIRED_FIELD'],
        ['no value', rating({ value: undefined }), 'rating.value', 'REQUIRED_FIELD'],
        ['no attribute', rating({ attributeName: undefined }), 'rating.attributeName', 'REQUIRED_FIELD'],
        ['value 101', rating({ value: 101 }), 'rating.value', 'OUT_OF_RANGE'],
        ['value -1', rating({ value: -1 }), 'rating.value', 'OUT_OF_RANGE'],
        ['value 4.5', rating({ value: 4.5 }), 'rating.value', undefined, /integer/],
        ['value as a string', rating({ value: '80' }), 'rating.value', undefined, /got string/],
        ['upper-case attribute', rating({ attributeName: 'Quality' }), 'rating.attributeName', undefined, /lowercase letter/],
        ['attribute starting with a digit', rating({ attributeName: '1st' }), 'rating.attributeName', undefined, /lowercase letter/],
        ['attribute with a space', rating({ attributeName: 'build quality' }), 'rating.attributeName', undefined, /lowercase letter/],
        ['attribute of 51 characters', rating({ attributeName: 'a'.repeat(51) }), 'rating.attributeName', undefined, /50 characters/],
        ['empty attribute', rating({ attributeName: '' }), 'rating.attributeName'],
        ['group with SQL in it', rating({ group: "stores'; DROP TABLE ratings; --" }), 'rating.group', undefined, /format/],
        ['entity id of 37 characters', rating({ entityId: 'x'.repeat(37) }), 'rating.entityId', 'OUT_OF_RANGE'],
        ['21 related ids', rating({ relatedEntityIds: Array.from({ length: 21 }, (_, i) => `r${i}`) }), 'rating.relatedEntityIds', 'OUT_OF_RANGE'],
        ['an empty related id', rating({ relatedEntityIds: [''] }), 'rating.relatedEntityIds.0'],
        ['related ids as a string', rating({ relatedEntityIds: 'r1' }), 'rating.relatedEntityIds', undefined, /array/],
        ['a visitor id that is not a UUID', rating({ owner: { anonymousVisitorId: 'visitor-1' } }), 'rating.owner.anonymousVisitorId', undefined, /UUID/],
        ['an unknown owner field', rating({ owner: { contactId: 'c', userId: 'u' } }), 'rating.owner', undefined, /userId/],
        ['an unknown field', rating({ stars: 5 }), 'rating', undefined, /stars/],
        ['no owner', rating({ owner: undefined }), 'rating.owner', 'REQUIRED_FIELD', /exactly one/],
        ['an empty owner', rating({ owner: {} }), 'rating.owner', 'REQUIRED_FIELD', /exactly one/],
        ['two owners', rating({ owner: { contactId: 'c', memberId: 'm' } }), 'rating.owner', undefined, /exactly one.*contactId and memberId/],
      ];
      for (const [what, r, field, rule, description] of cases) {
        const res = await server.call('POST', R, { rating: r }, owner);
        assert.equal(res.status, 400, what);
        assertViolation(res, field, rule, description);
      }
      for (const text of ['[]', 'null', '42', '"rating"']) {
        const res = await server.call('POST', R, text, { ...owner, headers: { 'Content-Type': 'application/json' } });
        assertViolation(res, '(body)', undefined, /must be an object/);
      }
      const empty = await server.call('POST', R, '', owner);
      assert.equal(empty.status, 400);
      assert.match(empty.body.message, /empty/);
      assertAppError(await server.call('POST', R, '{"rating": ', { ...owner, headers: { 'Content-Type': 'application/json' } }), 400, 'MALFORMED_JSON');
    });

    it('refuses "overall": it is computed from approved reviews', async () => {
      for (const body of [{ rating: rating({ attributeName: 'overall' }) }, { rating: rating({ attributeName: undefined, attributeId: 'overall' }) }]) {
        const res = await server.call('POST', R, body, owner);
        assertViolation(res, 'rating.attributeName', undefined, /overall.*computed from approved reviews/);
      }
    });

    it('allows one rating per owner per attribute of an entity: 409 with the existing id', async () => {
      const first = await create();
      const again = await server.call('POST', R, { rating: { ...rating(), entityId: first.entityId, owner: first.owner, value: 10 } }, owner);
      assertAppError(again, 409, 'RATING_ALREADY_EXISTS');
      assert.deepEqual(again.body.details.applicationError.data, { ratingId: first.id });
      assert.match(again.body.message, /already rated "quality"/);
      // The first rating is untouched.
      assert.equal((await server.call('GET', `${R}/${first.id}`, undefined, owner)).body.rating.value, 80);
      // Another attribute, entity, group or namespace is another rating.
      for (const change of [{ attributeName: 'value' }, { entityId: entity() }, { group: 'bookings' }, { namespace: 'comments' }]) {
        await create({ ...rating(), entityId: first.entityId, owner: first.owner, ...change });
      }
    });

    it('finds a visitor\'s duplicate whatever the case of the visitor id', async () => {
      const visitor = randomUUID();
      const entityId = entity();
      const first = await create(rating({ entityId, owner: { anonymousVisitorId: visitor } }), {});
      const again = await server.call('POST', R, { rating: rating({ entityId, owner: { anonymousVisitorId: visitor.toUpperCase() } }) }, {});
      assertAppError(again, 409, 'RATING_ALREADY_EXISTS');
      assert.deepEqual(again.body.details.applicationError.data, { ratingId: first.id });
    });

    describe('by a visitor (no API key)', () => {
      it('rates as owner.anonymousVisitorId and gets the rating back without its owner', async () => {
        const visitor = randomUUID();
        const res = await server.call('POST', R, { rating: rating({ owner: { anonymousVisitorId: visitor } }) });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal('owner' in res.body.rating, false);
        const asOwner = await server.call('GET', `${R}/${res.body.rating.id}`, undefined, owner);
        assert.deepEqual(asOwner.body.rating.owner, { anonymousVisitorId: visitor });
        assert.deepEqual(res.body.rating, withoutOwner(asOwner.body.rating));
      });

      it('may not name a contact or a member: 403', async () => {
        const visitor = randomUUID();
        for (const o of [{ contactId: randomUUID() }, { memberId: 'm1' }, { anonymousVisitorId: visitor, contactId: 'c1' }, { anonymousVisitorId: visitor, memberId: 'm1' }]) {
          const res = await server.call('POST', R, { rating: rating({ owner: o }) });
          assertAppError(res, 403, 'PERMISSION_DENIED');
          assert.match(res.body.message, /Only the owner \(API key\) may set rating\.owner\.contactId or rating\.owner\.memberId/);
        }
        const flat = await server.call('POST', R, { group: 'stores', entityId: entity(), attributeName: 'fit', value: 3, ratingOwner: { contactId: 'c' } });
        assertAppError(flat, 403, 'PERMISSION_DENIED');
        assert.match(flat.body.message, /ratingOwner\.contactId/);
      });

      it('must give a visitor id: 400', async () => {
        assertViolation(await server.call('POST', R, { rating: rating({ owner: undefined }) }), 'rating.owner.anonymousVisitorId', 'REQUIRED_FIELD');
        assertViolation(await server.call('POST', R, { rating: rating({ owner: { anonymousVisitorId: null } }) }), 'rating.owner.anonymousVisitorId', 'REQUIRED_FIELD');
        assertViolation(await server.call('POST', R, { group: 'stores', entityId: 'e', attributeName: 'fit', value: 3 }), 'ratingOwner.anonymousVisitorId', 'REQUIRED_FIELD');
      });

      it('is refused with a wrong API key: 401', async () => {
        assertAppError(await server.call('POST', R, { rating: rating() }, { key: 'not-the-key' }), 401, 'UNAUTHENTICATED');
      });
    });
  });

  describe('Get Rating', () => {
    it('returns the rating; visitors get it without owner', async () => {
      const r = await create(rating({ relatedEntityIds: ['order-1'] }));
      const asOwner = await server.call('GET', `${R}/${r.id}`, undefined, owner);
      assert.equal(asOwner.status, 200);
      assert.deepEqual(asOwner.body, { rating: r });
      const asVisitor = await server.call('GET', `${R}/${r.id}`);
      assert.equal(asVisitor.status, 200);
      assert.deepEqual(asVisitor.body, { rating: withoutOwner(r) });
    });

    it('is a 404 for an unknown id', async () => {
      const res = await server.call('GET', `${R}/${randomUUID()}`);
      assertAppError(res, 404, 'NOT_FOUND');
      assert.match(res.body.message, /Rating .* not found/);
    });

    it('hides from visitors a rating of a review in moderation or rejected', async () => {
      const review = await createReview();
      const r = await create(rating({ entityId: review.entityId, owner: { contactId: review.author.contactId }, relatedEntityIds: [review.id] }));
      assert.equal((await server.call('GET', `${R}/${r.id}`)).status, 200);
      await server.call('PATCH', `/reviews/v1/reviews/${review.id}/moderate`, { status: 'REJECTED' }, owner);
      assertAppError(await server.call('GET', `${R}/${r.id}`), 404, 'NOT_FOUND');
      assert.equal((await server.call('GET', `${R}/${r.id}`, undefined, owner)).status, 200, 'the owner still sees it');
      await server.call('PATCH', `/reviews/v1/reviews/${review.id}/moderate`, { status: 'APPROVED' }, owner);
      assert.equal((await server.call('GET', `${R}/${r.id}`)).status, 200);
    });
  });

  describe('Update Rating', () => {
    const patch = (id: string, body: unknown, init: { owner?: boolean; key?: string } = owner) => server.call('PATCH', `${R}/${id}`, body, init);

    it('changes the value, adds 1 to the revision and stamps updatedDate', async () => {
      const r = await create();
      clock.advance(60_000);
      const res = await patch(r.id, { rating: { revision: r.revision, value: 35 } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, { rating: { ...r, value: 35, revision: '2', updatedDate: clock.now().toISOString() } });
      assert.deepEqual((await server.call('GET', `${R}/${r.id}`, undefined, owner)).body.rating, res.body.rating);
    });

    it('accepts the revision as a number or a string, and answers with a string', async () => {
      const r = await create();
      const a = await patch(r.id, { rating: { revision: 1, value: 1 } });
      assert.equal(a.body.rating.revision, '2');
      const b = await patch(r.id, { rating: { revision: '2', value: 2 } });
      assert.equal(b.body.rating.revision, '3');
    });

    it('refuses a stale revision with 409 REVISION_MISMATCH and keeps the rating', async () => {
      const r = await create();
      await patch(r.id, { rating: { revision: '1', value: 50 } });
      const stale = await patch(r.id, { rating: { revision: '1', value: 60 } });
      assertAppError(stale, 409, 'REVISION_MISMATCH');
      assert.deepEqual(stale.body.details.applicationError.data, { currentRevision: '2' });
      assert.equal((await server.call('GET', `${R}/${r.id}`, undefined, owner)).body.rating.value, 50);
    });

    it('requires the revision', async () => {
      const r = await create();
      assertViolation(await patch(r.id, { rating: { value: 3 } }), 'rating.revision', 'REQUIRED_FIELD');
      assertViolation(await patch(r.id, { rating: { revision: 'one', value: 3 } }), 'rating.revision');
      assertViolation(await patch(r.id, { rating: { revision: -1, value: 3 } }), 'rating.revision');
    });

    it('replaces relatedEntityIds (null or [] clears them)', async () => {
      const r = await create(rating({ relatedEntityIds: ['a'] }));
      const a = await patch(r.id, { rating: { revision: '1', relatedEntityIds: ['b', 'c', 'b'] } });
      assert.deepEqual([a.body.rating.relatedEntityIds, a.body.rating.value], [['b', 'c'], 80]);
      const b = await patch(r.id, { rating: { revision: '2', relatedEntityIds: null } });
      assert.deepEqual(b.body.rating.relatedEntityIds, []);
      assertViolation(await patch(r.id, { rating: { revision: '3', relatedEntityIds: Array.from({ length: 21 }, (_, i) => `${i}`) } }), 'rating.relatedEntityIds', 'OUT_OF_RANGE');
    });

    it('changes only the fields a field mask names', async () => {
      const r = await create(rating({ relatedEntityIds: ['a'] }));
      const a = await patch(r.id, { rating: { revision: '1', value: 10, relatedEntityIds: ['z'] }, fieldMask: { paths: ['value'] } });
      assert.deepEqual([a.body.rating.value, a.body.rating.relatedEntityIds], [10, ['a']]);
      const b = await patch(r.id, { rating: { revision: '2', value: 20, relatedEntityIds: ['y'] }, fieldMask: 'rating.relatedEntityIds' });
      assert.deepEqual([b.body.rating.value, b.body.rating.relatedEntityIds], [10, ['y']]);
      // A named relatedEntityIds that is not sent is cleared.
      const c = await patch(r.id, { rating: { revision: '3', value: 30 }, fieldMask: 'value,relatedEntityIds' });
      assert.deepEqual([c.body.rating.value, c.body.rating.relatedEntityIds], [30, []]);
      // The 2022 draft's `fields`.
      const d = await patch(r.id, { rating: { revision: '4', value: 40, relatedEntityIds: ['q'] }, fields: ['relatedEntityIds'] });
      assert.deepEqual([d.body.rating.value, d.body.rating.relatedEntityIds], [30, ['q']]);
      assertViolation(await patch(r.id, { rating: { revision: '5', value: 1 }, fieldMask: { paths: ['group'] } }), 'fieldMask', undefined, /"group".*only value and relatedEntityIds/);
      assertViolation(await patch(r.id, { rating: { revision: '5' }, fieldMask: { paths: ['value'] } }), 'rating.value', 'REQUIRED_FIELD');
      assertViolation(await patch(r.id, { rating: { revision: '5', value: 1 }, fields: ['owner'] }), 'fields');
    });

    it('takes back a rating as read, and refuses changes to anything but value and relatedEntityIds', async () => {
      const r = await create(rating({ owner: { memberId: 'member-7' } }));
      const ok = await patch(r.id, { rating: { ...r, value: 99 } });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.rating.value, 99);
      const cur = ok.body.rating;
      for (const [field, value] of [
        ['namespace', 'comments'],
        ['group', 'bookings'],
        ['entityId', 'other'],
        ['attributeName', 'fit'],
        ['attributeId', 'fit'],
        ['owner', { contactId: 'member-7' }],
        ['owner', { memberId: 'member-8' }],
      ] as const) {
        assertViolation(await patch(r.id, { rating: { ...cur, [field]: value } }), `rating.${field}`, undefined, /cannot be changed/);
      }
      assertViolation(await patch(r.id, { rating: { ...cur, id: randomUUID() } }), 'rating.id', undefined, /does not match the id in the path/);
      assert.deepEqual((await server.call('GET', `${R}/${r.id}`, undefined, owner)).body.rating, cur, 'refused updates change nothing');
    });

    it('validates the value', async () => {
      const r = await create();
      assertViolation(await patch(r.id, { rating: { revision: '1', value: 101 } }), 'rating.value', 'OUT_OF_RANGE');
      assertViolation(await patch(r.id, { rating: { revision: '1', value: 'high' } }), 'rating.value');
      assertViolation(await patch(r.id, { rating: { revision: '1', stars: 3 } }), 'rating', undefined, /stars/);
    });

    it('accepts the flat 2022 body', async () => {
      const r = await create();
      const res = await patch(r.id, { revision: 1, value: 55, relatedEntityIds: ['x'], fields: ['value'] });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual([res.body.rating.value, res.body.rating.relatedEntityIds, res.body.rating.revision], [55, [], '2']);
      assertViolation(await patch(r.id, { value: 1 }), 'revision', 'REQUIRED_FIELD');
    });

    it('is for the owner only (401), and a 404 for an unknown id', async () => {
      const r = await create();
      assertAppError(await patch(r.id, { rating: { revision: '1', value: 1 } }, {}), 401, 'UNAUTHENTICATED');
      assertAppError(await patch(r.id, { rating: { revision: '1', value: 1 } }, { key: 'wrong' }), 401, 'UNAUTHENTICATED');
      assertAppError(await patch(randomUUID(), { rating: { revision: '1', value: 1 } }), 404, 'NOT_FOUND');
      assert.equal((await server.call('GET', `${R}/${r.id}`, undefined, owner)).body.rating.revision, '1');
    });
  });

  describe('Delete Rating', () => {
    const del = (id: string, query: string, init: { owner?: boolean } = owner) => server.call('DELETE', `${R}/${id}${query}`, undefined, init);

    it('deletes at the current revision and answers {}', async () => {
      const r = await create();
      await server.call('PATCH', `${R}/${r.id}`, { rating: { revision: '1', value: 5 } }, owner);
      const res = await del(r.id, '?revision=2');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, {});
      assertAppError(await server.call('GET', `${R}/${r.id}`, undefined, owner), 404, 'NOT_FOUND');
      assertAppError(await del(r.id, '?revision=2'), 404, 'NOT_FOUND');
      // The owner may rate the attribute again.
      const again = await create({ ...rating(), entityId: r.entityId, owner: r.owner });
      assert.notEqual(again.id, r.id);
    });

    it('requires the current revision', async () => {
      const r = await create();
      assertViolation(await del(r.id, ''), 'revision', 'REQUIRED_FIELD');
      assertViolation(await del(r.id, '?revision='), 'revision', 'REQUIRED_FIELD');
      assertViolation(await del(r.id, '?revision=abc'), 'revision');
      const stale = await del(r.id, '?revision=7');
      assertAppError(stale, 409, 'REVISION_MISMATCH');
      assert.deepEqual(stale.body.details.applicationError.data, { currentRevision: '1' });
      assert.equal((await server.call('GET', `${R}/${r.id}`, undefined, owner)).status, 200);
    });

    it('is for the owner only (401)', async () => {
      const r = await create(rating({ owner: { anonymousVisitorId: randomUUID() } }), {});
      assertAppError(await del(r.id, '?revision=1', {}), 401, 'UNAUTHENTICATED');
      assert.equal((await server.call('GET', `${R}/${r.id}`)).status, 200);
    });
  });

  describe('domain events', () => {
    async function eventsOf(ratingId: string): Promise<any[]> {
      const { rows } = await server.db.query<{ body: string; originated_from: string | null; event_type: string }>(
        'SELECT body, originated_from, event_type FROM domain_events WHERE entity_id = $1 ORDER BY entity_seq',
        [ratingId],
      );
      return rows.map((r) => ({ ...JSON.parse(r.body), originated: r.originated_from, type: r.event_type }));
    }

    it('records created, updated and deleted with the full rating, the app and the clock', async () => {
      const hook = await server.call('POST', '/reviews/v1/webhooks', { webhook: { url: 'http://127.0.0.1:9/hook', events: ['wix.ratings.v1.rating_created', 'wix.ratings.v1.rating_updated', 'wix.ratings.v1.rating_deleted'] } }, owner);
      assert.equal(hook.status, 200, JSON.stringify(hook.body));
      try {
        const app = { 'X-Storefront-App-Id': 'sync-app' };
        const created = await create(rating({ relatedEntityIds: ['r1'] }), { owner: true, headers: app });
        clock.advance(5000);
        const updated = (await server.call('PATCH', `${R}/${created.id}`, { rating: { revision: '1', value: 12 } }, { owner: true, headers: app })).body.rating;
        clock.advance(5000);
        const deletedAt = clock.now().toISOString();
        assert.equal((await server.call('DELETE', `${R}/${created.id}?revision=2`, undefined, owner)).status, 200);
        // A refused write records nothing.
        await server.call('PATCH', `${R}/${created.id}`, { rating: { revision: '9', value: 1 } }, owner);

        const events = await eventsOf(created.id);
        assert.deepEqual(events.map((e) => e.type), ['wix.ratings.v1.rating_created', 'wix.ratings.v1.rating_updated', 'wix.ratings.v1.rating_deleted']);
        assert.deepEqual(events.map((e) => [e.entityFqdn, e.slug, e.entityId]), [
          ['wix.ratings.v1.rating', 'created', created.id],
          ['wix.ratings.v1.rating', 'updated', created.id],
          ['wix.ratings.v1.rating', 'deleted', created.id],
        ]);
        assert.deepEqual(JSON.parse(events[0].createdEvent.entityAsJson), created);
        assert.deepEqual(JSON.parse(events[1].updatedEvent.currentEntityAsJson), updated);
        assert.deepEqual(JSON.parse(events[2].deletedEvent.deletedEntityAsJson), updated, 'the rating as it was before deletion');
        assert.deepEqual(events.map((e) => e.originated), ['sync-app', 'sync-app', null]);
        assert.deepEqual(events.map((e) => e.eventTime), [created.createdDate, updated.updatedDate, deletedAt]);

        // A duplicate (409) records no event.
        const dup = await server.call('POST', R, { rating: { ...rating(), entityId: updated.entityId, owner: updated.owner } }, owner);
        assert.equal(dup.status, 200, 'the deleted rating freed the slot');
        const refused = await server.call('POST', R, { rating: { ...rating(), entityId: updated.entityId, owner: updated.owner } }, owner);
        assert.equal(refused.status, 409);
        assert.equal((await eventsOf(dup.body.rating.id)).length, 1);
      } finally {
        await server.call('DELETE', `/reviews/v1/webhooks/${hook.body.webhook.id}`, undefined, owner);
      }
    });
  });

  describe('deleteRatingsRelatedTo', () => {
    it('deletes the ratings linked to a review, in the caller\'s transaction, with a deleted event each', async () => {
      const hook = await server.call('POST', '/reviews/v1/webhooks', { webhook: { url: 'http://127.0.0.1:9/hook', events: ['wix.ratings.v1.rating_deleted'] } }, owner);
      try {
        const reviewId = randomUUID();
        const linked = [
          await create(rating({ relatedEntityIds: [reviewId] })),
          await create(rating({ relatedEntityIds: ['order-1', reviewId] })),
        ];
        const other = await create(rating({ relatedEntityIds: ['order-1', `${reviewId}x`] }));
        // A rolled-back transaction deletes nothing.
        await assert.rejects(
          server.db.transaction(async (tx) => {
            assert.equal(await deleteRatingsRelatedTo(tx, reviewId), 2);
            throw new Error('roll back');
          }),
          /roll back/,
        );
        for (const r of linked) assert.equal((await server.call('GET', `${R}/${r.id}`, undefined, owner)).status, 200);
        const n = await server.db.transaction((tx) => deleteRatingsRelatedTo(tx, reviewId, { appId: 'cleanup-app' }));
        assert.equal(n, 2);
        for (const r of linked) assert.equal((await server.call('GET', `${R}/${r.id}`, undefined, owner)).status, 404);
        assert.equal((await server.call('GET', `${R}/${other.id}`, undefined, owner)).status, 200);
        const { rows } = await server.db.query<{ entity_id: string; body: string; originated_from: string }>(
          `SELECT entity_id, body, originated_from FROM domain_events WHERE entity_id = ANY($1::text[]) ORDER BY entity_id`,
          [linked.map((r) => r.id)],
        );
        assert.deepEqual(rows.map((r) => r.entity_id), linked.map((r) => r.id).sort());
        for (const row of rows) {
          const before = linked.find((r) => r.id === row.entity_id);
          assert.deepEqual(JSON.parse(JSON.parse(row.body).deletedEvent.deletedEntityAsJson), before);
          assert.equal(row.originated_from, 'cleanup-app');
        }
        assert.equal(await server.db.transaction((tx) => deleteRatingsRelatedTo(tx, reviewId)), 0);
      } finally {
        await server.call('DELETE', `/reviews/v1/webhooks/${hook.body.webhook.id}`, undefined, owner);
      }
    });
  });
});

describe('ratings CORS with --cors https://shop.example', () => {
  let server: TestServer;
  const EVIL = 'https://evil.example';
  before(async () => {
    server = await startTestServer({ corsOrigins: ['https://shop.example'], deliveryIntervalMs: 0 });
  });
  after(() => server.close());

  it('lets every origin read ratings (GET, Query Ratings, averages), and only the shop write', async () => {
    const created = await server.call('POST', R, { rating: { group: 'stores', entityId: 'p1', attributeName: 'fit', value: 60, owner: { anonymousVisitorId: randomUUID() } } }, { headers: { Origin: 'https://shop.example' } });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.equal(created.headers.get('access-control-allow-origin'), 'https://shop.example');
    const reads: [string, string, unknown][] = [
      ['GET', `${R}/${created.body.rating.id}`, undefined],
      ['GET', `${R}/groups/stores/entities/p1/summary?attributeNames=fit`, undefined],
      ['GET', `${R}/groups/stores/summary?attributeNames=fit`, undefined],
      ['POST', `${R}/query`, { query: { filter: { entityId: 'p1' } } }],
      ['POST', `${R}/groups/stores/attributes/average`, { entityIds: ['p1'], attributeName: 'fit' }],
    ];
    for (const [method, path, body] of reads) {
      const res = await server.call(method, path, body, { headers: { Origin: EVIL } });
      assert.equal(res.status, 200, `${method} ${path}`);
      assert.equal(res.headers.get('access-control-allow-origin'), '*', path);
    }
    const pre = await server.call('OPTIONS', `${R}/query`, undefined, { headers: { Origin: EVIL, 'Access-Control-Request-Method': 'POST' } });
    assert.equal(pre.headers.get('access-control-allow-origin'), '*');
    const write = await server.call('POST', R, { rating: { group: 'stores', entityId: 'p1', attributeName: 'fit', value: 60, owner: { anonymousVisitorId: randomUUID() } } }, { headers: { Origin: EVIL } });
    assert.equal(write.status, 403);
    const writePre = await server.call('OPTIONS', R, undefined, { headers: { Origin: EVIL, 'Access-Control-Request-Method': 'POST' } });
    assert.equal(writePre.headers.get('access-control-allow-origin'), null);
  });
});

function withoutOwner(r: Record<string, unknown>): Record<string, unknown> {
  const { owner: _owner, ...rest } = r;
  return rest;
}
