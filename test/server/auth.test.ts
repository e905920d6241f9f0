/**
 * Who may call what. The owner key (`Authorization: <key>`) may do everything; a visitor
 * (no key) may read approved reviews and summaries, create a review with name + e-mail,
 * vote and upload media; a wrong key is 401 everywhere. Table-driven: every route x
 * credential is its own test, and every refused call must leave the data unchanged.
 * This server allows writes only from https://shop.example (`--cors`).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { png, upload } from './images.js';
import { OWNER_KEY, reviewBody, startTestServer, type TestServer } from './helpers.js';

const SHOP = 'https://shop.example';
const EVIL = 'https://evil.example';

type Credential = 'visitor' | 'wrong key' | 'owner';
const CREDENTIALS: Credential[] = ['visitor', 'wrong key', 'owner'];

interface Ctx {
  id: string;
  entityId: string;
  mediaId: string;
  cursor: string;
}

interface RouteCase {
  name: string;
  method: string;
  path: (ctx: Ctx) => string;
  body?: (ctx: Ctx) => unknown;
  /** Expected status without a key and with the owner key (a wrong key is always 401). */
  visitor: number;
  owner: number;
  /** Extra checks of a successful owner call. */
  ownerCheck?: (body: any, ctx: Ctx) => void;
}

