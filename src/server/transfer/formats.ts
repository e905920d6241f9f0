/**
 * The review formats of import and export: the JSON line (our review object plus what a
 * lossless round trip needs), the generic CSV columns, and the record every format is
 * turned into before it is written. Formats are documented in docs/import-export.md.
 */
import {
  array,
  boolean,
  enum as zEnum,
  gte,
  int,
  lte,
  maxLength,
  minLength,
  nullable,
  object,
  optional,
  refine,
  regex,
  safeParse,
  string,
  union,
  unknown,
  type infer as Infer,
} from 'zod/mini';
import {
  EmailSchema,
  EntityIdSchema,
  LIMITS,
  MODERATION_STATUSES,
  NamespaceSchema,
  ORIGIN_TYPES,
  isHttpUrl,
  toFieldViolations,
  type ModerationStatus,
  type OriginType,
  type Review,
} from '../../api/schema.js';

// ---------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------

const DATE_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Parses an ISO 8601 date (`2024-05-01`) or date-time (`2024-05-01T12:00:00.000Z`,
 * `2024-05-01 12:00:00 UTC`, `... +02:00`). Without a zone the time is UTC. Returns null
 * for anything else, for impossible dates (February 30) and outside years 1 to 9999.
 */
export function parseDate(text: string): Date | null {
  const m = DATE_RE.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, Number(frac.padEnd(3, '0').slice(0, 3)));
  if (utc.getUTCDate() !== day || utc.getUTCMonth() !== month - 1) return null;
  let offset = 0;
  if (/^[+-]/.test(zone)) {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || '0');
    if (oh > 14 || om > 59) return null;
    offset = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const date = new Date(utc.getTime() - offset * 60_000);
  const yr = date.getUTCFullYear();
  return yr >= 1 && yr <= 9999 ? date : null;
}

const DATE_MESSAGE = 'must be an ISO 8601 date or date-time, e.g. 2024-05-01 or 2024-05-01T12:00:00Z';
const isoDate = string().check(refine((s) => parseDate(s) !== null, { message: DATE_MESSAGE }));

// ---------------------------------------------------------------------------
// The review record every format is turned into
// ---------------------------------------------------------------------------

/** Stored media: an external image or video by URL, or a local upload by id. */
export type StoredMedia =
  | { image: { id?: string; url?: string; width?: number; height?: number; filename?: string | null; altText?: string | null } }
  | { video: { id?: string; url: string; resolutions: { url: string; format?: string; width?: number; height?: number }[] } };

/**
 * One review to import. `undefined` means "not in the file": on insert a default is used,
 * with `--update` the existing value is kept. `null` means "given, empty".
 */
export interface ReviewRecord {
  id?: string;
  namespace: string;
  entityId: string;
  /** The author's contact id (our JSON and CSV); kept when there is no e-mail, preferred for new contacts. */
  contactId?: string;
  /** The author's e-mail: the contact is found or created by it. */
  email?: string;
  contactName?: string | null;
  /** Our JSON carried a contact without an e-mail: create it under `contactId` if missing. */
  contactWithoutEmail?: boolean;
  authorName?: string | null;
  title?: string | null;
  body?: string | null;
  media?: StoredMedia[];
  rating: number;
  createdDate?: Date;
  updatedDate?: Date;
  reviewDate?: Date;
  status?: ModerationStatus;
  manuallyChanged?: boolean;
  verified?: boolean;
  reply?: { message: string; createdDate?: Date; updatedDate?: Date } | null;
  foundHelpful?: number;
  foundUnhelpful?: number;
  origin?: { type: OriginType; appId: string | null };
  revision?: string;
  publishCount?: number;
}

/** A violation found in a row: the field (our path, or the file's column) and what is wrong. */
export interface RowProblem {
  field: string;
  description: string;
}

/** The problem of a row that names no author; each format rephrases it with its own columns. */
export const AUTHOR_REQUIRED = 'author.contactId or contact.email is required (the author is identified by one of them)';

/** One line of text for a row's problems (the same problem twice, e.g. two fields from one column, once). */
export const formatProblems = (problems: readonly RowProblem[]) =>
  [...new Set(problems.map((p) => (p.field ? `${p.field} ${p.description}` : p.description)))].join('; ');

// ---------------------------------------------------------------------------
// The JSON line (NDJSON): a review as the API returns it, plus `contact`
// ---------------------------------------------------------------------------

const httpUrl = string().check(
  maxLength(LIMITS.urlMax),
  refine((s) => isHttpUrl(s), { message: 'must be an absolute http: or https: URL' }),
);
const dimension = optional(int().check(gte(1), lte(100_000)));

