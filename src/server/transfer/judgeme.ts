/**
 * Judge.me's product-review CSV export, mapped to our reviews. Columns of the export:
 * `title, body, rating, review_date, source, curated, reviewer_name, reviewer_email,
 * product_id, product_handle, reply, reply_date, picture_urls, ip_address, location`;
 * columns beyond these are accepted and ignored. The mapping is documented in
 * docs/import-export.md.
 */
import { LIMITS, isHttpUrl, type ModerationStatus } from '../../api/schema.js';
import { AUTHOR_REQUIRED, boolCell, clip, intCell, renameFields, reviewFromLine, type RowProblem } from './formats.js';

/** The columns of a Judge.me export that the import reads. */
export const JUDGEME_COLUMNS = [
  'title',
  'body',
  'rating',
  'review_date',
  'source',
  'curated',
  'reviewer_name',
  'reviewer_email',
  'product_id',
  'product_handle',
  'reply',
  'reply_date',
  'picture_urls',
  'ip_address',
  'location',
  // Not in every export, read when present.
  'verified',
] as const;

/** Judge.me's curation states and the moderation status each becomes. */
export const CURATED_STATUS: Readonly<Record<string, ModerationStatus>> = {
  ok: 'APPROVED',
  'not-yet': 'IN_MODERATION',
  spam: 'REJECTED',
};

/** Which column gives the entity id: the Shopify product id (default) or the product handle. */
export type EntityFrom = 'id' | 'handle';

const PROBLEM_FIELDS = (entityColumn: string): Record<string, string> => ({
  entityId: entityColumn,
  'content.rating': 'rating',
  'content.title': 'title',
  'content.body': 'body',
  'author.authorName': 'reviewer_name',
  'contact.email': 'reviewer_email',
  'contact.name': 'reviewer_name',
  reviewDate: 'review_date',
  createdDate: 'review_date',
  'reply.message': 'reply',
  'reply.createdDate': 'reply_date',
  'reply.updatedDate': 'reply_date',
});

/** The header's missing required columns (empty when the header is usable). */
export function missingJudgemeColumns(header: readonly string[], entityFrom: EntityFrom): string[] {
  const need = ['rating', 'reviewer_email', entityFrom === 'handle' ? 'product_handle' : 'product_id'];
  return need.filter((c) => !header.includes(c));
}

/** Turns one Judge.me row (cells by lower-case column name) into a review record. */
export function reviewFromJudgeme(row: Readonly<Record<string, string>>, entityFrom: EntityFrom): ReturnType<typeof reviewFromLine> {
  const problems: RowProblem[] = [];
  const cell = (c: string) => (row[c] ?? '').trim();
  const entityColumn = entityFrom === 'handle' ? 'product_handle' : 'product_id';
  const email = cell('reviewer_email');
  if (!email) problems.push({ field: 'reviewer_email', description: 'is required (the reviewer is identified by e-mail)' });
  if (!cell(entityColumn)) problems.push({ field: entityColumn, description: 'is required' });
  const rating = intCell(row.rating ?? '', 'rating', problems);
  if (rating === undefined && !cell('rating')) problems.push({ field: 'rating', description: 'is required' });
  const curated = cell('curated').toLowerCase();
  const status = curated === '' ? undefined : CURATED_STATUS[curated];
  if (curated !== '' && !status) {
    problems.push({ field: 'curated', description: `must be one of "ok", "not-yet", "spam" (got ${JSON.stringify(clip(curated))})` });
  }
  const pictures = pictureUrls(row.picture_urls ?? '', problems);
  const verified = row.verified === undefined ? undefined : verifiedCell(row.verified, problems);
  const name = cell('reviewer_name') || null;
  const reviewDate = cell('review_date');
  const replyText = row.reply ?? '';
  const replyDate = cell('reply_date');
  const line: Record<string, unknown> = {
    namespace: 'stores',
    entityId: cell(entityColumn) || undefined,
    content: {
      title: row.title ? row.title : null,
      body: row.body ? row.body : null,
      rating: rating ?? row.rating,
      media: pictures.map((url) => ({ image: { url } })),
    },
    author: { authorName: name },
    ...(email ? { contact: { email, name } } : {}),
    ...(reviewDate ? { reviewDate, createdDate: reviewDate } : {}),
    ...(status ? { moderation: { moderationStatus: status } } : {}),
    ...(verified === undefined ? {} : { verified }),
    ...(row.reply === undefined ? {} : { reply: replyText.trim() ? { message: replyText, ...(replyDate ? { createdDate: replyDate, updatedDate: replyDate } : {}) } : null }),
  };
  const result = reviewFromLine(line);
  if (problems.length || result.problems) {
    const known = new Set(problems.map((p) => p.field));
    const more = renameFields(result.problems ?? [], PROBLEM_FIELDS(entityColumn), (p) => (p.startsWith('content.media') ? 'picture_urls' : p))
      .filter((p) => p.description !== AUTHOR_REQUIRED && !known.has(p.field));
    return { problems: [...problems, ...more] };
  }
  return result;
}

/**
 * Judge.me separates picture URLs with commas. A comma can also occur inside a URL (image
 * CDN parameters), so a piece that does not start with a scheme belongs to the one before.
 */
export function pictureUrls(cell: string, problems: RowProblem[]): string[] {
  const urls: string[] = [];
  for (const piece of cell.split(',')) {
    const t = piece.trim();
    if (t === '') continue;
    if (urls.length && !/^[a-z][a-z0-9+.-]*:/i.test(t)) urls[urls.length - 1] += `,${piece}`;
    else urls.push(t);
  }
  const bad = urls.filter((u) => !isHttpUrl(u) || u.length > LIMITS.urlMax);
  for (const u of bad) problems.push({ field: 'picture_urls', description: `has ${JSON.stringify(clip(u))}, which is not an absolute http: or https: URL` });
  if (urls.length > LIMITS.mediaMax) problems.push({ field: 'picture_urls', description: `has ${urls.length} pictures; a review holds at most ${LIMITS.mediaMax}` });
  return bad.length || urls.length > LIMITS.mediaMax ? [] : urls;
}

/** Judge.me's `verified` column, when an export has one: `buyer`/`verified-buyer` or a boolean. */
function verifiedCell(cell: string, problems: RowProblem[]): boolean | undefined {
  const t = cell.trim().toLowerCase();
  if (['buyer', 'verified-buyer', 'verified_buyer', 'verified buyer'].includes(t)) return true;
  if (['nothing', 'email', 'unverified', 'not-verified'].includes(t)) return false;
  return boolCell(cell, 'verified', problems);
}
