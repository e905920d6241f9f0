/**
 * Moderation policy for new reviews.
 * - `off`: every review is published (APPROVED) at once.
 * - `all`: visitor reviews wait IN_MODERATION for the owner.
 * - `auto`: visitor reviews that carry links, e-mail addresses, phone numbers, media or
 *   words on the block list wait; the rest are published.
 * Reviews written with the owner's key are trusted and published in every mode.
 */
import type { ModerationStatus } from '../api/schema.js';

export type ModerationMode = 'off' | 'auto' | 'all';
export const MODERATION_MODES: readonly ModerationMode[] = ['off', 'auto', 'all'];

/** A short default block list; site owners replace it with `--block-words`. */
export const DEFAULT_BLOCK_WORDS = ['viagra', 'casino', 'crypto giveaway', 'porn', 'xxx'];

export interface ModerationInput {
  title?: string | null;
  body?: string | null;
  authorName?: string | null;
  mediaCount: number;
}

export interface ModerationDecision {
  status: ModerationStatus;
  /** Why the review waits, for the owner's queue (empty when approved). */
  reasons: string[];
}

const LINK = /\b(?:https?:\/\/|www\.)\S+|\b[a-z0-9-]{2,}\.(?:com|net|org|io|co|ru|cn|info|biz|xyz|shop|store|app|ly|me)\b/i;
const EMAIL = /[^\s@]+@[^\s@]+\.[a-z]{2,}/i;
const PHONE = /(?:\+?\d[\s().-]*){7,}/;

export function moderate(
  mode: ModerationMode,
  input: ModerationInput,
  blockWords: readonly string[],
): ModerationDecision {
  if (mode === 'off') return { status: 'APPROVED', reasons: [] };
  if (mode === 'all') return { status: 'IN_MODERATION', reasons: ['all reviews are moderated'] };
  const text = [input.title, input.body, input.authorName].filter(Boolean).join('\n');
  const reasons: string[] = [];
  if (LINK.test(text)) reasons.push('contains a link');
  if (EMAIL.test(text)) reasons.push('contains an e-mail address');
  if (PHONE.test(text)) reasons.push('contains a phone number');
  if (input.mediaCount > 0) reasons.push('has media');
  const lower = text.toLocaleLowerCase();
  const hit = blockWords.find((w) => w && containsWord(lower, w.toLocaleLowerCase()));
  if (hit) reasons.push(`contains a blocked word ("${hit}")`);
  return { status: reasons.length ? 'IN_MODERATION' : 'APPROVED', reasons };
}

function containsWord(text: string, word: string): boolean {
  let from = 0;
  for (;;) {
    const i = text.indexOf(word, from);
    if (i < 0) return false;
    const before = text[i - 1];
    const after = text[i + word.length];
    if (!isWordChar(before) && !isWordChar(after)) return true;
    from = i + 1;
  }
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{N}_]/u.test(ch);
}