const ImageLineSchema = object({
  id: optional(string().check(minLength(1), maxLength(200))),
  url: httpUrl,
  width: dimension,
  height: dimension,
  altText: optional(nullable(string().check(maxLength(500)))),
  filename: optional(nullable(string().check(maxLength(255)))),
});

const VideoLineSchema = object({
  id: optional(string().check(minLength(1), maxLength(200))),
  url: httpUrl,
  resolutions: optional(
    array(object({ url: httpUrl, format: optional(string().check(maxLength(20))), width: dimension, height: dimension })).check(maxLength(10)),
  ),
});

const MediaLineSchema = object({ image: optional(ImageLineSchema), video: optional(VideoLineSchema) }).check(
  refine((m) => (m.image ? 1 : 0) + (m.video ? 1 : 0) === 1, { message: 'each media item needs exactly one of image or video' }),
);

const counter = optional(int().check(gte(0), lte(2_147_483_647)));

/** One line of our JSON format. Read-only API fields that are derived (helpfulness, relevanceScore) are ignored. */
export const ReviewLineSchema = object({
  id: optional(string().check(minLength(1), maxLength(100))),
  namespace: optional(NamespaceSchema),
  entityId: EntityIdSchema,
  content: object({
    title: optional(nullable(string().check(maxLength(LIMITS.titleMax)))),
    body: optional(nullable(string().check(maxLength(LIMITS.bodyMax)))),
    media: optional(array(MediaLineSchema).check(maxLength(LIMITS.mediaMax))),
    rating: int().check(gte(1), lte(5)),
  }),
  author: optional(
    object({
      contactId: optional(nullable(string().check(minLength(1), maxLength(100)))),
      authorName: optional(nullable(string().check(maxLength(LIMITS.nameMax)))),
    }),
  ),
  contact: optional(
    nullable(object({ email: optional(nullable(EmailSchema)), name: optional(nullable(string().check(maxLength(LIMITS.nameMax)))) })),
  ),
  createdDate: optional(isoDate),
  updatedDate: optional(isoDate),
  reviewDate: optional(isoDate),
  reply: optional(
    nullable(object({ message: string().check(minLength(1), maxLength(LIMITS.replyMax)), createdDate: optional(isoDate), updatedDate: optional(isoDate) })),
  ),
  foundHelpful: counter,
  foundUnhelpful: counter,
  helpfulness: optional(unknown()),
  relevanceScore: optional(unknown()),
  moderation: optional(object({ moderationStatus: zEnum(MODERATION_STATUSES), manuallyChanged: optional(boolean()) })),
  verified: optional(boolean()),
  origin: optional(object({ type: zEnum(ORIGIN_TYPES), appId: optional(nullable(string().check(minLength(1), maxLength(100)))) })),
  revision: optional(union([string().check(regex(/^[1-9]\d{0,17}$/)), int().check(gte(1))])),
  publishCount: counter,
});
export type ReviewLine = Infer<typeof ReviewLineSchema>;

/** The JSON line written by export: the API's review object (with `reply: null` when there is none) and the contact. */
export type ExportLine = Review & { contact?: { email: string | null; name: string | null } };

/**
 * Validates a parsed JSON object (one line of our format, or the object built from a CSV
 * row) and turns it into a record. `given` lists the keys the source had, so a key the
 * source lacked stays "not given".
 */
