import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from './helpers.js';

describe('server start', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('answers /healthz once ready', async () => {
    const res = await server.call('GET', '/healthz');
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'ok');
  });

  it('keeps idle connections open 65 s (Keep-Alive: timeout=65), longer than clients keep theirs', async () => {
    // A client reusing a connection the server has just dropped gets ECONNRESET: with
    // Node's default 5 s this happened to tests whose process was busy for 5 s.
    const res = await fetch(`${server.url}/healthz`);
    await res.arrayBuffer();
    assert.equal(res.headers.get('keep-alive'), 'timeout=65');
  });

  it('answers unknown routes with a 404 in the Wix error envelope', async () => {
    const res = await server.call('GET', '/reviews/v1/nope/nope');
    assert.equal(res.status, 404);
    assert.equal(res.body.details.applicationError.code, 'NOT_FOUND');
  });
});