function reviewRoutes(P: string): RouteCase[] {
  return [
    {
      name: 'Create Review',
      method: 'POST',
      path: () => `${P}/reviews`,
      body: () => reviewBody({ entityId: `new-${randomUUID().slice(0, 8)}` }),
      visitor: 403,
      owner: 200,
      ownerCheck: (b) => assert.equal(b.review.revision, '1'),
    },
    {
      name: 'Create Review And Contact',
      method: 'POST',
      path: () => `${P}/reviews/contact`,
      body: (ctx) => ({ namespace: 'stores', entityId: ctx.entityId, name: 'Visitor', email: `${randomUUID()}@example.com`, content: { rating: 4 } }),
      visitor: 200,
      owner: 200,
      ownerCheck: (b, ctx) => assert.equal(b.review.entityId, ctx.entityId),
    },
    {
      name: 'Get Review',
      method: 'GET',
      path: (ctx) => `${P}/reviews/${ctx.id}`,
      visitor: 200,
      owner: 200,
      ownerCheck: (b, ctx) => assert.equal(b.review.id, ctx.id),
    },
    {
      name: 'Get Review with returnPrivateReviews',
      method: 'GET',
      path: (ctx) => `${P}/reviews/${ctx.id}?reviewId=${ctx.id}&returnPrivateReviews=true`,
      visitor: 403,
      owner: 200,
      ownerCheck: (b, ctx) => assert.equal(b.review.id, ctx.id),
    },
    {
      name: 'Update Review',
      method: 'PATCH',
      path: (ctx) => `${P}/reviews/${ctx.id}`,
      body: (ctx) => ({ review: { id: ctx.id, revision: '1', content: { title: 'Changed by caller' } } }),
      visitor: 401,
      owner: 200,
      ownerCheck: (b) => assert.deepEqual([b.review.revision, b.review.content.title], ['2', 'Changed by caller']),
    },
    {
      name: 'Delete Review',
      method: 'DELETE',
      path: (ctx) => `${P}/reviews/${ctx.id}?reviewId=${ctx.id}`,
      visitor: 401,
      owner: 200,
      ownerCheck: (b, ctx) => assert.equal(b.review.id, ctx.id),
    },
    {
      name: 'Query Reviews',
      method: 'POST',
      path: () => `${P}/reviews/query`,
      body: (ctx) => ({ query: { filter: { entityId: ctx.entityId } } }),
      visitor: 200,
      owner: 200,
      ownerCheck: (b, ctx) => assert.deepEqual(b.reviews.map((r: any) => r.id), [ctx.id]),
    },
    {
      name: 'Query Reviews with returnPrivateReviews in the body',
      method: 'POST',
      path: () => `${P}/reviews/query`,
      body: (ctx) => ({ query: { filter: { entityId: ctx.entityId } }, returnPrivateReviews: true }),
      visitor: 403,
      owner: 200,
      ownerCheck: (b) => assert.equal(b.reviews.length, 2),
    },
    {
      name: 'Query Reviews with ?returnPrivateReviews=true',
      method: 'POST',
      path: () => `${P}/reviews/query?returnPrivateReviews=true`,
      body: (ctx) => ({ query: { filter: { entityId: ctx.entityId } } }),
      visitor: 403,
      owner: 200,
      ownerCheck: (b) => assert.equal(b.reviews.length, 2),
    },
    {
      name: 'Query Reviews with a cursor over private reviews',
      method: 'POST',
      path: () => `${P}/reviews/query`,
      body: (ctx) => ({ query: { cursorPaging: { cursor: ctx.cursor } } }),
      visitor: 403,
      owner: 200,
      ownerCheck: (b) => assert.equal(b.reviews.length, 1),
    },
    {
      name: 'Count Reviews',
      method: 'POST',
      path: () => `${P}/reviews/count`,
      body: (ctx) => ({ filter: { entityId: ctx.entityId } }),
      visitor: 200,
      owner: 200,
      ownerCheck: (b) => assert.deepEqual(b, { count: 1 }),
    },
    {
      name: 'Count Reviews with includePrivateReviews',
      method: 'POST',
      path: () => `${P}/reviews/count`,
      body: (ctx) => ({ filter: { entityId: ctx.entityId }, includePrivateReviews: true }),
      visitor: 403,
      owner: 200,
      ownerCheck: (b) => assert.deepEqual(b, { count: 2 }),
    },
    {
      name: 'Bulk Create Reviews',
      method: 'POST',
      path: () => `${P}/bulk/reviews/create`,
      body: (ctx) => ({ reviews: [reviewBody({ entityId: ctx.entityId }).review], returnEntity: true }),
      visitor: 401,
      owner: 200,
      ownerCheck: (b) => assert.equal(b.bulkActionMetadata.totalSuccesses, 1),
    },
    {
      name: 'Bulk Delete Reviews',
      method: 'POST',
      path: () => `${P}/bulk/reviews/delete`,
      body: (ctx) => ({ filter: { entityId: ctx.entityId } }),
      visitor: 401,
      owner: 200,
      ownerCheck: (b) => assert.equal(b.affected, 2),
    },
    {
      name: 'Bulk Update Moderation Status',
      method: 'POST',
      path: () => `${P}/bulk/reviews/moderate`,
      body: (ctx) => ({ filter: { entityId: ctx.entityId }, status: 'APPROVED' }),
      visitor: 401,
      owner: 200,
      ownerCheck: (b) => assert.equal(b.affected, 2),
    },
    {
      name: 'Set Reply',
      method: 'PATCH',
      path: (ctx) => `${P}/reviews/${ctx.id}/reply`,
      body: (ctx) => ({ reviewId: ctx.id, message: 'Reply from caller' }),
      visitor: 401,
      owner: 200,
      ownerCheck: (b) => assert.equal(b.review.reply.message, 'Reply from caller'),
    },
    {
      name: 'Remove Reply',
      method: 'DELETE',
      path: (ctx) => `${P}/reviews/${ctx.id}/reply?reviewId=${ctx.id}`,
      visitor: 401,
      owner: 200,
      ownerCheck: (b) => assert.equal('reply' in b.review, false),
    },
    {
      name: 'Update Moderation Status',
      method: 'PATCH',
      path: (ctx) => `${P}/reviews/${ctx.id}/moderate`,
      body: (ctx) => ({ reviewId: ctx.id, status: 'REJECTED' }),
      visitor: 401,
      owner: 200,
      ownerCheck: (b) => assert.equal(b.review.moderation.moderationStatus, 'REJECTED'),
    },
    {
      name: 'Vote helpful',
      method: 'POST',
      path: (ctx) => `${P}/reviews/${ctx.id}/helpfulness`,
      body: () => ({ vote: 'HELPFUL', visitorId: randomUUID() }),
      visitor: 200,
      owner: 200,
      ownerCheck: (b) => assert.equal(b.review.foundHelpful, 1),
    },
    {
      name: 'Upload media',
      method: 'POST',
      path: () => `${P}/media`,
      body: () => upload(png(), 'photo.png', 'image/png'),
      visitor: 201,
      owner: 201,
      ownerCheck: (b) => assert.deepEqual([b.image.width, b.image.height], [3, 2]),
    },
    {
      name: 'Get media',
      method: 'GET',
      path: (ctx) => `${P}/media/${ctx.mediaId}`,
      visitor: 200,
      owner: 200,
    },
  ];
}

