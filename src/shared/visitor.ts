/**
 * The anonymous visitor: a random id kept in localStorage (so one browser votes once per
 * review) and the votes this browser cast, so they show as pressed after a reload.
 * Storage may be unavailable (privacy modes, sandboxed iframes): then both live in memory.
 */
import type { HelpfulnessVote } from '../api/schema.js';

const ID_KEY = 'storefront-reviews:visitor-id';
const VOTES_KEY = 'storefront-reviews:votes';
const memory = new Map<string, string>();

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return memory.get(key) ?? null;
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    memory.set(key, value);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function visitorId(): string {
  let id = read(ID_KEY);
  if (!id || !UUID.test(id)) {
    id = crypto.randomUUID();
    write(ID_KEY, id);
  }
  return id;
}

function votes(): Record<string, HelpfulnessVote> {
  try {
    const parsed: unknown = JSON.parse(read(VOTES_KEY) ?? '{}');
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, HelpfulnessVote>) : {};
  } catch {
    return {};
  }
}

export function rememberedVote(reviewId: string): HelpfulnessVote {
  const v = votes()[reviewId];
  return v === 'HELPFUL' || v === 'UNHELPFUL' ? v : 'NONE';
}

export function rememberVote(reviewId: string, vote: HelpfulnessVote): void {
  const all = votes();
  if (vote === 'NONE') delete all[reviewId];
  else all[reviewId] = vote;
  write(VOTES_KEY, JSON.stringify(all));
}
