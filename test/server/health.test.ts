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

  it('answers unknown routes with a 404 in the Wix error envelope', async () => {
    const res = await server.call('GET', '/reviews/v1/nope/nope');
    assert.equal(res.status, 404);
    assert.equal(res.body.details.applicationError.code, 'NOT_FOUND');
  });
});