const OTHER_ROUTES: RouteCase[] = [
  {
    name: 'Get Entity Summary',
    method: 'GET',
    path: (ctx) => `/ratings/v1/ratings/groups/stores/entities/${ctx.entityId}/summary?attributeNames[]=overall&namespace=reviews`,
    visitor: 200,
    owner: 200,
    ownerCheck: (b) => assert.equal(b.attributeSummaries[0].total, 1),
  },
  {
    name: 'Get Group Summary',
    method: 'GET',
    path: () => '/ratings/v1/ratings/groups/stores/summary',
    visitor: 200,
    owner: 200,
  },
  {
    name: 'List Attribute Averages By Entity',
    method: 'POST',
    path: () => '/ratings/v1/ratings/groups/stores/attributes/average',
    body: (ctx) => ({ entityIds: [ctx.entityId], attributeName: 'overall' }),
    visitor: 200,
    owner: 200,
    ownerCheck: (b, ctx) => assert.deepEqual(b.entityAverages, [{ entityId: ctx.entityId, total: 1, average: 5 }]),
  },
  {
    name: 'Health check',
    method: 'GET',
    path: () => '/healthz',
    visitor: 200,
    owner: 200,
  },
];

describe('auth', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ corsOrigins: [SHOP] });
  });
  after(() => server.close());

  const owner = { owner: true };

  /**
   * A fresh entity with one approved review (`id`, rating 5) and one rejected review,
   * an uploaded image, and a cursor that pages through the entity's private reviews.
   */
  async function setup(): Promise<Ctx> {
    const entityId = `auth-${randomUUID().slice(0, 8)}`;
    const hidden = await server.call('POST', '/reviews/v1/reviews', reviewBody({ entityId, rating: 1 }), owner);
    assert.equal(hidden.status, 200);
    const rejected = await server.call('PATCH', `/reviews/v1/reviews/${hidden.body.review.id}/moderate`, { status: 'REJECTED' }, owner);
    assert.equal(rejected.status, 200);
    const shown = await server.call('POST', '/reviews/v1/reviews', reviewBody({ entityId, rating: 5 }), owner);
    assert.equal(shown.status, 200);
    const page = await server.call(
      'POST',
      '/reviews/v1/reviews/query',
      { query: { filter: { entityId }, cursorPaging: { limit: 1 } }, returnPrivateReviews: true },
      owner,
    );
    assert.equal(page.status, 200);
    assert.equal(typeof page.body.metadata.cursors.next, 'string');
    const media = await server.call('POST', '/reviews/v1/media', upload(png(), 'a.png'), owner);
    assert.equal(media.status, 201);
    return { id: shown.body.review.id, entityId, mediaId: media.body.image.id, cursor: page.body.metadata.cursors.next };
  }

  /** What an owner sees: every review of the entity (private ones too), the total, the stored media. */
  async function snapshot(ctx: Ctx) {
    const reviews = await server.call(
      'POST',
      '/reviews/v1/reviews/query',
      { query: { filter: { entityId: ctx.entityId }, sort: [{ fieldName: 'content.rating' }] }, returnPrivateReviews: true },
      owner,
    );
    const total = await server.call('POST', '/reviews/v1/reviews/count', { includePrivateReviews: true }, owner);
    const { rows } = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM media');
    return { reviews: reviews.body.reviews, total: total.body.count, media: Number(rows[0]!.n) };
  }

  function headersFor(cred: Credential): { key?: string } {
    if (cred === 'owner') return { key: OWNER_KEY };
    if (cred === 'wrong key') return { key: 'wrong-key' };
    return {};
  }

  const matrix: [string, RouteCase[]][] = [
    ['/reviews/v1', reviewRoutes('/reviews/v1')],
    ['/reviews/api/v1', reviewRoutes('/reviews/api/v1')],
    ['ratings and health', OTHER_ROUTES],
  ];

  for (const [group, routes] of matrix) {
    describe(`matrix: ${group}`, () => {
      for (const route of routes) {
        for (const cred of CREDENTIALS) {
          const expected = cred === 'owner' ? route.owner : cred === 'wrong key' ? 401 : route.visitor;
          it(`${route.name} — ${cred} → ${expected}`, async () => {
            const ctx = await setup();
            const before = await snapshot(ctx);
            const res = await server.call(route.method, route.path(ctx), route.body?.(ctx), headersFor(cred));
            assert.equal(res.status, expected, JSON.stringify(res.body));
            if (expected === 401 || expected === 403) {
              assert.equal(res.body.details.applicationError.code, expected === 401 ? 'UNAUTHENTICATED' : 'PERMISSION_DENIED');
              assert.equal(typeof res.body.message, 'string');
              assert.equal('review' in res.body || 'reviews' in res.body || 'count' in res.body, false);
              assert.deepEqual(await snapshot(ctx), before);
            } else if (cred === 'owner') {
              route.ownerCheck?.(res.body, ctx);
            }
          });
        }
      }
    });
  }

  describe('the Authorization header', () => {
    it('accepts the key as is (SDK) and with a Bearer prefix', async () => {
      for (const value of [OWNER_KEY, `Bearer ${OWNER_KEY}`, `bearer ${OWNER_KEY}`]) {
        const res = await server.call('POST', '/reviews/v1/reviews/count', { includePrivateReviews: true }, { key: value });
        assert.equal(res.status, 200, value);
      }
    });

    it('refuses near misses of the key with 401', async () => {
      for (const value of [OWNER_KEY.toUpperCase(), `${OWNER_KEY}x`, OWNER_KEY.slice(0, -1), `Basic ${OWNER_KEY}`, `Bearer`]) {
        const res = await server.call('POST', '/reviews/v1/reviews/count', {}, { key: value });
        assert.equal(res.status, 401, JSON.stringify(value));
        assert.equal(res.body.details.applicationError.code, 'UNAUTHENTICATED');
      }
    });

    it('treats an empty header as a visitor', async () => {
      const res = await server.call('POST', '/reviews/v1/reviews/count', { includePrivateReviews: true }, { key: '' });
      assert.equal(res.status, 403);
      assert.equal((await server.call('POST', '/reviews/v1/reviews/count', {}, { key: '' })).status, 200);
    });
  });

  describe('visitors cannot act as another contact or read private reviews', () => {
    it('Create Review And Contact refuses author, contactId and moderation fields from a visitor', async () => {
      const ctx = await setup();
      const before = await snapshot(ctx);
      const victim = before.reviews[0].author.contactId;
      for (const extra of [{ author: { contactId: victim } }, { contactId: victim }, { moderation: { moderationStatus: 'APPROVED' } }, { verified: true }]) {
        const res = await server.call('POST', '/reviews/v1/reviews/contact', {
          namespace: 'stores',
          entityId: `other-${randomUUID().slice(0, 8)}`,
          name: 'Mallory',
          email: 'mallory@example.com',
          content: { rating: 5 },
          ...extra,
        });
        assert.equal(res.status, 400, JSON.stringify(extra));
        assert.equal(res.body.details.validationError.fieldViolations[0].ruleName, 'INVALID_ARGUMENT');
      }
      assert.deepEqual(await snapshot(ctx), before);
    });

    it('a visitor review is never verified and never an APP review', async () => {
      const res = await server.call('POST', '/reviews/v1/reviews/contact', {
        namespace: 'stores',
        entityId: `v-${randomUUID().slice(0, 8)}`,
        name: 'Vi',
        email: `${randomUUID()}@example.com`,
        content: { rating: 5 },
      });
      assert.equal(res.status, 200);
      assert.equal(res.body.review.verified, false);
      assert.deepEqual(res.body.review.origin, { type: 'ORGANIC' });
    });

    it('a visitor cannot read a rejected review by id, query or count', async () => {
      const ctx = await setup();
      const snap = await snapshot(ctx);
      const hiddenId = snap.reviews.find((r: any) => r.moderation.moderationStatus === 'REJECTED').id;
      assert.equal((await server.call('GET', `/reviews/v1/reviews/${hiddenId}`)).status, 404);
      assert.equal((await server.call('GET', `/reviews/v1/reviews/${hiddenId}?returnPrivateReviews=false`)).status, 404);
      const q = await server.call('POST', '/reviews/v1/reviews/query', { query: { filter: { id: hiddenId } }, returnPrivateReviews: false });
      assert.deepEqual(q.body.reviews, []);
      const byStatus = await server.call('POST', '/reviews/v1/reviews/query', { query: { filter: { 'moderation.moderationStatus': 'REJECTED' } } });
      assert.deepEqual(byStatus.body.reviews, []);
      const c = await server.call('POST', '/reviews/v1/reviews/count', { filter: { entityId: ctx.entityId }, includePrivateReviews: false });
      assert.deepEqual(c.body, { count: 1 });
    });
  });

  describe('CORS with --cors https://shop.example', () => {
    it('lets every origin read (GET and the POST queries)', async () => {
      const ctx = await setup();
      const get = await server.call('GET', `/reviews/v1/reviews/${ctx.id}`, undefined, { headers: { Origin: EVIL } });
      assert.equal(get.status, 200);
      assert.equal(get.headers.get('access-control-allow-origin'), '*');
      for (const [path, body] of [
        ['/reviews/v1/reviews/query', { query: { filter: { entityId: ctx.entityId } } }],
        ['/reviews/api/v1/reviews/count', { filter: { entityId: ctx.entityId } }],
        ['/ratings/v1/ratings/groups/stores/attributes/average', { entityIds: [ctx.entityId] }],
      ] as const) {
        const res = await server.call('POST', path, body, { headers: { Origin: EVIL } });
        assert.equal(res.status, 200, path);
        assert.equal(res.headers.get('access-control-allow-origin'), '*', path);
        const pre = await server.call('OPTIONS', path, undefined, {
          headers: { Origin: EVIL, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
        });
        assert.equal(pre.status, 204, path);
        assert.equal(pre.headers.get('access-control-allow-origin'), '*', path);
      }
    });

    it('lets a browser read error answers from any origin', async () => {
      const res = await server.call('GET', `/reviews/v1/reviews/${randomUUID()}`, undefined, { headers: { Origin: EVIL } });
      assert.equal(res.status, 404);
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      const wrong = await server.call('GET', `/reviews/v1/reviews/${randomUUID()}`, undefined, { key: 'wrong', headers: { Origin: EVIL } });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.headers.get('access-control-allow-origin'), '*');
    });

    it('allows writes from the configured origin', async () => {
      const pre = await server.call('OPTIONS', '/reviews/v1/reviews/contact', undefined, {
        headers: { Origin: SHOP, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
      });
      assert.equal(pre.status, 204);
      assert.equal(pre.headers.get('access-control-allow-origin'), SHOP);
      assert.match(pre.headers.get('vary') ?? '', /Origin/);
      const res = await server.call(
        'POST',
        '/reviews/v1/reviews/contact',
        { namespace: 'stores', entityId: `shop-${randomUUID().slice(0, 8)}`, name: 'Shopper', email: `${randomUUID()}@example.com`, content: { rating: 5 } },
        { headers: { Origin: SHOP } },
      );
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('access-control-allow-origin'), SHOP);
      const media = await server.call('POST', '/reviews/v1/media', upload(png(), 'a.png'), { headers: { Origin: SHOP } });
      assert.equal(media.status, 201);
      assert.equal(media.headers.get('access-control-allow-origin'), SHOP);
    });

    it('gives other origins no CORS grant for writes in the preflight', async () => {
      for (const [method, path] of [
        ['POST', '/reviews/v1/reviews/contact'],
        ['POST', '/reviews/v1/media'],
        ['PATCH', '/reviews/v1/reviews/x/reply'],
        ['DELETE', '/reviews/api/v1/reviews/x'],
      ] as const) {
        const pre = await server.call('OPTIONS', path, undefined, {
          headers: { Origin: EVIL, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': 'content-type' },
        });
        assert.equal(pre.headers.get('access-control-allow-origin'), null, `${method} ${path}`);
      }
    });

    it('refuses writes that other origins send without a preflight, and changes nothing', async () => {
      const ctx = await setup();
      const before = await snapshot(ctx);
      const attempts: [string, string, unknown, Record<string, string>][] = [
        // A cross-site <form enctype="text/plain"> or no-cors fetch needs no preflight.
        ['POST', '/reviews/v1/reviews/contact', JSON.stringify({ namespace: 'stores', entityId: ctx.entityId, name: 'X', email: 'x@evil.example', content: { rating: 1 } }), { 'Content-Type': 'text/plain' }],
        ['POST', `/reviews/v1/reviews/${ctx.id}/helpfulness`, JSON.stringify({ vote: 'UNHELPFUL', visitorId: randomUUID() }), { 'Content-Type': 'text/plain' }],
        ['POST', '/reviews/v1/media', upload(png(), 'x.png'), {}],
      ];
      for (const [method, path, body, headers] of attempts) {
        const res = await server.call(method, path, body, { headers: { ...headers, Origin: EVIL } });
        assert.equal(res.status, 403, `${method} ${path}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.details.applicationError.code, 'PERMISSION_DENIED');
        assert.equal(res.headers.get('access-control-allow-origin'), null);
      }
      const ownerFromEvil = await server.call('PATCH', `/reviews/v1/reviews/${ctx.id}/reply`, { message: 'x' }, { owner: true, headers: { Origin: EVIL } });
      assert.equal(ownerFromEvil.status, 403);
      assert.deepEqual(await snapshot(ctx), before);
    });

    it('lets the server\'s own origin (the demo page) write', async () => {
      const res = await server.call(
        'POST',
        '/reviews/v1/reviews/contact',
        { namespace: 'stores', entityId: `own-${randomUUID().slice(0, 8)}`, name: 'Own', email: `${randomUUID()}@example.com`, content: { rating: 3 } },
        { headers: { Origin: server.url } },
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
    });

    it('lets calls without an Origin header (servers, scripts) write', async () => {
      const res = await server.call('POST', '/reviews/v1/reviews/contact', {
        namespace: 'stores',
        entityId: `script-${randomUUID().slice(0, 8)}`,
        name: 'Script',
        email: `${randomUUID()}@example.com`,
        content: { rating: 3 },
      });
      assert.equal(res.status, 200);
    });
  });
});