export function reviewFromLine(data: unknown): { record: ReviewRecord; problems?: undefined } | { problems: RowProblem[]; record?: undefined } {
  const nul = findNul(data, '');
  if (nul !== null) return { problems: [{ field: nul, description: 'contains a NUL character, which text cannot hold' }] };
  const parsed = safeParse(ReviewLineSchema, data, { reportInput: true });
  if (!parsed.success) return { problems: toFieldViolations(parsed.error.issues).map(({ field, description }) => ({ field, description })) };
  const d = parsed.data;
  const has = (obj: unknown, key: string) => typeof obj === 'object' && obj !== null && key in obj;
  const raw = data as Record<string, unknown>;
  const problems: RowProblem[] = [];
  const contactId = d.author?.contactId ?? undefined;
  const email = d.contact?.email ?? undefined;
  if (!contactId && !email) problems.push({ field: '', description: AUTHOR_REQUIRED });
  if (d.origin?.type === 'APP' && !d.origin.appId) problems.push({ field: 'origin.appId', description: 'is required when origin.type is APP' });
  if (problems.length) return { problems };
  const date = (s: string | undefined) => (s === undefined ? undefined : parseDate(s)!);
  const rawContent = raw.content as Record<string, unknown>;
  const record: ReviewRecord = {
    namespace: d.namespace ?? 'stores',
    entityId: d.entityId,
    rating: d.content.rating,
  };
  if (d.id !== undefined) record.id = d.id;
  if (contactId) record.contactId = contactId;
  if (email) record.email = email;
  if (d.contact) {
    record.contactName = d.contact.name ?? null;
    if (!email) record.contactWithoutEmail = true;
  }
  if (has(raw.author, 'authorName')) record.authorName = d.author?.authorName?.trim() || null;
  if (has(rawContent, 'title')) record.title = d.content.title ?? null;
  if (has(rawContent, 'body')) record.body = d.content.body ?? null;
  if (d.content.media !== undefined) record.media = d.content.media.map(storedMedia);
  if (d.createdDate !== undefined) record.createdDate = date(d.createdDate);
  if (d.updatedDate !== undefined) record.updatedDate = date(d.updatedDate);
  if (d.reviewDate !== undefined) record.reviewDate = date(d.reviewDate);
  if (d.moderation) {
    record.status = d.moderation.moderationStatus;
    if (d.moderation.manuallyChanged !== undefined) record.manuallyChanged = d.moderation.manuallyChanged;
  }
  if (d.verified !== undefined) record.verified = d.verified;
  if (has(raw, 'reply')) {
    record.reply = d.reply ? { message: d.reply.message, createdDate: date(d.reply.createdDate), updatedDate: date(d.reply.updatedDate) } : null;
  }
  if (d.foundHelpful !== undefined) record.foundHelpful = d.foundHelpful;
  if (d.foundUnhelpful !== undefined) record.foundUnhelpful = d.foundUnhelpful;
  if (d.origin) record.origin = { type: d.origin.type, appId: d.origin.type === 'APP' ? (d.origin.appId ?? null) : null };
  if (d.revision !== undefined) record.revision = String(d.revision);
  if (d.publishCount !== undefined) record.publishCount = d.publishCount;
  return { record };
}

function storedMedia(m: Infer<typeof MediaLineSchema>): StoredMedia {
  if (m.image) {
    const img = m.image;
    return {
      image: {
        ...(img.id ? { id: img.id } : {}),
        url: img.url,
        ...(img.width ? { width: img.width } : {}),
        ...(img.height ? { height: img.height } : {}),
        ...(img.filename != null ? { filename: img.filename } : {}),
        altText: img.altText ?? null,
      },
    };
  }
  const v = m.video!;
  return {
    video: {
      ...(v.id ? { id: v.id } : {}),
      url: v.url,
      resolutions: v.resolutions?.length
        ? v.resolutions.map((r) => ({ url: r.url, ...(r.format ? { format: r.format } : {}), ...(r.width ? { width: r.width } : {}), ...(r.height ? { height: r.height } : {}) }))
        : [{ url: v.url, format: guessVideoFormat(v.url) }],
    },
  };
}

/** Same guess as the API makes for a video given by URL. */
export function guessVideoFormat(url: string): string {
  return /\.m3u8(\?|$)/i.test(url) ? 'hls' : 'mp4';
}

