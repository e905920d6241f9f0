/**
 * Browser-test helpers: the reference server's URL and owner key (injected by
 * web-test-runner.config.mjs), data seeding through the real API, fault endpoints,
 * and a guard that fails a test when Lit prints a dev-mode warning.
 */
import type { Review } from '../../src/api/schema.js';

interface TestEnv {
  endpoint: string;
  ownerKey: string;
}
const env = (globalThis as unknown as { __REVIEWS_TEST__: TestEnv }).__REVIEWS_TEST__;

/** Base URL of the real reference server (another origin: requests are cross-origin). */
export const API = env.endpoint;
export const OWNER_KEY = env.ownerKey;

/** An endpoint that answers with an injected fault in front of the real server. */
export function faultEndpoint(kind: string): string {
  return `${location.origin}/__fault/${kind}`;
}

let counter = 0;
/** An id no other test uses (the server is shared by every test file in a run). */
export function uniqueId(prefix = 'p'): string {
  counter++;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 7)}`.slice(0, 36);
}

export interface SeedReview {
  rating: number;
  title?: string | null;
  body?: string | null;
  authorName?: string;
  verified?: boolean;
  media?: unknown[];
  reviewDate?: string;
}

async function api(method: string, path: string, body?: unknown, owner = true): Promise<any> {
  const res = await fetch(API + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...(owner ? { Authorization: OWNER_KEY } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

/**
 * Creates reviews for an entity with the owner's bulk route, one at a time in the given
 * order (so createdDate increases with the index), and returns them as the server stored them.
 */
export async function seedReviews(entityId: string, reviews: SeedReview[], namespace = 'stores'): Promise<Review[]> {
  const out: Review[] = [];
  for (const r of reviews) {
    const json = await api('POST', '/reviews/v1/reviews', {
      review: {
        namespace,
        entityId,
        author: { contactId: crypto.randomUUID(), authorName: r.authorName ?? 'Test Author' },
        content: { rating: r.rating, title: r.title ?? null, body: r.body ?? null, ...(r.media ? { media: r.media } : {}) },
        ...(r.verified !== undefined ? { verified: r.verified } : {}),
        ...(r.reviewDate ? { reviewDate: r.reviewDate } : {}),
      },
    });
    out.push(json.review);
  }
  return out;
}

/** Casts `count` helpful (or unhelpful) votes on a review from fresh visitor ids. */
export async function castVotes(reviewId: string, helpful: number, unhelpful = 0): Promise<Review> {
  let last: Review | undefined;
  for (let i = 0; i < helpful + unhelpful; i++) {
    const json = await api('POST', `/reviews/v1/reviews/${reviewId}/helpfulness`, { vote: i < helpful ? 'HELPFUL' : 'UNHELPFUL', visitorId: crypto.randomUUID() }, false);
    last = json.review;
  }
  return last!;
}

export async function setReply(reviewId: string, message: string): Promise<Review> {
  return (await api('PATCH', `/reviews/v1/reviews/${reviewId}/reply`, { message })).review;
}

export async function moderate(reviewId: string, status: 'APPROVED' | 'REJECTED'): Promise<Review> {
  return (await api('PATCH', `/reviews/v1/reviews/${reviewId}/moderate`, { status })).review;
}

/** Uploads a generated PNG (drawn on a canvas) and returns the media id. */
export async function uploadImage(color = '#3a7bd5', width = 64, height = 48): Promise<{ id: string; url: string }> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = color;
  ctx.fillRect(0, 0, width, height);
  const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
  const form = new FormData();
  form.append('file', blob, 'photo.png');
  const res = await fetch(`${API}/reviews/v1/media`, { method: 'POST', body: form });
  if (!res.ok) throw new Error(`upload failed: ${res.status}`);
  return (await res.json()).image;
}

/** Query the server directly (owner), to compare what an element shows with the truth. */
export async function queryApi(query: unknown): Promise<Review[]> {
  return (await api('POST', '/reviews/v1/reviews/query', { query })).reviews;
}

/**
 * Records Lit dev-mode warnings (and other console warnings) so a test can assert none
 * were printed. Call in `beforeEach`; check with `assertNoLitWarnings()` in `afterEach`.
 */
const warnings: string[] = [];
const originalWarn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  const text = args.map(String).join(' ');
  if (/Lit is in dev mode|Multiple versions of Lit loaded/.test(text)) return;
  warnings.push(text);
  originalWarn(...args);
};

export function resetWarnings(): void {
  warnings.length = 0;
}

/** Lit warnings printed since the last reset (e.g. change-in-update). */
export function litWarnings(): string[] {
  return warnings.filter((w) => /lit\.dev\/msg|Lit|scheduled an update/.test(w));
}

export function takeWarnings(): string[] {
  return warnings.splice(0);
}
