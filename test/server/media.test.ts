/**
 * Media: `POST /reviews/v1/media` stores JPEG/PNG/WebP/GIF (type read from the bytes,
 * never from the name or declared type; SVG refused; at most 5 MB) and serves it back
 * with the right type and `nosniff`; reviews reference uploads by id or external media
 * by absolute http(s) URL.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { gif, jpeg, noisyPng, png, pngOfSize, SVG, upload, webp } from './images.js';
import { reviewBody, startTestServer, type TestServer } from './helpers.js';

const MB = 1024 * 1024;

describe('media', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  const owner = { owner: true };

  async function mediaCount(): Promise<number> {
    const { rows } = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM media');
    return Number(rows[0]!.n);
  }

  /** Fetches a served file as raw bytes. */
  async function fetchBytes(url: string) {
    const res = await fetch(url);
    return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
  }

  /** Uploads and expects a refusal that stores nothing. */
  async function refused(form: FormData | string | undefined, status: number, code: string, headers: Record<string, string> = {}) {
    const before = await mediaCount();
    const res = await server.call('POST', '/reviews/v1/media', form, { headers });
    assert.equal(res.status, status, JSON.stringify(res.body));
    assert.equal(typeof res.body.message, 'string');
    if (res.body.details.validationError) {
      assert.deepEqual(res.body.details.validationError.fieldViolations.map((v: any) => v.field), [code]);
    } else {
      assert.equal(res.body.details.applicationError.code, code);
    }
    assert.equal(await mediaCount(), before);
    return res;
  }

  describe('upload and serve', () => {
    const formats: [string, () => Uint8Array<ArrayBuffer>, string, string, number, number][] = [
      ['PNG', () => png(3, 2), 'image/png', 'png', 3, 2],
      ['JPEG', () => jpeg(5, 4), 'image/jpeg', 'jpg', 5, 4],
      ['GIF', gif, 'image/gif', 'gif', 1, 1],
      ['WebP', webp, 'image/webp', 'webp', 1, 1],
    ];
    for (const [name, make, type, ext, width, height] of formats) {
      it(`stores a ${name} and serves it back byte for byte as ${type}`, async () => {
        const bytes = make();
        const res = await server.call('POST', '/reviews/v1/media', upload(bytes, `photo.${ext}`, type));
        assert.equal(res.status, 201);
        assert.deepEqual(Object.keys(res.body), ['image']);
        const img = res.body.image;
        assert.match(img.id, new RegExp(`^[0-9a-f-]{36}\\.${ext}$`));
        assert.deepEqual(img, {
          id: img.id,
          url: `${server.url}/reviews/v1/media/${encodeURIComponent(img.id)}`,
          width,
          height,
          filename: `photo.${ext}`,
        });
        const served = await fetchBytes(img.url);
        assert.equal(served.status, 200);
        assert.equal(served.headers.get('content-type'), type);
        assert.equal(served.headers.get('x-content-type-options'), 'nosniff');
        assert.equal(served.headers.get('content-security-policy'), "default-src 'none'; sandbox");
        assert.deepEqual(served.bytes, bytes);
      });
    }

    it('takes uploads on /reviews/api/v1 too and serves them on both prefixes', async () => {
      const bytes = png(4, 4);
      const res = await server.call('POST', '/reviews/api/v1/media', upload(bytes, 'a.png'));
      assert.equal(res.status, 201);
      assert.deepEqual([res.body.image.width, res.body.image.height], [4, 4]);
      for (const prefix of ['/reviews/v1', '/reviews/api/v1']) {
        const served = await fetchBytes(`${server.url}${prefix}/media/${res.body.image.id}`);
        assert.equal(served.status, 200);
        assert.equal(served.headers.get('content-type'), 'image/png');
        assert.deepEqual(served.bytes, bytes);
      }
    });

    it('answers an unknown media id with 404', async () => {
      const res = await server.call('GET', `/reviews/v1/media/${randomUUID()}.png`);
      assert.equal(res.status, 404);
      assert.equal(res.body.details.applicationError.code, 'NOT_FOUND');
    });

    it('keeps only the base name of the uploaded file name, without control or markup characters', async () => {
      const cases: [string, string][] = [
        ['../../etc/passwd.png', 'passwd.png'],
        ['C:\\Users\\me\\cat.png', 'cat.png'],
        ['<img onerror=x>.png', '_img onerror=x_.png'],
      ];
      for (const [given, kept] of cases) {
        const res = await server.call('POST', '/reviews/v1/media', upload(png(), given));
        assert.equal(res.status, 201, given);
        assert.equal(res.body.image.filename, kept);
      }
    });
  });

  describe('the type comes from the bytes, not the name', () => {
    it('accepts a PNG named .svg and declared image/svg+xml, and serves it as image/png', async () => {
      const bytes = png(2, 2);
      const res = await server.call('POST', '/reviews/v1/media', upload(bytes, 'evil.svg', 'image/svg+xml'));
      assert.equal(res.status, 201);
      assert.match(res.body.image.id, /\.png$/);
      assert.equal(res.body.image.filename, 'evil.svg');
      const served = await fetchBytes(res.body.image.url);
      assert.equal(served.headers.get('content-type'), 'image/png');
      assert.equal(served.headers.get('x-content-type-options'), 'nosniff');
      assert.deepEqual(served.bytes, bytes);
    });

    it('serves a JPEG named .gif as image/jpeg', async () => {
      const res = await server.call('POST', '/reviews/v1/media', upload(jpeg(), 'photo.gif', 'image/gif'));
      assert.equal(res.status, 201);
      assert.match(res.body.image.id, /\.jpg$/);
      assert.equal((await fetchBytes(res.body.image.url)).headers.get('content-type'), 'image/jpeg');
    });

    it('refuses an SVG named .png and declared image/png with 415', async () => {
      const res = await refused(upload(SVG, 'innocent.png', 'image/png'), 415, 'UNSUPPORTED_MEDIA_TYPE');
      assert.match(res.body.message, /SVG/);
    });

    it('refuses an SVG with a byte-order mark or leading whitespace', async () => {
      const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...SVG]);
      const withSpace = new Uint8Array([0x20, 0x0a, ...SVG]);
      await refused(upload(withBom, 'a.png', 'image/png'), 415, 'UNSUPPORTED_MEDIA_TYPE');
      await refused(upload(withSpace, 'a.png', 'image/png'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('refuses a text file and an HTML file named as images with 415', async () => {
      await refused(upload(new TextEncoder().encode('just some notes\n'), 'notes.jpg', 'image/jpeg'), 415, 'UNSUPPORTED_MEDIA_TYPE');
      await refused(upload(new TextEncoder().encode('<!doctype html><script>alert(1)</script>'), 'page.gif', 'image/gif'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('refuses an empty file with 400', async () => {
      await refused(upload(new Uint8Array(0), 'empty.png', 'image/png'), 400, 'EMPTY_FILE');
    });

    it('refuses a file that starts like a PNG but is not one, and absurd dimensions', async () => {
      await refused(upload(png().subarray(0, 12), 'cut.png'), 400, 'CORRUPT_IMAGE');
      const huge = png(2, 2);
      new DataView(huge.buffer, huge.byteOffset).setUint32(16, 30000); // IHDR width
      await refused(upload(huge, 'bomb.png'), 400, 'CORRUPT_IMAGE');
    });
  });

  describe('size limit: 5 MB', () => {
    it('accepts an image of exactly 5 MB', async () => {
      const bytes = pngOfSize(5 * MB);
      const res = await server.call('POST', '/reviews/v1/media', upload(bytes, 'big.png', 'image/png'));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.deepEqual([res.body.image.width, res.body.image.height], [2, 2]);
      const served = await fetchBytes(res.body.image.url);
      assert.equal(served.bytes.length, 5 * MB);
    });

    it('refuses an image one byte over 5 MB with 413', async () => {
      await refused(upload(pngOfSize(5 * MB + 1), 'big.png', 'image/png'), 413, 'FILE_TOO_LARGE');
    });

    it('refuses a real 5.5 MB photo-like image with 413', async () => {
      const bytes = noisyPng(1200, 1200);
      assert.ok(bytes.length > 5.4 * MB);
      await refused(upload(bytes, 'noise.png', 'image/png'), 413, 'FILE_TOO_LARGE');
    });

    it('refuses a 10 MB upload with 413', async () => {
      await refused(upload(pngOfSize(10 * MB), 'huge.png', 'image/png'), 413, 'FILE_TOO_LARGE');
    });
  });

  describe('malformed uploads', () => {
    it('requires multipart/form-data (415 otherwise)', async () => {
      await refused(JSON.stringify({ file: 'iVBORw0KGgo=' }), 415, 'UNSUPPORTED_MEDIA_TYPE', { 'Content-Type': 'application/json' });
      const before = await mediaCount();
      const raw = await server.call('POST', '/reviews/v1/media', png(), { headers: { 'Content-Type': 'image/png' } });
      assert.equal(raw.status, 415);
      assert.equal(await mediaCount(), before);
    });

    it('requires a file in the field named "file"', async () => {
      const wrongField = new FormData();
      wrongField.append('image', new Blob([png()], { type: 'image/png' }), 'a.png');
      const r1 = await refused(wrongField, 400, 'file');
      assert.equal(r1.body.details.validationError.fieldViolations[0].ruleName, 'REQUIRED_FIELD');
      const asText = new FormData();
      asText.append('file', 'not a file');
      await refused(asText, 400, 'file');
      await refused(new FormData(), 400, 'file');
    });

    it('answers a broken multipart body with 400', async () => {
      const before = await mediaCount();
      const res = await server.call('POST', '/reviews/v1/media', '--nope\r\ngarbage', {
        headers: { 'Content-Type': 'multipart/form-data; boundary=xyz' },
      });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(typeof res.body.message, 'string');
      assert.equal(await mediaCount(), before);
    });
  });

  describe('media in reviews', () => {
    it('fills size, name and URL of an uploaded image in the review', async () => {
      const up = await server.call('POST', '/reviews/v1/media', upload(jpeg(6, 3), 'shoe.jpg', 'image/jpeg'));
      assert.equal(up.status, 201);
      const body = reviewBody({ entityId: `m-${randomUUID().slice(0, 8)}` });
      body.review.content = { ...body.review.content, media: [{ image: { id: up.body.image.id } }] } as typeof body.review.content;
      const res = await server.call('POST', '/reviews/v1/reviews', body, owner);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.review.content.media, [
        { image: { id: up.body.image.id, url: up.body.image.url, width: 6, height: 3, filename: 'shoe.jpg', altText: 'shoe.jpg' } },
      ]);
      const read = await server.call('GET', `/reviews/v1/reviews/${res.body.review.id}`);
      assert.deepEqual(read.body.review.content.media, res.body.review.content.media);
    });

    it('keeps external http(s) images and videos as given', async () => {
      const media = [
        { image: { url: 'https://cdn.example/a.jpg', altText: 'A jacket' } },
        { image: { url: 'http://cdn.example/b.png' } },
        { video: { url: 'https://video.example/clip.mp4' } },
        { video: { url: 'https://video.example/live.m3u8' } },
      ];
      const res = await server.call(
        'POST',
        '/reviews/v1/reviews/contact',
        { namespace: 'stores', entityId: `m-${randomUUID().slice(0, 8)}`, name: 'Vi', email: `${randomUUID()}@example.com`, content: { rating: 4, media } },
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.review.content.media, [
        { image: { url: 'https://cdn.example/a.jpg', altText: 'A jacket' } },
        { image: { url: 'http://cdn.example/b.png', altText: null } },
        { video: { url: 'https://video.example/clip.mp4', resolutions: [{ url: 'https://video.example/clip.mp4', format: 'mp4' }] } },
        { video: { url: 'https://video.example/live.m3u8', resolutions: [{ url: 'https://video.example/live.m3u8', format: 'hls' }] } },
      ]);
    });

    it('refuses an id that was never uploaded, naming the item', async () => {
      const entityId = `m-${randomUUID().slice(0, 8)}`;
      const body = reviewBody({ entityId });
      body.review.content = { ...body.review.content, media: [{ image: { url: 'https://cdn.example/ok.jpg' } }, { image: { id: 'nope.png' } }] } as typeof body.review.content;
      const res = await server.call('POST', '/reviews/v1/reviews', body, owner);
      assert.equal(res.status, 400);
      assert.deepEqual(res.body.details.validationError.fieldViolations.map((v: any) => v.field), ['review.content.media[1].image.id']);
      assert.deepEqual((await server.call('POST', '/reviews/v1/reviews/count', { filter: { entityId }, includePrivateReviews: true }, owner)).body, { count: 0 });
    });

    it('refuses media items with both or neither of image and video, or with neither id nor url', async () => {
      const entityId = `m-${randomUUID().slice(0, 8)}`;
      const bad = [
        { image: { url: 'https://cdn.example/a.jpg' }, video: { url: 'https://cdn.example/a.mp4' } },
        {},
        { image: {} },
        { image: { altText: 'no source' } },
        { audio: { url: 'https://cdn.example/a.mp3' } },
      ];
      for (const item of bad) {
        const res = await server.call(
          'POST',
          '/reviews/v1/reviews/contact',
          { namespace: 'stores', entityId, name: 'Vi', email: `${randomUUID()}@example.com`, content: { rating: 4, media: [item] } },
        );
        assert.equal(res.status, 400, JSON.stringify(item));
        assert.ok(res.body.details.validationError.fieldViolations[0].field.startsWith('content.media.0'), JSON.stringify(res.body));
      }
      assert.deepEqual((await server.call('POST', '/reviews/v1/reviews/count', { filter: { entityId }, includePrivateReviews: true }, owner)).body, { count: 0 });
    });

    it('replaces the media on Update Review and removes them with an empty list', async () => {
      const created = await server.call('POST', '/reviews/v1/reviews', reviewBody({ entityId: `m-${randomUUID().slice(0, 8)}` }), owner);
      const id = created.body.review.id;
      const up = await server.call('POST', '/reviews/v1/media', upload(gif(), 'dot.gif'));
      const set = await server.call('PATCH', `/reviews/v1/reviews/${id}`, { review: { revision: '1', content: { media: [{ image: { id: up.body.image.id } }] } } }, owner);
      assert.equal(set.status, 200);
      assert.deepEqual(set.body.review.content.media, [
        { image: { id: up.body.image.id, url: up.body.image.url, width: 1, height: 1, filename: 'dot.gif', altText: 'dot.gif' } },
      ]);
      assert.deepEqual((await server.call('POST', '/reviews/v1/reviews/query', { query: { filter: { id, 'content.media': { $isEmpty: false } } } })).body.reviews.map((r: any) => r.id), [id]);
      const cleared = await server.call('PATCH', `/reviews/v1/reviews/${id}`, { review: { revision: '2', content: { media: [] } } }, owner);
      assert.equal(cleared.status, 200);
      assert.deepEqual(cleared.body.review.content.media, []);
      assert.deepEqual((await server.call('POST', '/reviews/v1/reviews/query', { query: { filter: { id, 'content.media': { $isEmpty: true } } } })).body.reviews.map((r: any) => r.id), [id]);
    });
  });
});
