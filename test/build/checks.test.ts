// The standalone rating-stars file checks averages with hand-written code
// (src/api/checks.lite.ts) instead of zod: it must accept and refuse exactly what the
// zod schema does, and return the same data.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import * as zod from '../../src/api/checks.js';
import * as lite from '../../src/api/checks.lite.js';
import * as liteCore from '../../src/api/core.lite.js';
import * as fullCore from '../../src/api/core.js';
import { startTestServer, type TestServer } from '../server/helpers.js';
import { bulkCreate } from '../server/review-data.js';

const average = { entityId: 'p1', total: 3, average: 4.33 };
const samples: [string, unknown][] = [
  ['a valid response', { group: 'stores', entityAverages: [average, { entityId: 'p2', total: 0, average: 0 }] }],
  ['no averages', { group: 'stores', entityAverages: [] }],
  ['extra fields (dropped)', { group: 'stores', entityAverages: [{ ...average, extra: 1 }], more: true }],
  ['null', null],
  ['an array', [average]],
  ['a string', 'ok'],
  ['no group', { entityAverages: [average] }],
  ['a numeric group', { group: 1, entityAverages: [average] }],
  ['averages not an array', { group: 'stores', entityAverages: { 0: average } }],
  ['an average that is null', { group: 'stores', entityAverages: [null] }],
  ['an average that is an array', { group: 'stores', entityAverages: [[]] }],
  ['a numeric entity id', { group: 'stores', entityAverages: [{ ...average, entityId: 1 }] }],
  ['a fractional total', { group: 'stores', entityAverages: [{ ...average, total: 1.5 }] }],
  ['a total beyond safe integers', { group: 'stores', entityAverages: [{ ...average, total: 2 ** 60 }] }],
  ['a total as a string', { group: 'stores', entityAverages: [{ ...average, total: '3' }] }],
  ['an average as a string', { group: 'stores', entityAverages: [{ ...average, average: '4.3' }] }],
  ['a missing average', { group: 'stores', entityAverages: [{ entityId: 'p1', total: 3 }] }],
  ['an infinite average', { group: 'stores', entityAverages: [{ ...average, average: Infinity }] }],
  ['a NaN average', { group: 'stores', entityAverages: [{ ...average, average: NaN }] }],
];

describe('lite averages check', () => {
  for (const [what, json] of samples) {
    it(`agrees with zod on ${what}`, () => {
      assert.deepEqual(lite.checkAverages(json), zod.checkAverages(json));
    });
  }
});

// The standalone rating-stars file also swaps the shared core (core.ts) for an
// averages-only one (src/api/core.lite.ts): against the real server it must give the
// same answers as core.ts, batched the same way. Requests are counted by watching fetch
// (it still goes to the real server); the only fake is a server answering with faults.
describe('lite core', () => {
  let server: TestServer;
  let faults: Server;
  let faultUrl = '';
  const seen: string[] = [];
  const realFetch = globalThis.fetch;
  before(async () => {
    server = await startTestServer();
    faults = createServer((req, res) => {
      const status = req.url?.startsWith('/500/') ? 500 : 200;
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(status === 500 ? { message: 'Injected failure' } : { group: 'stores', entityAverages: 7 }));
    });
    await new Promise<void>((resolve) => faults.listen(0, '127.0.0.1', resolve));
    faultUrl = `http://127.0.0.1:${(faults.address() as AddressInfo).port}`;
    globalThis.fetch = (input, init) => {
      seen.push(String(input instanceof Request ? input.url : input));
      return realFetch(input, init);
    };
  });
  after(async () => {
    globalThis.fetch = realFetch;
    await new Promise((resolve) => faults.close(resolve));
    await server.close();
  });

  const ids = (n: number) => Array.from({ length: n }, () => `lite-${randomUUID().slice(0, 13)}`);
  /** Requests to an averages URL made while `fn` runs. */
  async function requests<T>(fn: () => Promise<T>): Promise<[T, string[]]> {
    const from = seen.length;
    const value = await fn();
    return [value, seen.slice(from).filter((u) => u.endsWith('/attributes/average'))];
  }

  it('answers as core.ts does, a page of badges in one request', async () => {
    const [rated, none, once] = ids(3) as [string, string, string];
    await bulkCreate(server, [
      { entityId: rated, contactId: randomUUID(), rating: 5 },
      { entityId: rated, contactId: randomUUID(), rating: 4 },
      { entityId: once, contactId: randomUUID(), rating: 2 },
    ]);
    const lite = liteCore.coreFor(`${server.url}/`);
    const [got, sent] = await requests(() => Promise.all([rated, none, once].map((id) => lite.getAverage('stores', id))));
    assert.equal(sent.length, 1);
    const full = fullCore.coreFor(server.url);
    const expected = await Promise.all([rated, none, once].map((id) => full.getAverage('stores', id)));
    assert.deepEqual(got, expected);
    assert.deepEqual(got.map((a) => [a.total, a.average]), [[2, 4.5], [0, 0], [1, 2]]);
  });

  it('shares identical calls and keeps the answers for a while', async () => {
    const [id] = ids(1) as [string];
    const lite = liteCore.coreFor(server.url);
    const [[a, b], sent] = await requests(() => Promise.all([lite.getAverage('stores', id), lite.getAverage('stores', id)]));
    assert.equal(sent.length, 1);
    assert.deepEqual(a, b);
    const [again, sentAgain] = await requests(() => lite.getAverage('stores', id));
    assert.deepEqual([again, sentAgain], [a, []]);
  });

  it('sends at most 100 ids per request, one batch per namespace', async () => {
    const many = ids(150);
    const other = ids(1);
    const lite = liteCore.coreFor(server.url);
    const [got, sent] = await requests(() =>
      Promise.all([...many.map((id) => lite.getAverage('stores', id)), ...other.map((id) => lite.getAverage('other', id))]),
    );
    assert.equal(sent.length, 3);
    assert.equal(sent.filter((u) => u.includes('/groups/other/')).length, 1);
    assert.deepEqual(got, [...many, ...other].map((entityId) => ({ entityId, total: 0, average: 0 })));
  });

  it('fails on HTTP errors and on responses of the wrong shape, and asks again next time', async () => {
    const [id] = ids(1) as [string];
    for (const endpoint of [`${faultUrl}/500`, faultUrl]) {
      const lite = liteCore.coreFor(endpoint);
      await assert.rejects(lite.getAverage('stores', id));
      const [, sent] = await requests(() => lite.getAverage('stores', id).catch(() => undefined));
      assert.equal(sent.length, 1, 'a failure is not kept');
    }
  });
});
