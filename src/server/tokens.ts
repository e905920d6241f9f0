/**
 * Signed, expiring tokens for the links in review request messages. A token binds a
 * review request id, the recipient's contact id and an expiry, signed with HMAC-SHA256
 * under a secret generated once per database and kept in the `settings` table (so every
 * server on one PostgreSQL database accepts the links the others sent).
 *
 * Format: `<base64url(JSON {r, c, e})>.<base64url(HMAC-SHA256(secret, first part))>`,
 * where `e` is the expiry in whole seconds since the epoch. Compact enough for a URL, and
 * nothing in it is secret: it only has to be unforgeable.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from './db.js';

const SECRET_KEY = 'review_request_token_secret';
const secrets = new WeakMap<Queryable, Promise<Buffer>>();

/** What a token says. */
export interface TokenClaims {
  reviewRequestId: string;
  contactId: string;
  expires: Date;
}

/**
 * A token's verdict: genuine and current; genuine but `expired` (the claims are given so
 * the caller can still tell "another request's link" from "this link, too late"); or
 * `invalid` (forged, altered, malformed).
 */
export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; problem: 'expired'; claims: TokenClaims }
  | { ok: false; problem: 'invalid' };

/**
 * The signing secret: read from `settings`, or generated and stored on first use. Two
 * servers racing on a fresh database both end up with the row that was inserted first.
 * Pass the database itself, not a transaction: the answer is cached per handle, and
 * fetching it before a transaction starts keeps the secret out of every transaction.
 */
export function tokenSecret(db: Queryable): Promise<Buffer> {
  let secret = secrets.get(db);
  if (!secret) {
    secret = (async () => {
      await db.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [
        SECRET_KEY,
        randomBytes(32).toString('base64url'),
      ]);
      const { rows } = await db.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [SECRET_KEY]);
      return Buffer.from(rows[0]!.value, 'base64url');
    })();
    // A failed read (database closing) must not be cached forever.
    secret.catch(() => secrets.delete(db));
    secrets.set(db, secret);
  }
  return secret;
}

/** Signs claims with the secret from `tokenSecret`. */
export function signToken(secret: Buffer, claims: TokenClaims): string {
  const payload = Buffer.from(
    JSON.stringify({ r: claims.reviewRequestId, c: claims.contactId, e: Math.floor(claims.expires.getTime() / 1000) }),
  ).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

/**
 * Checks a token's signature (in constant time) and, only when it is genuine, its expiry
 * against `now`. The caller still has to check that the claims name the request and
 * contact it is acting on.
 */
export function verifyToken(secret: Buffer, token: string, now: Date): TokenCheck {
  const parts = token.split('.');
  if (parts.length !== 2 || !/^[\w-]+$/.test(parts[0]!) || !/^[\w-]+$/.test(parts[1]!)) return { ok: false, problem: 'invalid' };
  const [payload, signature] = parts as [string, string];
  const expected = mac(secret, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, problem: 'invalid' };
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, problem: 'invalid' };
  }
  if (!isClaims(claims)) return { ok: false, problem: 'invalid' };
  const verified = { reviewRequestId: claims.r, contactId: claims.c, expires: new Date(claims.e * 1000) };
  if (verified.expires.getTime() <= now.getTime()) return { ok: false, problem: 'expired', claims: verified };
  return { ok: true, claims: verified };
}

function mac(secret: Buffer, payload: string): Buffer {
  return createHmac('sha256', secret).update(`review-request.v1.${payload}`).digest();
}

function isClaims(v: unknown): v is { r: string; c: string; e: number } {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.r === 'string' && typeof o.c === 'string' && Number.isSafeInteger(o.e) && (o.e as number) > 0 && (o.e as number) < 253_402_300_800;
}
