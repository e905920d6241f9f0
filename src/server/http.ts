/**
 * Request plumbing shared by every route module: the Hono environment, who is calling,
 * JSON body limits and validated JSON bodies.
 */
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { safeParse, type core } from 'zod/mini';
import { badRequest, invalid, unauthorized } from './errors.js';

/** `owner`: the request carried the owner's API key. `appId`: the owner acts as this app. */
export type Env = { Variables: { owner: boolean; appId: string | null } };

/** JSON bodies are small; media uploads get their own, larger limit. */
export const JSON_BODY_LIMIT = 1024 * 1024;

/** Body limit middleware for JSON routes (413 in the Wix envelope). */
export const jsonLimit = bodyLimit({ maxSize: JSON_BODY_LIMIT, onError: () => { throw new HTTPException(413); } });

/** Throws 401 unless the request carried the owner's API key. */
export function requireOwner(c: Context<Env>): void {
  if (!c.get('owner')) throw unauthorized();
}

/**
 * The app an owner request acts for (header `X-Storefront-App-Id`), or null. Events caused
 * by such a write carry it as `originatedFrom`, so a sync app can ignore its own changes.
 */
export function appIdOf(c: Context<Env>): string | null {
  return c.get('appId') ?? null;
}

/**
 * Parses a JSON body and validates it; malformed JSON and schema violations become 400s
 * that say what is wrong. `optional` allows an empty body (treated as `{}`).
 */
export async function readJson<S extends core.$ZodType>(c: Context, schema: S, optional = false): Promise<core.output<S>> {
  const text = await c.req.text();
  let data: unknown;
  if (text.trim() === '') {
    if (!optional) throw badRequest('The request body is empty; send a JSON object');
    data = {};
  } else {
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw badRequest(`The request body is not valid JSON (${(err as Error).message})`, 'MALFORMED_JSON');
    }
    // PostgreSQL text cannot hold NUL; in JSON it can only be written as an unescaped \u0000.
    if (/(?<!\\)(?:\\\\)*\\u0000/.test(text)) {
      throw badRequest('The request body contains a NUL character (\\u0000), which text cannot hold');
    }
  }
  // reportInput lets a wrong type be told apart from a missing field in the violations.
  const parsed = safeParse(schema, data, { reportInput: true });
  if (!parsed.success) throw invalid(parsed.error.issues);
  return parsed.data;
}