/** The path of the first string holding a NUL character, or null. */
function findNul(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '(row)' : null;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const hit = findNul(v, `${path}.${i}`);
      if (hit !== null) return hit;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      const hit = findNul(v, path ? `${path}.${k}` : k);
      if (hit !== null) return hit;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------
// Generic CSV (one row per review)
// ---------------------------------------------------------------------------

/** The columns of our CSV, in export order. Import needs `entityId`, `rating` and `email` or `contactId`. */
export const REVIEW_CSV_COLUMNS = [
  'id',
  'namespace',
  'entityId',
  'rating',
  'title',
  'body',
  'authorName',
  'email',
  'contactId',
  'media',
  'videos',
  'status',
  'manuallyChanged',
  'verified',
  'reviewDate',
  'createdDate',
  'updatedDate',
  'reply',
  'replyCreatedDate',
  'replyUpdatedDate',
  'foundHelpful',
  'foundUnhelpful',
  'originType',
  'originAppId',
  'revision',
  'publishCount',
] as const;
export type ReviewCsvColumn = (typeof REVIEW_CSV_COLUMNS)[number];

/** Where each JSON path of a problem comes from in our CSV (for messages that name the column). */
const CSV_FIELD_OF: Record<string, ReviewCsvColumn> = {
  id: 'id',
  namespace: 'namespace',
  entityId: 'entityId',
  'content.rating': 'rating',
  'content.title': 'title',
  'content.body': 'body',
  'author.authorName': 'authorName',
  'author.contactId': 'contactId',
  'contact.email': 'email',
  'contact.name': 'authorName',
  createdDate: 'createdDate',
  updatedDate: 'updatedDate',
  reviewDate: 'reviewDate',
  'reply.message': 'reply',
  'reply.createdDate': 'replyCreatedDate',
  'reply.updatedDate': 'replyUpdatedDate',
  foundHelpful: 'foundHelpful',
  foundUnhelpful: 'foundUnhelpful',
  'moderation.moderationStatus': 'status',
  'moderation.manuallyChanged': 'manuallyChanged',
  verified: 'verified',
  'origin.type': 'originType',
  'origin.appId': 'originAppId',
  revision: 'revision',
  publishCount: 'publishCount',
};

/** Renames problem fields from JSON paths to the columns they came from. */
export function renameFields(problems: readonly RowProblem[], map: Readonly<Record<string, string>>, fallback: (path: string) => string = (p) => p): RowProblem[] {
  return problems.map((p) => {
    if (p.field === '') return p;
    if (map[p.field] !== undefined) return { ...p, field: map[p.field]! };
    return { ...p, field: fallback(p.field) };
  });
}

/**
 * Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` (or a tab or CR) as a
 * formula, so export prefixes such cells, and cells starting with `'`, with a `'`; import
 * of our CSV removes exactly one such prefix again, so the round trip is lossless.
 */
export function escapeFormula(cell: string): string {
  return /^[=+\-@\t\r']/.test(cell) ? `'${cell}` : cell;
}
export function unescapeFormula(cell: string): string {
  return /^'[=+\-@\t\r']/.test(cell) ? cell.slice(1) : cell;
}

/** The CSV row of an exported review (every cell a string). */
export function reviewCsvRow(line: ExportLine): Record<ReviewCsvColumn, string> {
  const str = (v: string | null | undefined) => v ?? '';
  const media = line.content.media ?? [];
  const urls = (kind: 'image' | 'video') =>
    media
      .flatMap((m) => (kind === 'image' ? (m.image?.url ? [m.image.url] : []) : m.video?.url ? [m.video.url] : []))
      .map((u) => u.replaceAll('|', '%7C'))
      .join('|');
  const row: Record<ReviewCsvColumn, string> = {
    id: line.id,
    namespace: line.namespace,
    entityId: line.entityId,
    rating: String(line.content.rating),
    title: str(line.content.title),
    body: str(line.content.body),
    authorName: str(line.author?.authorName),
    email: str(line.contact?.email),
    contactId: str(line.author?.contactId),
    media: urls('image'),
    videos: urls('video'),
    status: line.moderation?.moderationStatus ?? '',
    manuallyChanged: String(line.moderation?.manuallyChanged ?? false),
    verified: String(line.verified ?? false),
    reviewDate: str(line.reviewDate),
    createdDate: line.createdDate,
    updatedDate: str(line.updatedDate),
    reply: str(line.reply?.message),
    replyCreatedDate: str(line.reply?.createdDate),
    replyUpdatedDate: str(line.reply?.updatedDate),
    foundHelpful: String(line.foundHelpful ?? 0),
    foundUnhelpful: String(line.foundUnhelpful ?? 0),
    originType: line.origin?.type ?? '',
    originAppId: str(line.origin?.appId),
    revision: str(line.revision),
    publishCount: String(line.publishCount ?? 0),
  };
  for (const k of REVIEW_CSV_COLUMNS) row[k] = escapeFormula(row[k]);
  return row;
}

/** Splits a `|`-separated URL list; every URL must be http(s). */
export function urlList(cell: string, column: string, problems: RowProblem[]): string[] {
  const urls = cell.split('|').map((u) => u.trim()).filter(Boolean);
  for (const u of urls) {
    if (!isHttpUrl(u) || u.length > LIMITS.urlMax) problems.push({ field: column, description: `has ${JSON.stringify(clip(u))}, which is not an absolute http: or https: URL` });
  }
  return urls;
}

export const clip = (s: string, n = 60) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** An integer cell: the number, or the text when it is not one (the schema then says what is wrong). */
export function intCell(cell: string, column: string, problems: RowProblem[]): number | undefined {
  const t = cell.trim();
  if (t === '') return undefined;
  if (!/^[+-]?\d+(\.0+)?$/.test(t)) {
    problems.push({ field: column, description: `must be a whole number (got ${JSON.stringify(clip(t))})` });
    return undefined;
  }
  return Number(t);
}

/** A boolean cell: true/false, yes/no, 1/0 (any case); empty is "not given". */
export function boolCell(cell: string, column: string, problems: RowProblem[]): boolean | undefined {
  const t = cell.trim().toLowerCase();
  if (t === '') return undefined;
  if (['true', 'yes', '1', 'y'].includes(t)) return true;
  if (['false', 'no', '0', 'n'].includes(t)) return false;
  problems.push({ field: column, description: `must be true or false (got ${JSON.stringify(clip(cell))})` });
  return undefined;
}

/**
 * Turns a row of our CSV (cells by column name, formula prefixes already removed) into
 * the JSON line it stands for, validates it, and names the columns in the problems.
 */
export function reviewFromCsv(row: Readonly<Record<string, string>>): ReturnType<typeof reviewFromLine> {
  const problems: RowProblem[] = [];
  const has = (c: ReviewCsvColumn) => row[c] !== undefined;
  const text = (c: ReviewCsvColumn) => (row[c] === undefined || row[c] === '' ? undefined : row[c]);
  const nullable = (c: ReviewCsvColumn) => (has(c) ? (row[c] === '' ? null : row[c]) : undefined);
  const line: Record<string, unknown> = {};
  const content: Record<string, unknown> = {};
  line.content = content;
  if (text('id')) line.id = text('id');
  line.namespace = text('namespace') ?? 'stores';
  line.entityId = text('entityId');
  const rating = intCell(row.rating ?? '', 'rating', problems);
  content.rating = rating ?? (text('rating') === undefined ? undefined : row.rating);
  if (has('title')) content.title = nullable('title');
  if (has('body')) content.body = nullable('body');
  const images = has('media') ? urlList(row.media!, 'media', problems) : [];
  const videos = has('videos') ? urlList(row.videos!, 'videos', problems) : [];
  if (has('media') || has('videos')) {
    content.media = [...images.map((url) => ({ image: { url } })), ...videos.map((url) => ({ video: { url } }))];
    if ((content.media as unknown[]).length > LIMITS.mediaMax) {
      problems.push({ field: 'media', description: `and videos may hold at most ${LIMITS.mediaMax} URLs together` });
      content.media = [];
    }
  }
  const author: Record<string, unknown> = {};
  if (text('contactId')) author.contactId = text('contactId');
  if (has('authorName')) author.authorName = nullable('authorName');
  line.author = author;
  if (text('email')) line.contact = { email: text('email')!.trim(), name: nullable('authorName') ?? null };
  if (text('status')) {
    const manuallyChanged = boolCell(row.manuallyChanged ?? '', 'manuallyChanged', problems);
    line.moderation = { moderationStatus: text('status')!.trim().toUpperCase(), ...(manuallyChanged === undefined ? {} : { manuallyChanged }) };
  }
  const verified = boolCell(row.verified ?? '', 'verified', problems);
  if (verified !== undefined) line.verified = verified;
  for (const c of ['reviewDate', 'createdDate', 'updatedDate'] as const) if (text(c)) line[c] = text(c)!.trim();
  if (has('reply')) {
    line.reply = text('reply')
      ? {
          message: row.reply,
          ...(text('replyCreatedDate') ? { createdDate: text('replyCreatedDate')!.trim() } : {}),
          ...(text('replyUpdatedDate') ? { updatedDate: text('replyUpdatedDate')!.trim() } : {}),
        }
      : null;
  }
  for (const c of ['foundHelpful', 'foundUnhelpful', 'publishCount'] as const) {
    const n = intCell(row[c] ?? '', c, problems);
    if (n !== undefined) line[c] = n;
  }
  if (text('originType')) line.origin = { type: text('originType')!.trim().toUpperCase(), appId: text('originAppId') ?? null };
  if (text('revision')) line.revision = text('revision')!.trim();
  const result = reviewFromLine(line);
  if (problems.length || result.problems) {
    const known = new Set(problems.map((p) => p.field));
    const more = renameFields(result.problems ?? [], CSV_FIELD_OF, (p) => (p.startsWith('content.media') ? 'media' : p))
      .map((p) => (p.description === AUTHOR_REQUIRED ? { field: '', description: 'email or contactId is required (the author is identified by one of them)' } : p))
      .filter((p) => !known.has(p.field));
    return { problems: [...problems, ...more] };
  }
  return result;
}
