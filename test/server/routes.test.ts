/**
 * Every Reviews route, under both `/reviews/v1` and `/reviews/api/v1`, with the shapes,
 * enums and status codes of the Wix REST API and the exact requests the official SDK
 * sends (reference section 11). Moderation is `off` here, so every review is APPROVED.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { reviewBody, startTestServer, type TestServer } from './helpers.js';

const PREFIXES = ['/reviews/v1', '/reviews/api/v1'] as const;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const REVIEW_KEYS = [
  'author', 'content', 'createdDate', 'entityId', 'foundHelpful', 'foundUnhelpful', 'helpfulness', 'id',
  'moderation', 'namespace', 'origin', 'publishCount', 'relevanceScore', 'reviewDate', 'revision',
  'updatedDate', 'verified',
];

describe('reviews routes', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  const owner = { owner: true };
  const fresh = () => `e-${randomUUID().slice(0, 8)}`;

  async function create(overrides: Parameters<typeof reviewBody>[0] = {}) {
    const res = await server.call('POST', '/reviews/v1/reviews', reviewBody({ entityId: fresh(), ...overrides }), owner);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.review;
  }

  async function ownerGet(id: string) {
    return server.call('GET', `/reviews/v1/reviews/${id}?returnPrivateReviews=true`, undefined, owner);
  }

  function assertViolations(res: { status: number; body: any }, expected: [field: string, ruleName: string][]) {
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal(typeof res.body.message, 'string');
    const got = res.body.details.validationError.fieldViolations.map((v: any) => [v.field, v.ruleName]);
    assert.deepEqual(got, expected);
    for (const v of res.body.details.validationError.fieldViolations) assert.ok(v.description.length > 0);
  }

  function assertAppError(res: { status: number; body: any }, status: number, code: string) {
    assert.equal(res.status, status, JSON.stringify(res.body));
    assert.equal(res.body.details.applicationError.code, code);
    assert.equal(typeof res.body.message, 'string');
    assert.equal(res.body.details.applicationError.description, res.body.message);
  }

  for (const P of PREFIXES) {
    describe(P, () => {
      describe('Create Review', () => {
        it('returns the full Wix review object', async () => {
          const entityId = fresh();
          const contactId = randomUUID();
          const res = await server.call(
            'POST',
            `${P}/reviews`,
            { review: { namespace: 'stores', entityId, author: { contactId, authorName: 'Dana K.' }, content: { rating: 4, title: 'Warm' } } },
            owner,
          );
          assert.equal(res.status, 200);
          assert.deepEqual(Object.keys(res.body), ['review']);
          const r = res.body.review;
          assert.deepEqual(Object.keys(r).sort(), REVIEW_KEYS);
          assert.match(r.id, UUID);
          assert.match(r.createdDate, ISO_MS);
          assert.equal(r.updatedDate, r.createdDate);
          assert.equal(r.reviewDate, r.createdDate);
          assert.deepEqual(
            { ...r, id: undefined, createdDate: undefined, updatedDate: undefined, reviewDate: undefined },
            {
              id: undefined,
              createdDate: undefined,
              updatedDate: undefined,
              reviewDate: undefined,
              namespace: 'stores',
              entityId,
              content: { title: 'Warm', body: null, media: [], rating: 4 },
              author: { contactId, authorName: 'Dana K.' },
              foundHelpful: 0,
              foundUnhelpful: 0,
              helpfulness: 0,
              moderation: { moderationStatus: 'APPROVED', manuallyChanged: false },
              revision: '1',
              verified: false,
              origin: { type: 'ORGANIC' },
              relevanceScore: 0,
              publishCount: 1,
            },
          );
        });

        it('lets the owner import: verified, reviewDate and an APP origin are kept', async () => {
          const res = await server.call(
            'POST',
            `${P}/reviews`,
            {
              review: {
                ...reviewBody({ entityId: fresh() }).review,
                verified: true,
                reviewDate: '2021-03-04T05:06:07.089Z',
                origin: { type: 'APP', appId: 'importer' },
              },
            },
            owner,
          );
          assert.equal(res.status, 200);
          assert.equal(res.body.review.verified, true);
          assert.equal(res.body.review.reviewDate, '2021-03-04T05:06:07.089Z');
          assert.notEqual(res.body.review.createdDate, '2021-03-04T05:06:07.089Z');
          assert.deepEqual(res.body.review.origin, { type: 'APP', appId: 'importer' });
        });

        it('ignores read-only fields sent back from a review read earlier', async () => {
          const body = reviewBody({ entityId: fresh() });
          const res = await server.call(
            'POST',
            `${P}/reviews`,
            {
              review: {
                ...body.review,
                id: 'chosen-by-client',
                revision: '7',
                foundHelpful: 99,
                foundUnhelpful: 3,
                helpfulness: 96,
                moderation: { moderationStatus: 'REJECTED', manuallyChanged: true },
                publishCount: 5,
                relevanceScore: 1,
                createdDate: '2000-01-01T00:00:00.000Z',
              },
            },
            owner,
          );
          assert.equal(res.status, 200);
          const r = res.body.review;
          assert.notEqual(r.id, 'chosen-by-client');
          assert.match(r.id, UUID);
          assert.equal(r.revision, '1');
          assert.deepEqual([r.foundHelpful, r.foundUnhelpful, r.helpfulness, r.publishCount], [0, 0, 0, 1]);
          assert.deepEqual(r.moderation, { moderationStatus: 'APPROVED', manuallyChanged: false });
          assert.notEqual(r.createdDate, '2000-01-01T00:00:00.000Z');
        });

        it('lists every missing required field', async () => {
          const res = await server.call('POST', `${P}/reviews`, { review: {} }, owner);
          assertViolations(res, [
            ['review.namespace', 'REQUIRED_FIELD'],
            ['review.entityId', 'REQUIRED_FIELD'],
            ['review.content', 'REQUIRED_FIELD'],
            ['review.author', 'REQUIRED_FIELD'],
          ]);
        });

        it('requires author.contactId and content.rating', async () => {
          const res = await server.call(
            'POST',
            `${P}/reviews`,
            { review: { namespace: 'stores', entityId: fresh(), author: { authorName: 'x' }, content: { title: 't' } } },
            owner,
          );
          assertViolations(res, [
            ['review.content.rating', 'REQUIRED_FIELD'],
            ['review.author.contactId', 'REQUIRED_FIELD'],
          ]);
        });

        it('checks ranges: rating 1-5, body 3000, title 200, entityId 36, media 10', async () => {
          const base = reviewBody({ entityId: fresh() }).review;
          const cases: [unknown, string][] = [
            [{ ...base, content: { rating: 0 } }, 'review.content.rating'],
            [{ ...base, content: { rating: 6 } }, 'review.content.rating'],
            [{ ...base, content: { rating: 3.5 } }, 'review.content.rating'],
            [{ ...base, content: { rating: 5, body: 'b'.repeat(3001) } }, 'review.content.body'],
            [{ ...base, content: { rating: 5, title: 't'.repeat(201) } }, 'review.content.title'],
            [{ ...base, entityId: 'e'.repeat(37) }, 'review.entityId'],
            [
              { ...base, content: { rating: 5, media: Array.from({ length: 11 }, (_, i) => ({ image: { url: `https://cdn.example/${i}.jpg` } })) } },
              'review.content.media',
            ],
          ];
          for (const [review, field] of cases) {
            const res = await server.call('POST', `${P}/reviews`, { review }, owner);
            assert.equal(res.status, 400, field);
            assert.deepEqual(res.body.details.validationError.fieldViolations.map((v: any) => v.field), [field]);
          }
          const ok = await server.call('POST', `${P}/reviews`, { review: { ...base, content: { rating: 1, body: 'b'.repeat(3000), title: 't'.repeat(200) } } }, owner);
          assert.equal(ok.status, 200);
          assert.equal(ok.body.review.content.body.length, 3000);
        });

        it('refuses a second review by one author of one entity with 409 DUPLICATE_REVIEW', async () => {
          const first = await create();
          const again = reviewBody({ entityId: first.entityId, contactId: first.author.contactId, rating: 1 });
          const res = await server.call('POST', `${P}/reviews`, again, owner);
          assertAppError(res, 409, 'DUPLICATE_REVIEW');
          assert.deepEqual(res.body.details.applicationError.data, { namespace: 'stores', entityId: first.entityId });
          const count = await server.call('POST', `${P}/reviews/count`, { filter: { entityId: first.entityId } }, owner);
          assert.deepEqual(count.body, { count: 1 });
          // The same author may review another entity, or the same id in another namespace.
          const other = await server.call('POST', `${P}/reviews`, reviewBody({ entityId: fresh(), contactId: first.author.contactId }), owner);
          assert.equal(other.status, 200);
          const otherNs = await server.call(
            'POST',
            `${P}/reviews`,
            reviewBody({ entityId: first.entityId, contactId: first.author.contactId, namespace: 'bookings' }),
            owner,
          );
          assert.equal(otherNs.status, 200);
        });
      });

      describe('Create Review And Contact', () => {
        it('creates a contact and a review for a visitor with name and e-mail', async () => {
          const entityId = fresh();
          const res = await server.call('POST', `${P}/reviews/contact`, {
            namespace: 'stores',
            entityId,
            name: 'Ana',
            email: `ana-${entityId}@example.com`,
            content: { rating: 5, title: 'Lovely', body: 'Fits well' },
          });
          assert.equal(res.status, 200);
          const r = res.body.review;
          assert.deepEqual(Object.keys(r).sort(), REVIEW_KEYS);
          assert.equal(r.entityId, entityId);
          assert.equal(r.author.authorName, 'Ana');
          assert.match(r.author.contactId, UUID);
          assert.deepEqual(r.content, { title: 'Lovely', body: 'Fits well', media: [], rating: 5 });
          assert.deepEqual(r.moderation, { moderationStatus: 'APPROVED', manuallyChanged: false });
          assert.deepEqual(r.origin, { type: 'ORGANIC' });
          assert.equal(r.verified, false);
        });

        it('reuses the contact of a known e-mail (case-insensitive) and refuses a second review of one entity', async () => {
          const email = `reuse-${randomUUID().slice(0, 8)}@example.com`;
          const a = await server.call('POST', `${P}/reviews/contact`, { namespace: 'stores', entityId: fresh(), name: 'Bo', email, content: { rating: 4 } });
          const entityId = fresh();
          const b = await server.call('POST', `${P}/reviews/contact`, { namespace: 'stores', entityId, name: 'Bo', email: email.toUpperCase(), content: { rating: 3 } });
          assert.equal(a.status, 200);
          assert.equal(b.status, 200);
          assert.equal(b.body.review.author.contactId, a.body.review.author.contactId);
          const dup = await server.call('POST', `${P}/reviews/contact`, { namespace: 'stores', entityId, name: 'Bo', email, content: { rating: 1 } });
          assertAppError(dup, 409, 'DUPLICATE_REVIEW');
          const other = await server.call('POST', `${P}/reviews/contact`, { namespace: 'stores', entityId, name: 'Cy', email: `other-${email}`, content: { rating: 2 } });
          assert.equal(other.status, 200);
          assert.notEqual(other.body.review.author.contactId, a.body.review.author.contactId);
          const count = await server.call('POST', `${P}/reviews/count`, { filter: { entityId } });
          assert.deepEqual(count.body, { count: 2 });
        });

        it('requires name and e-mail from a visitor', async () => {
          const entityId = fresh();
          const both = await server.call('POST', `${P}/reviews/contact`, { namespace: 'stores', entityId, content: { rating: 5 } });
          assertViolations(both, [['name', 'REQUIRED_FIELD'], ['email', 'REQUIRED_FIELD']]);
          assert.equal(both.body.message, 'name and email are required');
          const blankName = await server.call('POST', `${P}/reviews/contact`, { namespace: 'stores', entityId, name: '   ', email: 'x@example.com', content: { rating: 5 } });
          assertViolations(blankName, [['name', 'REQUIRED_FIELD']]);
          const badEmail = await server.call('POST', `${P}/reviews/contact`, { namespace: 'stores', entityId, name: 'X', email: 'not-an-email', content: { rating: 5 } });
          assertViolations(badEmail, [['email', 'INVALID_ARGUMENT']]);
          const noRating = await server.call('POST', `${P}/reviews/contact`, { namespace: 'stores', entityId, name: 'X', email: 'x@example.com', content: {} });
          assertViolations(noRating, [['content.rating', 'REQUIRED_FIELD']]);
          const count = await server.call('POST', `${P}/reviews/count`, { filter: { entityId } }, owner);
          assert.deepEqual(count.body, { count: 0 });
        });

        it('lets the owner create without an e-mail (a new contact each time)', async () => {
          const entityId = fresh();
          const a = await server.call('POST', `${P}/reviews/contact`, { namespace: 'stores', entityId, content: { rating: 5 } }, owner);
          const b = await server.call('POST', `${P}/reviews/contact`, { namespace: 'stores', entityId, content: { rating: 4 } }, owner);
          assert.equal(a.status, 200);
          assert.equal(b.status, 200);
          assert.notEqual(a.body.review.author.contactId, b.body.review.author.contactId);
          assert.equal(a.body.review.author.authorName, null);
        });
      });

      describe('Get Review', () => {
        it('returns the review as created', async () => {
          const created = await create();
          const res = await server.call('GET', `${P}/reviews/${created.id}`);
          assert.equal(res.status, 200);
          assert.deepEqual(res.body, { review: created });
        });

        it('accepts the SDK request with the extra reviewId parameter', async () => {
          const created = await create();
          const res = await server.call('GET', `${P}/reviews/${created.id}?reviewId=${created.id}&returnPrivateReviews=true`, undefined, owner);
          assert.equal(res.status, 200);
          assert.deepEqual(res.body, { review: created });
        });

        it('answers an unknown id with 404 NOT_FOUND', async () => {
          const res = await server.call('GET', `${P}/reviews/${randomUUID()}`);
          assertAppError(res, 404, 'NOT_FOUND');
        });
      });

      describe('Update Review', () => {
        it('accepts the SDK body (id in the body, string revision) and bumps the revision', async () => {
          const created = await create({ title: 'Old', body: 'Old body', rating: 2 });
          const res = await server.call(
            'PATCH',
            `${P}/reviews/${created.id}`,
            { review: { revision: '1', content: { title: 'New', body: 'New body', rating: 4 }, id: created.id } },
            owner,
          );
          assert.equal(res.status, 200);
          const r = res.body.review;
          assert.equal(r.revision, '2');
          assert.deepEqual(r.content, { title: 'New', body: 'New body', media: [], rating: 4 });
          assert.equal(r.createdDate, created.createdDate);
          assert.ok(Date.parse(r.updatedDate) >= Date.parse(created.updatedDate));
          assert.deepEqual(r.author, created.author);
          const read = await server.call('GET', `${P}/reviews/${created.id}`);
          assert.deepEqual(read.body, { review: r });
        });

        it('changes only the given content fields and accepts a numeric revision', async () => {
          const created = await create({ title: 'Keep', body: 'Keep body', rating: 3 });
          const res = await server.call('PATCH', `${P}/reviews/${created.id}`, { review: { revision: 1, content: { title: 'Changed' } } }, owner);
          assert.equal(res.status, 200);
          assert.deepEqual(res.body.review.content, { title: 'Changed', body: 'Keep body', media: [], rating: 3 });
          assert.equal(res.body.review.revision, '2');
          const again = await server.call('PATCH', `${P}/reviews/${created.id}`, { review: { revision: '2', author: { authorName: 'Renamed' } } }, owner);
          assert.equal(again.status, 200);
          assert.deepEqual(again.body.review.author, { contactId: created.author.contactId, authorName: 'Renamed' });
          assert.equal(again.body.review.revision, '3');
        });

        it('refuses a stale revision with 409 and leaves the review unchanged', async () => {
          const created = await create({ title: 'Original' });
          const first = await server.call('PATCH', `${P}/reviews/${created.id}`, { review: { revision: '1', content: { title: 'First' } } }, owner);
          assert.equal(first.status, 200);
          const stale = await server.call('PATCH', `${P}/reviews/${created.id}`, { review: { revision: '1', content: { title: 'Second' } } }, owner);
          assertAppError(stale, 409, 'REVISION_MISMATCH');
          assert.deepEqual(stale.body.details.applicationError.data, { currentRevision: '2' });
          const future = await server.call('PATCH', `${P}/reviews/${created.id}`, { review: { revision: '9', content: { title: 'Third' } } }, owner);
          assertAppError(future, 409, 'REVISION_MISMATCH');
          const read = await ownerGet(created.id);
          assert.equal(read.body.review.content.title, 'First');
          assert.equal(read.body.review.revision, '2');
        });

        it('requires the revision', async () => {
          const created = await create();
          const res = await server.call('PATCH', `${P}/reviews/${created.id}`, { review: { content: { title: 'x' } } }, owner);
          assertViolations(res, [['review.revision', 'REQUIRED_FIELD']]);
        });

        it('refuses a body id that differs from the path, and changes to namespace, entity or author', async () => {
          const created = await create();
          const cases: [unknown, string][] = [
            [{ revision: '1', id: randomUUID() }, 'review.id'],
            [{ revision: '1', entityId: 'other' }, 'review.entityId'],
            [{ revision: '1', namespace: 'bookings' }, 'review.namespace'],
            [{ revision: '1', author: { contactId: randomUUID() } }, 'review.author.contactId'],
          ];
          for (const [review, field] of cases) {
            const res = await server.call('PATCH', `${P}/reviews/${created.id}`, { review }, owner);
            assertViolations(res, [[field, 'INVALID_ARGUMENT']]);
          }
          const read = await ownerGet(created.id);
          assert.deepEqual(read.body.review, created);
        });

        it('answers an unknown id with 404', async () => {
          const res = await server.call('PATCH', `${P}/reviews/${randomUUID()}`, { review: { revision: '1', content: { rating: 2 } } }, owner);
          assertAppError(res, 404, 'NOT_FOUND');
        });
      });

      describe('Delete Review', () => {
        it('deletes (SDK request with ?reviewId) and returns the deleted review', async () => {
          const created = await create();
          const res = await server.call('DELETE', `${P}/reviews/${created.id}?reviewId=${created.id}`, undefined, owner);
          assert.equal(res.status, 200);
          assert.deepEqual(res.body, { review: created });
          assert.equal((await ownerGet(created.id)).status, 404);
          const again = await server.call('DELETE', `${P}/reviews/${created.id}`, undefined, owner);
          assertAppError(again, 404, 'NOT_FOUND');
        });
      });

      describe('Set Reply and Remove Reply', () => {
        it('sets a reply (SDK body with reviewId), overwrites it, and removes it', async () => {
          const created = await create();
          const set = await server.call('PATCH', `${P}/reviews/${created.id}/reply`, { reviewId: created.id, message: 'Thank you!' }, owner);
          assert.equal(set.status, 200);
          const reply = set.body.review.reply;
          assert.deepEqual(Object.keys(reply).sort(), ['createdDate', 'message', 'updatedDate']);
          assert.equal(reply.message, 'Thank you!');
          assert.match(reply.createdDate, ISO_MS);
          assert.equal(set.body.review.revision, '2');

          const over = await server.call('PATCH', `${P}/reviews/${created.id}/reply`, { message: 'Thanks again' }, owner);
          assert.equal(over.status, 200);
          assert.equal(over.body.review.reply.message, 'Thanks again');
          assert.equal(over.body.review.reply.createdDate, reply.createdDate);
          assert.equal(over.body.review.revision, '3');

          const visitorView = await server.call('GET', `${P}/reviews/${created.id}`);
          assert.deepEqual(visitorView.body.review.reply, over.body.review.reply);

          const removed = await server.call('DELETE', `${P}/reviews/${created.id}/reply?reviewId=${created.id}`, undefined, owner);
          assert.equal(removed.status, 200);
          assert.equal('reply' in removed.body.review, false);
          assert.equal(removed.body.review.revision, '4');
          const read = await server.call('GET', `${P}/reviews/${created.id}`);
          assert.equal('reply' in read.body.review, false);
        });

        it('refuses an empty or oversized message and a mismatched reviewId', async () => {
          const created = await create();
          assertViolations(await server.call('PATCH', `${P}/reviews/${created.id}/reply`, { message: '' }, owner), [['message', 'OUT_OF_RANGE']]);
          assertViolations(await server.call('PATCH', `${P}/reviews/${created.id}/reply`, { message: 'm'.repeat(3001) }, owner), [['message', 'OUT_OF_RANGE']]);
          assertViolations(await server.call('PATCH', `${P}/reviews/${created.id}/reply`, {}, owner), [['message', 'REQUIRED_FIELD']]);
          assertViolations(
            await server.call('PATCH', `${P}/reviews/${created.id}/reply`, { reviewId: randomUUID(), message: 'hi' }, owner),
            [['reviewId', 'INVALID_ARGUMENT']],
          );
          assert.deepEqual((await ownerGet(created.id)).body.review, created);
        });

        it('answers an unknown review with 404', async () => {
          assertAppError(await server.call('PATCH', `${P}/reviews/${randomUUID()}/reply`, { message: 'hi' }, owner), 404, 'NOT_FOUND');
          assertAppError(await server.call('DELETE', `${P}/reviews/${randomUUID()}/reply`, undefined, owner), 404, 'NOT_FOUND');
        });
      });

      describe('Update Moderation Status', () => {
        it('rejects and approves (SDK body with reviewId); visitors see only approved reviews', async () => {
          const created = await create();
          const rejected = await server.call('PATCH', `${P}/reviews/${created.id}/moderate`, { reviewId: created.id, status: 'REJECTED' }, owner);
          assert.equal(rejected.status, 200);
          assert.deepEqual(rejected.body.review.moderation, { moderationStatus: 'REJECTED', manuallyChanged: true });
          assert.equal(rejected.body.review.revision, '2');
          assert.equal(rejected.body.review.publishCount, 1);
          assertAppError(await server.call('GET', `${P}/reviews/${created.id}`), 404, 'NOT_FOUND');

          const approved = await server.call('PATCH', `${P}/reviews/${created.id}/moderate`, { status: 'APPROVED' }, owner);
          assert.equal(approved.status, 200);
          assert.deepEqual(approved.body.review.moderation, { moderationStatus: 'APPROVED', manuallyChanged: true });
          assert.equal(approved.body.review.publishCount, 2);
          const read = await server.call('GET', `${P}/reviews/${created.id}`);
          assert.equal(read.status, 200);
          assert.deepEqual(read.body.review, approved.body.review);
        });

        it('accepts only APPROVED and REJECTED', async () => {
          const created = await create();
          for (const status of ['UNKNOWN_MODERATION_STATUS', 'UNKNOWN']) {
            assertViolations(await server.call('PATCH', `${P}/reviews/${created.id}/moderate`, { status }, owner), [['status', 'INVALID_ARGUMENT']]);
          }
          for (const status of ['IN_MODERATION', 'approved', 5]) {
            assertViolations(await server.call('PATCH', `${P}/reviews/${created.id}/moderate`, { status }, owner), [['status', 'INVALID_ARGUMENT']]);
          }
          assertViolations(await server.call('PATCH', `${P}/reviews/${created.id}/moderate`, {}, owner), [['status', 'REQUIRED_FIELD']]);
          assertViolations(
            await server.call('PATCH', `${P}/reviews/${created.id}/moderate`, { reviewId: 'other', status: 'APPROVED' }, owner),
            [['reviewId', 'INVALID_ARGUMENT']],
          );
          assert.deepEqual((await ownerGet(created.id)).body.review, created);
        });

        it('answers an unknown review with 404', async () => {
          assertAppError(await server.call('PATCH', `${P}/reviews/${randomUUID()}/moderate`, { status: 'APPROVED' }, owner), 404, 'NOT_FOUND');
        });
      });

      describe('Query Reviews and Count Reviews', () => {
        it('answers the SDK query and count requests', async () => {
          const entityId = fresh();
          const made = [];
          for (const rating of [5, 3, 4]) made.push(await create({ entityId, rating }));
          const res = await server.call('POST', `${P}/reviews/query`, {
            query: {
              filter: { $and: [{ entityId }, { 'content.rating': { $gte: 4 } }] },
              cursorPaging: { limit: 5 },
              sort: [{ fieldName: 'helpfulness', order: 'DESC' }],
            },
          });
          assert.equal(res.status, 200);
          assert.deepEqual(Object.keys(res.body).sort(), ['metadata', 'reviews']);
          assert.deepEqual(
            res.body.reviews.map((r: any) => r.id).sort(),
            [made[0].id, made[2].id].sort(),
          );
          assert.equal(res.body.metadata.count, 2);
          assert.equal(res.body.metadata.cursors.next, undefined);
          const count = await server.call('POST', `${P}/reviews/count`, { filter: { entityId } });
          assert.equal(count.status, 200);
          assert.deepEqual(count.body, { count: 3 });
          const empty = await server.call('POST', `${P}/reviews/count`, { filter: { entityId: fresh() } });
          assert.deepEqual(empty.body, { count: 0 });
        });

        it('accepts an empty body as "everything"', async () => {
          const q = await server.call('POST', `${P}/reviews/query`, '', { headers: { 'Content-Type': 'application/json' } });
          assert.equal(q.status, 200);
          assert.ok(q.body.reviews.length > 0);
          const c = await server.call('POST', `${P}/reviews/count`, '', { headers: { 'Content-Type': 'application/json' } });
          assert.equal(c.status, 200);
          assert.equal(typeof c.body.count, 'number');
          assert.ok(c.body.count >= q.body.reviews.length);
        });
      });

      describe('Bulk Create Reviews', () => {
        it('creates each valid item and reports each failure by index', async () => {
          const entityId = fresh();
          const contactId = randomUUID();
          const res = await server.call(
            'POST',
            `${P}/bulk/reviews/create`,
            {
              reviews: [
                reviewBody({ entityId, contactId, rating: 5 }).review,
                { ...reviewBody({ entityId }).review, content: { rating: 9 } },
                reviewBody({ entityId, contactId, rating: 1 }).review,
                reviewBody({ entityId, rating: 2 }).review,
              ],
              returnEntity: true,
            },
            owner,
          );
          assert.equal(res.status, 200);
          assert.deepEqual(res.body.bulkActionMetadata, { totalSuccesses: 2, totalFailures: 2, undetailedFailures: 0 });
          const [a, bad, dup, b] = res.body.results;
          assert.deepEqual(a.itemMetadata, { id: a.review.id, originalIndex: 0, success: true });
          assert.equal(a.review.content.rating, 5);
          assert.deepEqual(b.itemMetadata, { id: b.review.id, originalIndex: 3, success: true });
          assert.equal(bad.review, undefined);
          assert.equal(bad.itemMetadata.success, false);
          assert.equal(bad.itemMetadata.originalIndex, 1);
          assert.equal(bad.itemMetadata.error.code, 'INVALID_ARGUMENT');
          assert.deepEqual(bad.itemMetadata.error.data.fieldViolations.map((v: any) => v.field), ['reviews[1].content.rating']);
          assert.equal(dup.itemMetadata.success, false);
          assert.equal(dup.itemMetadata.originalIndex, 2);
          assert.equal(dup.itemMetadata.error.code, 'DUPLICATE_REVIEW');
          const count = await server.call('POST', `${P}/reviews/count`, { filter: { entityId } });
          assert.deepEqual(count.body, { count: 2 });
          const read = await server.call('GET', `${P}/reviews/${a.review.id}`);
          assert.deepEqual(read.body.review, a.review);
        });

        it('leaves the entities out unless returnEntity is true', async () => {
          const res = await server.call('POST', `${P}/bulk/reviews/create`, { reviews: [reviewBody({ entityId: fresh() }).review] }, owner);
          assert.equal(res.status, 200);
          assert.deepEqual(Object.keys(res.body.results[0]), ['itemMetadata']);
          assert.equal(res.body.results[0].itemMetadata.success, true);
          assert.match(res.body.results[0].itemMetadata.id, UUID);
        });

        it('refuses an empty list', async () => {
          assertViolations(await server.call('POST', `${P}/bulk/reviews/create`, { reviews: [] }, owner), [['reviews', 'OUT_OF_RANGE']]);
          assertViolations(await server.call('POST', `${P}/bulk/reviews/create`, {}, owner), [['reviews', 'REQUIRED_FIELD']]);
        });
      });

      describe('Bulk Delete Reviews', () => {
        it('deletes exactly the reviews matching the filter', async () => {
          const entityId = fresh();
          const keep = fresh();
          const doomed = [await create({ entityId }), await create({ entityId })];
          const kept = await create({ entityId: keep });
          const res = await server.call('POST', `${P}/bulk/reviews/delete`, { filter: { entityId } }, owner);
          assert.equal(res.status, 200);
          assert.deepEqual(Object.keys(res.body).sort(), ['affected', 'jobId']);
          assert.match(res.body.jobId, UUID);
          assert.equal(res.body.affected, 2);
          for (const r of doomed) assert.equal((await ownerGet(r.id)).status, 404);
          assert.deepEqual((await ownerGet(kept.id)).body.review, kept);
        });

        it('refuses a missing or empty filter instead of deleting everything', async () => {
          const before = await server.call('POST', `${P}/reviews/count`, { includePrivateReviews: true }, owner);
          assertViolations(await server.call('POST', `${P}/bulk/reviews/delete`, { filter: {} }, owner), [['filter', 'INVALID_ARGUMENT']]);
          assertViolations(await server.call('POST', `${P}/bulk/reviews/delete`, {}, owner), [['filter', 'REQUIRED_FIELD']]);
          const after = await server.call('POST', `${P}/reviews/count`, { includePrivateReviews: true }, owner);
          assert.deepEqual(after.body, before.body);
        });
      });

      describe('Bulk Update Moderation Status', () => {
        it('moderates exactly the reviews matching the filter', async () => {
          const entityId = fresh();
          const hit = [await create({ entityId, rating: 1 }), await create({ entityId, rating: 2 })];
          const spared = await create({ entityId, rating: 5 });
          const res = await server.call(
            'POST',
            `${P}/bulk/reviews/moderate`,
            { filter: { entityId, 'content.rating': { $lte: 2 } }, status: 'REJECTED' },
            owner,
          );
          assert.equal(res.status, 200);
          assert.match(res.body.jobId, UUID);
          assert.equal(res.body.affected, 2);
          for (const r of hit) {
            const read = await ownerGet(r.id);
            assert.deepEqual(read.body.review.moderation, { moderationStatus: 'REJECTED', manuallyChanged: true });
          }
          assert.deepEqual((await ownerGet(spared.id)).body.review, spared);
          assert.deepEqual((await server.call('POST', `${P}/reviews/count`, { filter: { entityId } })).body, { count: 1 });
          assert.deepEqual((await server.call('POST', `${P}/reviews/count`, { filter: { entityId }, includePrivateReviews: true }, owner)).body, { count: 3 });

          const back = await server.call('POST', `${P}/bulk/reviews/moderate`, { filter: { entityId }, status: 'APPROVED' }, owner);
          assert.equal(back.body.affected, 3);
          assert.deepEqual((await server.call('POST', `${P}/reviews/count`, { filter: { entityId } })).body, { count: 3 });
        });

        it('refuses an empty filter and an unknown status', async () => {
          assertViolations(await server.call('POST', `${P}/bulk/reviews/moderate`, { filter: {}, status: 'REJECTED' }, owner), [['filter', 'INVALID_ARGUMENT']]);
          assertViolations(
            await server.call('POST', `${P}/bulk/reviews/moderate`, { filter: { namespace: 'stores' }, status: 'DELETED' }, owner),
            [['status', 'INVALID_ARGUMENT']],
          );
          assertViolations(
            await server.call('POST', `${P}/bulk/reviews/moderate`, { filter: { namespace: 'stores' }, status: 'UNKNOWN' }, owner),
            [['status', 'INVALID_ARGUMENT']],
          );
        });
      });
    });
  }

  describe('concurrent conflicts', () => {
    it('of five identical creates at once, one wins and four get 409 DUPLICATE_REVIEW', async () => {
      const body = reviewBody({ entityId: fresh() });
      const results = await Promise.all(Array.from({ length: 5 }, () => server.call('POST', '/reviews/v1/reviews', body, owner)));
      assert.deepEqual(results.map((r) => r.status).sort(), [200, 409, 409, 409, 409]);
      for (const r of results.filter((x) => x.status === 409)) assert.equal(r.body.details.applicationError.code, 'DUPLICATE_REVIEW');
      const count = await server.call('POST', '/reviews/v1/reviews/count', { filter: { entityId: body.review.entityId } });
      assert.deepEqual(count.body, { count: 1 });
    });

    it('of five updates from the same revision at once, one wins and four get 409', async () => {
      const created = await create({ title: 'start' });
      const results = await Promise.all(
        [1, 2, 3, 4, 5].map((n) => server.call('PATCH', `/reviews/v1/reviews/${created.id}`, { review: { revision: '1', content: { title: `writer ${n}` } } }, owner)),
      );
      assert.deepEqual(results.map((r) => r.status).sort(), [200, 409, 409, 409, 409]);
      const winner = results.find((r) => r.status === 200)!;
      const read = await ownerGet(created.id);
      assert.equal(read.body.review.revision, '2');
      assert.equal(read.body.review.content.title, winner.body.review.content.title);
    });

    it('five visitor reviews at once by one new e-mail share one contact', async () => {
      const email = `burst-${randomUUID().slice(0, 8)}@example.com`;
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          server.call('POST', '/reviews/v1/reviews/contact', { namespace: 'stores', entityId: fresh(), name: 'Burst', email, content: { rating: 4 } }),
        ),
      );
      assert.deepEqual(results.map((r) => r.status), [200, 200, 200, 200, 200]);
      assert.equal(new Set(results.map((r) => r.body.review.author.contactId)).size, 1);
    });
  });

  describe('SDK headers and CORS (default: any origin)', () => {
    it('accepts the wix-site-id header the SDK sends beside the key', async () => {
      const res = await server.call('POST', '/reviews/v1/reviews', reviewBody({ entityId: fresh() }), {
        owner: true,
        headers: { 'wix-site-id': randomUUID() },
      });
      assert.equal(res.status, 200);
    });

    it('allows reads and writes from any origin', async () => {
      const created = await create();
      const read = await server.call('GET', `/reviews/v1/reviews/${created.id}`, undefined, { headers: { Origin: 'https://anywhere.example' } });
      assert.equal(read.status, 200);
      assert.equal(read.headers.get('access-control-allow-origin'), '*');
      const pre = await server.call('OPTIONS', '/reviews/v1/reviews/contact', undefined, {
        headers: {
          Origin: 'https://anywhere.example',
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type',
        },
      });
      assert.equal(pre.status, 204);
      assert.equal(pre.headers.get('access-control-allow-origin'), '*');
      assert.match(pre.headers.get('access-control-allow-methods') ?? '', /\bPOST\b/);
      assert.match(pre.headers.get('access-control-allow-headers') ?? '', /Authorization/);
      const write = await server.call(
        'POST',
        '/reviews/v1/reviews/contact',
        { namespace: 'stores', entityId: fresh(), name: 'Far', email: 'far@away.example', content: { rating: 4 } },
        { headers: { Origin: 'https://anywhere.example' } },
      );
      assert.equal(write.status, 200);
      assert.equal(write.headers.get('access-control-allow-origin'), '*');
    });
  });
});
