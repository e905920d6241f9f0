/**
 * Query Reviews and Count Reviews: every filter operator and sort field of the Wix table
 * (reference §3.1), `$and`/`$or`/`$not`, limits, private reviews and the `search`
 * extension. Expected results are computed in JS from the reviews this file created.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Review } from '../../src/api/schema.js';
import { startTestServer, type TestServer } from './helpers.js';
import {
  bulkCreate,
  count,
  expectedIds,
  inParallel,
  moderate,
  queryAllIds,
  queryPage,
  rng,
  vote,
  type ReviewInput,
  type SortSpec,
} from './review-data.js';

const FILLER = ['quality', 'color', 'delivery', 'price', 'fits', 'size', 'value', 'sturdy', 'packaging', 'bright', 'soft', 'returned', 'gift', 'daily', 'recommend'];
const SHARED_CONTACT = 'contact-shared';

describe('query reviews', () => {
  let server: TestServer;
  /** Every review this file created, as last returned by the server. */
  const all = new Map<string, Review>();
  const search: Record<'s1' | 's2' | 's3' | 's4' | 's5', string> = { s1: '', s2: '', s3: '', s4: '', s5: '' };

  const approved = (r: Review) => r.moderation?.moderationStatus === 'APPROVED';
  const reviews = () => [...all.values()];

  before(async () => {
    server = await startTestServer({ moderation: 'all' });
    const rand = rng(20240611);
    const inputs: ReviewInput[] = [];
    for (let i = 0; i < 150; i++) {
      const words = Array.from({ length: 1 + Math.floor(rand() * 40) }, () => FILLER[Math.floor(rand() * FILLER.length)]);
      inputs.push({
        namespace: i % 10 === 9 ? 'bookings' : 'stores',
        entityId: ['q-a', 'q-b', 'q-c'][i % 3]!,
        // Three reviews of one author on three entities, for author.contactId filters.
        contactId: i < 3 ? SHARED_CONTACT : randomUUID(),
        rating: 1 + Math.floor(rand() * 5),
        title: `Review ${i}`,
        body: words.join(' '),
        verified: rand() < 0.4,
        appId: rand() < 0.3 ? 'app-importer' : undefined,
        imageUrl: rand() < 0.25 ? `https://img.example.com/${i}.jpg` : undefined,
      });
    }
    const searchInputs: ReviewInput[] = [
      { entityId: 'q-s', contactId: randomUUID(), rating: 5, title: 'Great shoes', body: 'These shoes are comfortable for long walks.' },
      { entityId: 'q-s', contactId: randomUUID(), rating: 2, title: 'A fine shoe', body: 'Good shoe, but the laces broke after a month.' },
      { entityId: 'q-s', contactId: randomUUID(), rating: 4, title: 'Winter jacket', body: 'Comfortably warm in the snow.' },
      { entityId: 'q-s', contactId: randomUUID(), rating: 3, title: 'Umbrella', body: 'Keeps the rain off.' },
      { entityId: 'q-s', contactId: randomUUID(), rating: 5, title: 'Hidden shoes', body: 'shoes shoes shoes' },
    ];
    const created = await bulkCreate(server, [...inputs, ...searchInputs]);
    for (const r of created) all.set(r.id, r);
    const tail = created.slice(-5);
    (['s1', 's2', 's3', 's4', 's5'] as const).forEach((k, i) => (search[k] = tail[i]!.id));

    // Visitor reviews wait IN_MODERATION on this server (moderation: all).
    for (let i = 0; i < 6; i++) {
      const res = await server.call('POST', '/reviews/v1/reviews/contact', {
        namespace: 'stores',
        entityId: ['q-a', 'q-b'][i % 2],
        name: `Visitor ${i}`,
        email: `visitor${i}@example.com`,
        content: { rating: 1 + (i % 5), title: `Pending ${i}`, body: 'waiting for the owner' },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.review.moderation.moderationStatus, 'IN_MODERATION');
      all.set(res.body.review.id, res.body.review);
    }

    // Helpfulness votes on a subset: each review's votes in sequence, reviews in parallel.
    const voted = created.slice(0, 140).filter((_, i) => i % 5 === 0);
    await inParallel(voted, 8, async (r, i) => {
      const plan = (['HELPFUL', 'UNHELPFUL', 'HELPFUL', 'HELPFUL'] as const).slice(0, 1 + (i % 4));
      const choices = i % 3 === 0 ? plan.map((v) => (v === 'HELPFUL' ? 'UNHELPFUL' : 'HELPFUL')) : plan;
      for (const choice of choices) all.set(r.id, await vote(server, r.id, randomUUID(), choice));
    });

    // Some owner reviews rejected (including one with votes and the hidden search match).
    for (const r of [...created.filter((_, i) => i % 17 === 4), created.at(-1)!]) {
      all.set(r.id, await moderate(server, r.id, 'REJECTED'));
    }
  });
  after(() => server.close());

  it('has a data set that makes every filter below meaningful', () => {
    const rs = reviews();
    const statuses = new Set(rs.map((r) => r.moderation!.moderationStatus));
    assert.deepEqual([...statuses].sort(), ['APPROVED', 'IN_MODERATION', 'REJECTED']);
    assert.ok(rs.filter(approved).length > 100, 'more visible reviews than one default page');
    assert.ok(new Set(rs.map((r) => r.helpfulness)).size >= 4);
    assert.ok(new Set(rs.map((r) => r.relevanceScore)).size >= 10);
    assert.ok(rs.some((r) => r.origin!.type === 'APP') && rs.some((r) => r.origin!.type === 'ORGANIC'));
    assert.ok(rs.some((r) => r.content.media!.length > 0));
  });

  describe('filters', () => {
    interface Case {
      name: string;
      filter: () => Record<string, unknown>;
      pred: (r: Review) => boolean;
      /** The expected result may be empty (or everything) for the owner's view. */
      trivial?: boolean;
    }
    const pick = (i: number) => [...all.values()][i]!;
    const sortedBy = <T>(f: (r: Review) => T) => reviews().map(f).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const median = <T>(f: (r: Review) => T) => sortedBy(f)[Math.floor(all.size / 2)]!;
    const lowerDate = () => sortedBy((r) => r.createdDate)[Math.floor(all.size / 5)]!;
    const rejectedId = () => reviews().find((r) => r.moderation!.moderationStatus === 'REJECTED')!.id;
    const pendingId = () => reviews().find((r) => r.moderation!.moderationStatus === 'IN_MODERATION')!.id;

    const cases: Case[] = [
      // id, namespace, entityId, author.contactId, moderation.moderationStatus: $eq $ne $in
      { name: 'id shorthand', filter: () => ({ id: pick(7).id }), pred: (r) => r.id === pick(7).id },
      { name: 'id $eq', filter: () => ({ id: { $eq: pick(8).id } }), pred: (r) => r.id === pick(8).id },
      { name: 'id $ne', filter: () => ({ id: { $ne: pick(8).id } }), pred: (r) => r.id !== pick(8).id },
      {
        name: 'id $in',
        filter: () => ({ id: { $in: [pick(1).id, pick(40).id, rejectedId(), pendingId(), 'no-such-id'] } }),
        pred: (r) => [pick(1).id, pick(40).id, rejectedId(), pendingId()].includes(r.id),
      },
      { name: '_id alias', filter: () => ({ _id: { $in: [pick(2).id, pick(3).id] } }), pred: (r) => [pick(2).id, pick(3).id].includes(r.id) },
      { name: 'namespace shorthand', filter: () => ({ namespace: 'bookings' }), pred: (r) => r.namespace === 'bookings' },
      { name: 'namespace $ne', filter: () => ({ namespace: { $ne: 'stores' } }), pred: (r) => r.namespace !== 'stores' },
      { name: 'namespace $in', filter: () => ({ namespace: { $in: ['bookings', 'nowhere'] } }), pred: (r) => r.namespace === 'bookings' },
      { name: 'entityId $eq', filter: () => ({ entityId: { $eq: 'q-b' } }), pred: (r) => r.entityId === 'q-b' },
      { name: 'entityId $ne', filter: () => ({ entityId: { $ne: 'q-b' } }), pred: (r) => r.entityId !== 'q-b' },
      { name: 'entityId $in', filter: () => ({ entityId: { $in: ['q-a', 'q-s'] } }), pred: (r) => ['q-a', 'q-s'].includes(r.entityId) },
      { name: 'author.contactId $eq', filter: () => ({ 'author.contactId': SHARED_CONTACT }), pred: (r) => r.author!.contactId === SHARED_CONTACT },
      { name: 'author.contactId $ne', filter: () => ({ 'author.contactId': { $ne: SHARED_CONTACT } }), pred: (r) => r.author!.contactId !== SHARED_CONTACT },
      {
        name: 'author.contactId $in',
        filter: () => ({ 'author.contactId': { $in: [SHARED_CONTACT, pick(60).author!.contactId] } }),
        pred: (r) => [SHARED_CONTACT, pick(60).author!.contactId].includes(r.author!.contactId!),
      },
      { name: 'moderationStatus $eq', filter: () => ({ 'moderation.moderationStatus': 'REJECTED' }), pred: (r) => r.moderation!.moderationStatus === 'REJECTED' },
      { name: 'moderationStatus $ne', filter: () => ({ 'moderation.moderationStatus': { $ne: 'APPROVED' } }), pred: (r) => r.moderation!.moderationStatus !== 'APPROVED' },
      {
        name: 'moderationStatus $in',
        filter: () => ({ 'moderation.moderationStatus': { $in: ['IN_MODERATION', 'APPROVED'] } }),
        pred: (r) => ['IN_MODERATION', 'APPROVED'].includes(r.moderation!.moderationStatus),
      },
      // content.rating, helpfulness, createdDate, relevanceScore: all seven operators
      { name: 'content.rating shorthand', filter: () => ({ 'content.rating': 3 }), pred: (r) => r.content.rating === 3 },
      { name: 'content.rating $eq', filter: () => ({ 'content.rating': { $eq: 4 } }), pred: (r) => r.content.rating === 4 },
      { name: 'content.rating $ne', filter: () => ({ 'content.rating': { $ne: 4 } }), pred: (r) => r.content.rating !== 4 },
      { name: 'content.rating $in', filter: () => ({ 'content.rating': { $in: [1, 5] } }), pred: (r) => [1, 5].includes(r.content.rating) },
      { name: 'content.rating $lt', filter: () => ({ 'content.rating': { $lt: 3 } }), pred: (r) => r.content.rating < 3 },
      { name: 'content.rating $lte', filter: () => ({ 'content.rating': { $lte: 3 } }), pred: (r) => r.content.rating <= 3 },
      { name: 'content.rating $gt', filter: () => ({ 'content.rating': { $gt: 3 } }), pred: (r) => r.content.rating > 3 },
      { name: 'content.rating $gte', filter: () => ({ 'content.rating': { $gte: 4 } }), pred: (r) => r.content.rating >= 4 },
      {
        name: 'content.rating $gte and $lt on one field',
        filter: () => ({ 'content.rating': { $gte: 2, $lt: 4 } }),
        pred: (r) => r.content.rating >= 2 && r.content.rating < 4,
      },
      { name: 'helpfulness $eq', filter: () => ({ helpfulness: { $eq: 1 } }), pred: (r) => r.helpfulness === 1 },
      { name: 'helpfulness shorthand 0', filter: () => ({ helpfulness: 0 }), pred: (r) => r.helpfulness === 0 },
      { name: 'helpfulness $ne', filter: () => ({ helpfulness: { $ne: 0 } }), pred: (r) => r.helpfulness !== 0 },
      { name: 'helpfulness $in', filter: () => ({ helpfulness: { $in: [-1, 2] } }), pred: (r) => [-1, 2].includes(r.helpfulness!) },
      { name: 'helpfulness $lt', filter: () => ({ helpfulness: { $lt: 0 } }), pred: (r) => r.helpfulness! < 0 },
      { name: 'helpfulness $lte', filter: () => ({ helpfulness: { $lte: 1 } }), pred: (r) => r.helpfulness! <= 1 },
      { name: 'helpfulness $gt', filter: () => ({ helpfulness: { $gt: 1 } }), pred: (r) => r.helpfulness! > 1 },
      { name: 'helpfulness $gte', filter: () => ({ helpfulness: { $gte: 1 } }), pred: (r) => r.helpfulness! >= 1 },
      { name: 'helpfulness $gt and $lte on one field', filter: () => ({ helpfulness: { $gt: -2, $lte: 0 } }), pred: (r) => r.helpfulness! > -2 && r.helpfulness! <= 0 },
      { name: 'createdDate $eq', filter: () => ({ createdDate: { $eq: median((r) => r.createdDate) } }), pred: (r) => r.createdDate === median((x) => x.createdDate) },
      { name: 'createdDate $ne', filter: () => ({ createdDate: { $ne: median((r) => r.createdDate) } }), pred: (r) => r.createdDate !== median((x) => x.createdDate) },
      {
        name: 'createdDate $in',
        filter: () => ({ createdDate: { $in: [median((r) => r.createdDate), lowerDate()] } }),
        pred: (r) => [median((x) => x.createdDate), lowerDate()].includes(r.createdDate),
      },
      { name: 'createdDate $lt', filter: () => ({ createdDate: { $lt: median((r) => r.createdDate) } }), pred: (r) => r.createdDate < median((x) => x.createdDate) },
      { name: 'createdDate $lte', filter: () => ({ createdDate: { $lte: median((r) => r.createdDate) } }), pred: (r) => r.createdDate <= median((x) => x.createdDate) },
      { name: 'createdDate $gt', filter: () => ({ createdDate: { $gt: median((r) => r.createdDate) } }), pred: (r) => r.createdDate > median((x) => x.createdDate) },
      { name: 'createdDate $gte', filter: () => ({ createdDate: { $gte: median((r) => r.createdDate) } }), pred: (r) => r.createdDate >= median((x) => x.createdDate) },
      {
        name: 'createdDate range as {$date} values in another time zone',
        filter: () => ({ _createdDate: { $gte: { $date: inZone(lowerDate(), 2) }, $lt: { $date: inZone(median((r) => r.createdDate), -5) } } }),
        pred: (r) => r.createdDate >= lowerDate() && r.createdDate < median((x) => x.createdDate),
      },
      // Sub-millisecond bounds (e.g. from clients with microsecond clocks) are compared exactly.
      { name: 'createdDate $lt 0.4 ms after a review', filter: () => ({ createdDate: { $lt: subMs(median((r) => r.createdDate)) } }), pred: (r) => r.createdDate <= median((x) => x.createdDate) },
      { name: 'createdDate $gte 0.4 ms after a review', filter: () => ({ createdDate: { $gte: subMs(median((r) => r.createdDate)) } }), pred: (r) => r.createdDate > median((x) => x.createdDate) },
      { name: 'createdDate $eq 0.4 ms after a review', filter: () => ({ createdDate: { $eq: subMs(median((r) => r.createdDate)) } }), pred: () => false, trivial: true },
      {
        name: 'createdDate $in with a sub-millisecond value',
        filter: () => ({ createdDate: { $in: [subMs(median((r) => r.createdDate)), lowerDate()] } }),
        pred: (r) => r.createdDate === lowerDate(),
      },
      {
        name: 'createdDate $gt 0.4 ms after a review, in another time zone',
        filter: () => ({ createdDate: { $gt: subMs(inZone(median((r) => r.createdDate), 3)) } }),
        pred: (r) => r.createdDate > median((x) => x.createdDate),
      },
      { name: 'content.rating $lt a number beyond the column type', filter: () => ({ 'content.rating': { $lt: 40000 } }), pred: () => true, trivial: true },
      { name: 'content.rating $in a number beyond the column type', filter: () => ({ 'content.rating': { $in: [40000] } }), pred: () => false, trivial: true },
      { name: 'relevanceScore $eq', filter: () => ({ relevanceScore: { $eq: median((r) => r.relevanceScore!) } }), pred: (r) => r.relevanceScore === median((x) => x.relevanceScore!) },
      { name: 'relevanceScore $ne', filter: () => ({ relevanceScore: { $ne: median((r) => r.relevanceScore!) } }), pred: (r) => r.relevanceScore !== median((x) => x.relevanceScore!) },
      {
        name: 'relevanceScore $in',
        filter: () => ({ relevanceScore: { $in: [median((r) => r.relevanceScore!), pick(5).relevanceScore!] } }),
        pred: (r) => [median((x) => x.relevanceScore!), pick(5).relevanceScore!].includes(r.relevanceScore!),
      },
      { name: 'relevanceScore $lt', filter: () => ({ relevanceScore: { $lt: median((r) => r.relevanceScore!) } }), pred: (r) => r.relevanceScore! < median((x) => x.relevanceScore!) },
      { name: 'relevanceScore $lte', filter: () => ({ relevanceScore: { $lte: median((r) => r.relevanceScore!) } }), pred: (r) => r.relevanceScore! <= median((x) => x.relevanceScore!) },
      { name: 'relevanceScore $gt', filter: () => ({ relevanceScore: { $gt: median((r) => r.relevanceScore!) } }), pred: (r) => r.relevanceScore! > median((x) => x.relevanceScore!) },
      { name: 'relevanceScore $gte', filter: () => ({ relevanceScore: { $gte: median((r) => r.relevanceScore!) } }), pred: (r) => r.relevanceScore! >= median((x) => x.relevanceScore!) },
      // verified, origin.type: $eq $ne
      { name: 'verified shorthand', filter: () => ({ verified: true }), pred: (r) => r.verified === true },
      { name: 'verified $eq false', filter: () => ({ verified: { $eq: false } }), pred: (r) => r.verified === false },
      { name: 'verified $ne', filter: () => ({ verified: { $ne: true } }), pred: (r) => r.verified !== true },
      { name: 'origin.type shorthand', filter: () => ({ 'origin.type': 'APP' }), pred: (r) => r.origin!.type === 'APP' },
      { name: 'origin.type $eq', filter: () => ({ 'origin.type': { $eq: 'ORGANIC' } }), pred: (r) => r.origin!.type === 'ORGANIC' },
      { name: 'origin.type $ne', filter: () => ({ 'origin.type': { $ne: 'APP' } }), pred: (r) => r.origin!.type !== 'APP' },
      // content.media: $isEmpty
      { name: 'content.media $isEmpty true', filter: () => ({ 'content.media': { $isEmpty: true } }), pred: (r) => r.content.media!.length === 0 },
      { name: 'content.media $isEmpty false', filter: () => ({ 'content.media': { $isEmpty: false } }), pred: (r) => r.content.media!.length > 0 },
      // combinations
      {
        name: 'several fields (AND), as in the reference example',
        filter: () => ({ namespace: 'stores', entityId: { $in: ['q-a', 'q-c'] }, 'content.rating': { $gte: 4 }, 'moderation.moderationStatus': 'APPROVED' }),
        pred: (r) => r.namespace === 'stores' && ['q-a', 'q-c'].includes(r.entityId) && r.content.rating >= 4 && approved(r),
      },
      {
        name: '$and as the SDK sends it',
        filter: () => ({ $and: [{ entityId: 'q-a' }, { 'content.rating': { $gte: 4 } }] }),
        pred: (r) => r.entityId === 'q-a' && r.content.rating >= 4,
      },
      {
        name: '$or',
        filter: () => ({ $or: [{ 'content.rating': 5 }, { verified: true }, { 'origin.type': 'APP' }] }),
        pred: (r) => r.content.rating === 5 || r.verified === true || r.origin!.type === 'APP',
      },
      { name: '$not', filter: () => ({ $not: { entityId: { $in: ['q-a', 'q-b'] } } }), pred: (r) => !['q-a', 'q-b'].includes(r.entityId) },
      {
        name: 'nested $and / $or / $not beside a field',
        filter: () => ({
          namespace: 'stores',
          $and: [
            { $or: [{ entityId: 'q-a' }, { helpfulness: { $gt: 0 } }] },
            { $not: { 'content.rating': { $in: [1, 2] } } },
            { $or: [{ 'content.media': { $isEmpty: false } }, { $not: { verified: false } }, { createdDate: { $gte: median((r) => r.createdDate) } }] },
          ],
        }),
        pred: (r) =>
          r.namespace === 'stores' &&
          (r.entityId === 'q-a' || r.helpfulness! > 0) &&
          ![1, 2].includes(r.content.rating) &&
          (r.content.media!.length > 0 || r.verified === true || r.createdDate >= median((x) => x.createdDate)),
      },
      { name: 'empty $in matches nothing', filter: () => ({ entityId: { $in: [] } }), pred: () => false, trivial: true },
      { name: 'empty filter matches everything', filter: () => ({}), pred: () => true, trivial: true },
    ];

    for (const c of cases) {
      it(`${c.name}: query and count agree with the data, for visitors and the owner`, async () => {
        const filter = c.filter();
        const ownerExpected = expectedIds(all.values(), undefined, c.pred);
        const visitorExpected = expectedIds(all.values(), undefined, (r) => approved(r) && c.pred(r));
        if (!c.trivial) {
          assert.ok(ownerExpected.length > 0 && ownerExpected.length < all.size, `case selects some but not all reviews (${ownerExpected.length}/${all.size})`);
        }
        assert.deepEqual(await queryAllIds(server, { filter }), visitorExpected, 'visitor query');
        assert.deepEqual(await queryAllIds(server, { filter }, true, true), ownerExpected, 'owner query with returnPrivateReviews');
        assert.equal(await count(server, { filter }), visitorExpected.length, 'visitor count');
        assert.equal(await count(server, { filter, includePrivateReviews: true }, true), ownerExpected.length, 'owner count with includePrivateReviews');
      });
    }
  });

  describe('filter validation', () => {
    const unsupported: [string, Record<string, unknown>][] = [
      ['id.$gt', { id: { $gt: 'a' } }],
      ['namespace.$lt', { namespace: { $lt: 'a' } }],
      ['entityId.$gte', { entityId: { $gte: 'a' } }],
      ['author.contactId.$lte', { 'author.contactId': { $lte: 'a' } }],
      ['moderation.moderationStatus.$gt', { 'moderation.moderationStatus': { $gt: 'APPROVED' } }],
      ['verified.$in', { verified: { $in: [true] } }],
      ['verified.$gt', { verified: { $gt: false } }],
      ['origin.type.$in', { 'origin.type': { $in: ['APP'] } }],
      ['origin.type.$lt', { 'origin.type': { $lt: 'APP' } }],
      ['content.media.$eq', { 'content.media': { $eq: [] } }],
      ['content.rating.$isEmpty', { 'content.rating': { $isEmpty: true } }],
      ['content.rating.$startsWith', { 'content.rating': { $startsWith: '4' } }],
    ];
    for (const [path, filter] of unsupported) {
      it(`refuses ${path} (not in the operator table) with a 400 naming the path`, async () => {
        const res = await server.call('POST', '/reviews/v1/reviews/query', { query: { filter } });
        assert.equal(res.status, 400);
        assert.equal(res.body.details.validationError.fieldViolations[0].field, `query.filter.${path}`);
        const c = await server.call('POST', '/reviews/v1/reviews/count', { filter });
        assert.equal(c.status, 400);
        assert.equal(c.body.details.validationError.fieldViolations[0].field, `filter.${path}`);
      });
    }

    it('refuses unknown fields, values of the wrong type and values the database cannot hold', async () => {
      const bad: [Record<string, unknown>, string][] = [
        [{ title: 'x' }, 'query.filter.title'],
        [{ 'content.rating': '5' }, 'query.filter.content.rating.$eq'],
        [{ 'content.rating': { $in: [1, 'two'] } }, 'query.filter.content.rating.$in[1]'],
        [{ verified: 'true' }, 'query.filter.verified.$eq'],
        [{ 'moderation.moderationStatus': 'PUBLISHED' }, 'query.filter.moderation.moderationStatus.$eq'],
        [{ createdDate: { $gt: 'yesterday' } }, 'query.filter.createdDate.$gt'],
        [{ 'content.media': { $isEmpty: 'yes' } }, 'query.filter.content.media.$isEmpty'],
        [{ $or: [] }, 'query.filter.$or'],
        [{ $nor: [{ id: 'x' }] }, 'query.filter.$nor'],
        [{ helpfulness: { $gt: 2 ** 31 } }, 'query.filter.helpfulness.$gt'],
        [{ 'content.rating': { $in: [1, -(2 ** 31)] } }, 'query.filter.content.rating.$in[1]'],
        [{ createdDate: { $gte: '0000-06-01T00:00:00Z' } }, 'query.filter.createdDate.$gte'],
        [{ createdDate: { $lt: '9999-12-31T23:00:00-05:00' } }, 'query.filter.createdDate.$lt'],
      ];
      for (const [filter, field] of bad) {
        const res = await server.call('POST', '/reviews/v1/reviews/query', { query: { filter } });
        assert.equal(res.status, 400, JSON.stringify(filter));
        assert.equal(res.body.details.validationError.fieldViolations[0].field, field, JSON.stringify(filter));
        assert.match(res.body.message, new RegExp(field.replace(/[.$[\]]/g, '\\$&')));
      }
      // NUL cannot be stored in PostgreSQL text: a clear 400, never a database error.
      for (const filter of [{ id: 'a\u0000b' }, { entityId: { $in: ['q-a', 'q\u0000'] } }]) {
        const res = await server.call('POST', '/reviews/v1/reviews/query', { query: { filter } });
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.match(res.body.message, /NUL/);
      }
    });
  });

  describe('sorting', () => {
    const sorts: SortSpec[] = [
      [{ fieldName: 'content.rating', order: 'ASC' }],
      [{ fieldName: 'content.rating', order: 'DESC' }],
      [{ fieldName: 'helpfulness', order: 'ASC' }],
      [{ fieldName: 'helpfulness', order: 'DESC' }],
      [{ fieldName: 'createdDate', order: 'ASC' }],
      [{ fieldName: 'createdDate', order: 'DESC' }],
      [{ fieldName: 'relevanceScore', order: 'ASC' }],
      [{ fieldName: 'relevanceScore', order: 'DESC' }],
      [{ fieldName: 'verified', order: 'ASC' }],
      [{ fieldName: 'verified', order: 'DESC' }],
      [{ fieldName: 'origin.type', order: 'ASC' }],
      [{ fieldName: 'origin.type', order: 'DESC' }],
      [{ fieldName: 'content.rating' }],
      [{ fieldName: 'verified', order: 'DESC' }, { fieldName: 'content.rating', order: 'ASC' }],
      [{ fieldName: 'helpfulness', order: 'DESC' }, { fieldName: 'createdDate', order: 'DESC' }],
      [{ fieldName: 'origin.type', order: 'ASC' }, { fieldName: 'helpfulness', order: 'DESC' }, { fieldName: 'relevanceScore', order: 'ASC' }],
      [{ fieldName: 'content.rating', order: 'DESC' }, { fieldName: 'verified', order: 'ASC' }, { fieldName: 'createdDate', order: 'ASC' }],
    ];
    for (const sort of sorts) {
      const label = sort.map((s) => `${s.fieldName} ${s.order ?? '(ASC)'}`).join(', ');
      it(`sorts by ${label}`, async () => {
        const filter = { namespace: 'stores' };
        const pred = (r: Review) => r.namespace === 'stores';
        assert.deepEqual(await queryAllIds(server, { filter, sort }), expectedIds(all.values(), sort, (r) => approved(r) && pred(r)));
        assert.deepEqual(await queryAllIds(server, { filter, sort }, true, true), expectedIds(all.values(), sort, pred));
      });
    }

    it('sorts by createdDate ASC by default, also with an empty sort list', async () => {
      const expected = expectedIds(all.values(), [{ fieldName: 'createdDate', order: 'ASC' }], approved);
      assert.deepEqual(await queryAllIds(server, {}), expected);
      assert.deepEqual(await queryAllIds(server, { sort: [] }), expected);
      assert.deepEqual(await queryAllIds(server, { sort: [{ fieldName: '_createdDate', order: 'ASC' }] }), expected);
      // The data really has an order to check: dates are not all one value.
      assert.ok(new Set(reviews().map((r) => r.createdDate)).size > 1);
    });

    it('refuses sorting by a field that is not sortable, or an unknown order', async () => {
      for (const [sort, field] of [
        [[{ fieldName: 'namespace' }], 'query.sort[0].fieldName'],
        [[{ fieldName: 'content.rating' }, { fieldName: 'content.media' }], 'query.sort[1].fieldName'],
        [[{ fieldName: 'nope', order: 'ASC' }], 'query.sort[0].fieldName'],
      ] as const) {
        const res = await server.call('POST', '/reviews/v1/reviews/query', { query: { sort } });
        assert.equal(res.status, 400, JSON.stringify(sort));
        assert.equal(res.body.details.validationError.fieldViolations[0].field, field);
      }
      const res = await server.call('POST', '/reviews/v1/reviews/query', { query: { sort: [{ fieldName: 'content.rating', order: 'UP' }] } });
      assert.equal(res.status, 400);
      assert.match(res.body.details.validationError.fieldViolations[0].field, /^query\.sort\.?\[?0\]?\.order$/);
    });
  });

  describe('limits', () => {
    it('returns 100 reviews by default, with a next cursor when there are more', async () => {
      const visible = expectedIds(all.values(), undefined, approved);
      assert.ok(visible.length > 100);
      const first = await queryPage(server, {});
      assert.deepEqual(first.ids, visible.slice(0, 100));
      assert.ok(first.next, 'next cursor');
      const second = await queryPage(server, { query: { cursorPaging: { cursor: first.next } } });
      assert.deepEqual(second.ids, visible.slice(100));
      assert.equal(second.next, undefined);
    });

    it('accepts a limit of 100 and refuses 101 and 0 with a 400', async () => {
      const ok = await queryPage(server, { query: { cursorPaging: { limit: 100 } } });
      assert.equal(ok.ids.length, 100);
      for (const limit of [101, 0, -1, 2.5]) {
        const res = await server.call('POST', '/reviews/v1/reviews/query', { query: { cursorPaging: { limit } } });
        assert.equal(res.status, 400, `limit ${limit}`);
        assert.equal(res.body.details.validationError.fieldViolations[0].field, 'query.cursorPaging.limit');
      }
    });

    it('honours small limits', async () => {
      const visible = expectedIds(all.values(), [{ fieldName: 'content.rating', order: 'DESC' }], approved);
      const page = await queryPage(server, { query: { sort: [{ fieldName: 'content.rating', order: 'DESC' }], cursorPaging: { limit: 7 } } });
      assert.deepEqual(page.ids, visible.slice(0, 7));
    });
  });

  describe('private reviews', () => {
    it('hides non-approved reviews from visitors and from the owner by default', async () => {
      const visible = expectedIds(all.values(), undefined, approved);
      assert.deepEqual(await queryAllIds(server, {}), visible);
      assert.deepEqual(await queryAllIds(server, {}, true), visible);
      assert.equal(await count(server, {}), visible.length);
      assert.equal(await count(server, {}, true), visible.length);
    });

    it('returns them to the owner with returnPrivateReviews (body or URL parameter)', async () => {
      const everything = expectedIds(all.values(), undefined);
      assert.deepEqual(await queryAllIds(server, {}, true, true), everything);
      const res = await server.call('POST', '/reviews/v1/reviews/query?returnPrivateReviews=true', { query: { filter: { 'moderation.moderationStatus': { $ne: 'APPROVED' } } } }, { owner: true });
      assert.equal(res.status, 200);
      assert.deepEqual(
        res.body.reviews.map((r: Review) => r.id),
        expectedIds(all.values(), undefined, (r) => !approved(r)),
      );
    });

    it('refuses returnPrivateReviews and includePrivateReviews to visitors with a 403', async () => {
      const q = await server.call('POST', '/reviews/v1/reviews/query', { query: {}, returnPrivateReviews: true });
      assert.equal(q.status, 403);
      assert.equal(q.body.details.applicationError.code, 'PERMISSION_DENIED');
      const u = await server.call('POST', '/reviews/v1/reviews/query?returnPrivateReviews=true', { query: {} });
      assert.equal(u.status, 403);
      const c = await server.call('POST', '/reviews/v1/reviews/count', { filter: {}, includePrivateReviews: true });
      assert.equal(c.status, 403);
      assert.equal(c.body.details.applicationError.code, 'PERMISSION_DENIED');
    });
  });

  describe('search (extension)', () => {
    const ids = (...keys: (keyof typeof search)[]) => new Set(keys.map((k) => search[k]));
    const expect = (set: Set<string>, sort?: SortSpec, privateToo = false) =>
      expectedIds(all.values(), sort, (r) => set.has(r.id) && (privateToo || approved(r)));

    it('finds words in the title and body with stemming ("shoes" finds "shoe")', async () => {
      for (const [term, keys] of [
        ['shoes', ['s1', 's2']],
        ['shoe', ['s1', 's2']],
        ['laces', ['s2']],
        ['lace', ['s2']],
        ['walking', ['s1']],
        ['jacket', ['s3']],
        ['RAIN', ['s4']],
      ] as const) {
        const expected = expect(ids(...keys));
        assert.deepEqual(await queryAllIds(server, { search: term }), expected, term);
        assert.equal(await count(server, { search: term }), expected.length, `count ${term}`);
      }
    });

    it('matches word prefixes and needs every word', async () => {
      assert.deepEqual(await queryAllIds(server, { search: 'comf' }), expect(ids('s1', 's3')));
      assert.deepEqual(await queryAllIds(server, { search: 'umbr' }), expect(ids('s4')));
      assert.deepEqual(await queryAllIds(server, { search: 'shoes comfortable' }), expect(ids('s1')));
      assert.deepEqual(await queryAllIds(server, { search: 'shoes zebra' }), []);
      assert.equal(await count(server, { search: 'zebra' }), 0);
    });

    it('accepts the {expression} form and combines with filter, sort and private reviews', async () => {
      assert.deepEqual(await queryAllIds(server, { search: { expression: 'shoes' } }), expect(ids('s1', 's2')));
      assert.deepEqual(await queryAllIds(server, { search: 'shoes', filter: { 'content.rating': { $gte: 4 } } }), expect(ids('s1')));
      const byRating: SortSpec = [{ fieldName: 'content.rating', order: 'ASC' }];
      assert.deepEqual(await queryAllIds(server, { search: 'shoe', sort: byRating }), expect(ids('s1', 's2'), byRating));
      assert.deepEqual(await queryAllIds(server, { search: 'shoes' }, true, true), expect(ids('s1', 's2', 's5'), undefined, true));
      assert.equal(await count(server, { search: 'shoes', includePrivateReviews: true }, true), 3);
      assert.equal(await count(server, { search: { expression: 'shoes' }, filter: { 'content.rating': 2 } }), 1);
    });

    it('keeps the search in the cursor', async () => {
      const expected = expect(ids('s1', 's3'));
      const first = await queryPage(server, { query: { search: 'comfort', cursorPaging: { limit: 1 } } });
      assert.deepEqual(first.ids, [expected[0]]);
      assert.ok(first.next);
      const second = await queryPage(server, { query: { cursorPaging: { limit: 1, cursor: first.next } } });
      assert.deepEqual(second.ids, [expected[1]]);
      assert.equal(second.next, undefined);
    });
  });
});

/** The instant 0.4 ms later: `...:00.123Z` becomes `...:00.1234Z`. */
function subMs(iso: string): string {
  const m = /^(.*\.\d{3})(Z|[+-]\d{2}:\d{2})$/.exec(iso);
  assert.ok(m, iso);
  return `${m[1]}4${m[2]}`;
}

/** The same instant written with a UTC offset of `hours` (e.g. `...T14:00:00.123+02:00`). */
function inZone(isoUtc: string, hours: number): string {
  const d = new Date(new Date(isoUtc).getTime() + hours * 3600_000);
  const sign = hours < 0 ? '-' : '+';
  const hh = String(Math.abs(hours)).padStart(2, '0');
  return `${d.toISOString().slice(0, -1)}${sign}${hh}:00`;
}
