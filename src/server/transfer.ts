/**
 * Import and export of reviews (and import of catalog products and orders), for the
 * `storefront-reviews export` and `import` commands. Formats, columns, the Judge.me
 * mapping and the report: docs/import-export.md.
 *
 * Export streams: reviews are read in keyset-paged batches and written with backpressure,
 * so memory stays flat however many reviews there are. Import streams too: lines are read
 * and validated one by one and written in batches, one transaction and a few set-based
 * statements per batch; when the database refuses a batch it is written again row by row
 * under savepoints, so a row that fails costs only itself.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { type Media, type ModerationStatus } from '../api/schema.js';
import type { Db, Queryable } from './db.js';
import { recordEvent, recordEvents } from './events.js';
import { loadImageMeta, type StoredImage } from './media.js';
import { contactForEmail, toReview } from './reviews.js';
import {
  REVIEW_CSV_COLUMNS,
  formatProblems,
  reviewCsvRow,
  reviewFromCsv,
  reviewFromLine,
  unescapeFormula,
  type ExportLine,
  type ReviewCsvColumn,
  type ReviewRecord,
  type RowProblem,
  type StoredMedia,
} from './transfer/formats.js';
import { CATALOG_CSV_COLUMNS, catalogSink, checkCatalogHeader } from './transfer/catalog.js';
import { JUDGEME_COLUMNS, missingJudgemeColumns, reviewFromJudgeme, type EntityFrom } from './transfer/judgeme.js';
import { TransferError, csvRecords, readLines, type CsvRecord, type Line } from './transfer/lines.js';

export { parseDate } from './transfer/formats.js';
export { TransferError } from './transfer/lines.js';

export type ExportFormat = 'json' | 'csv';
export type ImportFormat = 'json' | 'csv' | 'judgeme';
export type ImportKind = 'reviews' | 'products' | 'orders';

/**
 * Base of the absolute URLs of uploaded media in an export (and in the events an import
 * records) when no public URL is given: where `storefront-reviews serve` listens by default.
 */
export const DEFAULT_PUBLIC_URL = 'http://127.0.0.1:8787';

/** Reviews per export query and per import transaction. */
export const EXPORT_BATCH = 1000;
export const IMPORT_BATCH = 200;

// ---------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------

export interface ExportOptions {
  format: ExportFormat;
  /** Only this entity's reviews (in every namespace). */
  entityId?: string;
  /** Only reviews created at or after this time. */
  since?: Date;
  /** Base of uploaded media URLs (default DEFAULT_PUBLIC_URL). */
  publicUrl?: string;
  /** Rows per query (default EXPORT_BATCH). */
  batchSize?: number;
}

type ReviewRow = Parameters<typeof toReview>[0];
type ExportRow = ReviewRow & { contact_row: string | null; contact_email: string | null; contact_name: string | null };

const COLUMNS = `id, namespace, entity_id, contact_id, author_name, title, body, media, rating,
  created_date, updated_date, review_date, reply_message, reply_created_date, reply_updated_date,
  found_helpful, found_unhelpful, helpfulness, moderation_status, manually_changed, revision,
  verified, origin_type, origin_app_id, relevance_score, publish_count`;
const INSERT_COLUMNS = `id, namespace, entity_id, contact_id, author_name, title, body, media, rating,
  created_date, updated_date, review_date, reply_message, reply_created_date, reply_updated_date,
  found_helpful, found_unhelpful, moderation_status, manually_changed, revision, verified,
  origin_type, origin_app_id, publish_count`;
const EXPORT_COLUMNS = `${COLUMNS.split(',').map((c) => `r.${c.trim()}`).join(', ')},
  c.id AS contact_row, c.email AS contact_email, c.name AS contact_name`;

/**
 * Writes every review (or those of `entityId`, created since `since`) to `out`, oldest
 * first (by createdDate, then id): NDJSON lines or CSV rows. Returns the number written.
 *
 * The existing indexes lead with (namespace, moderation_status) or (namespace, entity_id,
 * moderation_status), then (created_date, id): so each (namespace, status) pair is read as
 * its own keyset-paged stream, in index order, and the streams are merged here. Rows
 * written while the export runs may or may not be included; none is written twice.
 */
export async function exportReviews(db: Queryable, out: Writable, options: ExportOptions): Promise<{ rows: number }> {
  const base = (options.publicUrl ?? DEFAULT_PUBLIC_URL).replace(/\/+$/, '');
  const batch = options.batchSize ?? EXPORT_BATCH;
  let rows = 0;
  let chunk: string[] = [];
  let csvRows: Record<ReviewCsvColumn, string>[] = [];
  const flush = async () => {
    if (options.format === 'csv') {
      if (csvRows.length) await write(out, toCsv(csvRows, false));
      csvRows = [];
    } else if (chunk.length) {
      await write(out, chunk.join(''));
      chunk = [];
    }
  };
  if (options.format === 'csv') await write(out, toCsv([], true));
  for await (const row of mergedRows(db, options, batch)) {
    const line = exportLine(row, base);
    if (options.format === 'csv') csvRows.push(reviewCsvRow(line));
    else chunk.push(`${JSON.stringify(line)}\n`);
    rows++;
    if (rows % batch === 0) await flush();
  }
  await flush();
  return { rows };
}

/** One exported review: the API object, `reply: null` when there is none, and the author's contact when one is stored. */
function exportLine(row: ExportRow, base: string): ExportLine {
  const review = toReview(row, base);
  review.content.media = review.content.media?.map(canonicalMedia);
  return {
    ...review,
    reply: review.reply ?? null,
    ...(row.contact_row !== null ? { contact: { email: row.contact_email, name: row.contact_name } } : {}),
  };
}

/**
 * Media keys in one fixed order: the database (jsonb) orders keys its own way, and the API
 * adds `url` to local uploads, so the same image would otherwise be written with its keys
 * in a different order by a server holding it as an upload and one holding its URL.
 */
function canonicalMedia(m: Media): Media {
  const pick = <T extends object>(obj: T, keys: readonly (keyof T)[]) =>
    Object.fromEntries(keys.filter((k) => obj[k] !== undefined).map((k) => [k, obj[k]])) as T;
  if (m.image) return { image: pick(m.image, ['id', 'url', 'width', 'height', 'filename', 'altText']) };
  if (m.video) return { video: pick(m.video, ['id', 'url', 'resolutions']) };
  return m;
}

function toCsv(rows: Record<ReviewCsvColumn, string>[], header: boolean): string {
  if (!header && rows.length === 0) return '';
  // RFC 4180: CRLF between records; quote any field with a quote, comma or line break (a
  // lone LF or CR inside a field is not the record delimiter, so csv-stringify would not).
  return stringify(rows, { header, columns: [...REVIEW_CSV_COLUMNS], record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}

/** Writes with backpressure: waits for 'drain' when the stream's buffer is full. */
async function write(out: Writable, text: string): Promise<void> {
  if (out.destroyed) throw new TransferError('the output was closed before the export finished');
  if (!out.write(text)) {
    const ac = new AbortController();
    try {
      await Promise.race([once(out, 'drain', { signal: ac.signal }), once(out, 'close', { signal: ac.signal }).then(() => {
        throw new TransferError('the output was closed before the export finished');
      })]);
    } finally {
      ac.abort();
    }
  }
}

interface Stream {
  buffer: ExportRow[];
  pos: number;
  done: boolean;
  fetch: () => Promise<void>;
}

async function* mergedRows(db: Queryable, options: ExportOptions, batch: number): AsyncGenerator<ExportRow> {
  const streams: Stream[] = [];
  for (const [namespace, status] of await statusGroups(db)) {
    const stream: Stream = {
      buffer: [],
      pos: 0,
      done: false,
      fetch: async () => {
        const params: unknown[] = [namespace, status];
        const where = ['r.namespace = $1', 'r.moderation_status = $2'];
        if (options.entityId !== undefined) where.push(`r.entity_id = $${params.push(options.entityId)}`);
        if (options.since) where.push(`r.created_date >= $${params.push(options.since)}`);
        const last = stream.buffer.at(-1);
        if (last) where.push(`(r.created_date, r.id) > ($${params.push(last.created_date)}::timestamptz, $${params.push(last.id)}::text)`);
        const { rows } = await db.query<ExportRow>(
          `SELECT ${EXPORT_COLUMNS} FROM reviews r LEFT JOIN contacts c ON c.id = r.contact_id
           WHERE ${where.join(' AND ')} ORDER BY r.created_date, r.id LIMIT ${batch}`,
          params,
        );
        stream.buffer = rows;
        stream.pos = 0;
        stream.done = rows.length < batch;
      },
    };
    await stream.fetch();
    if (stream.buffer.length) streams.push(stream);
  }
  const ms = (d: Date | string) => (d instanceof Date ? d : new Date(d)).getTime();
  for (;;) {
    let best: Stream | undefined;
    for (const s of streams) {
      if (s.pos >= s.buffer.length) continue;
      if (!best) {
        best = s;
        continue;
      }
      const a = s.buffer[s.pos]!;
      const b = best.buffer[best.pos]!;
      const d = ms(a.created_date) - ms(b.created_date);
      if (d < 0 || (d === 0 && a.id < b.id)) best = s;
    }
    if (!best) return;
    yield best.buffer[best.pos++]!;
    if (best.pos >= best.buffer.length && !best.done) await best.fetch();
  }
}

/** The (namespace, moderation status) pairs present, by skip-scanning the index that leads with them. */
async function statusGroups(db: Queryable): Promise<[string, ModerationStatus][]> {
  const { rows } = await db.query<{ namespace: string; status: ModerationStatus }>(
    `WITH RECURSIVE pairs AS (
       (SELECT namespace, moderation_status AS status FROM reviews ORDER BY namespace, moderation_status LIMIT 1)
       UNION ALL
       SELECT n.namespace, n.status FROM pairs p CROSS JOIN LATERAL (
         SELECT namespace, moderation_status AS status FROM reviews
         WHERE (namespace, moderation_status) > (p.namespace, p.status)
         ORDER BY namespace, moderation_status LIMIT 1) n
     )
     SELECT namespace, status FROM pairs`,
  );
  return rows.map((r) => [r.namespace, r.status]);
}

// ---------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------

export interface ImportOptions {
  format: ImportFormat;
  /** What the file holds; inferred from the JSON or the CSV header when absent. */
  kind?: ImportKind;
  /** Replace the content, dates and status of reviews that exist (default: the existing review wins). */
  update?: boolean;
  /** Judge.me: take the entity id from `product_id` (default) or `product_handle`. */
  entityFrom?: EntityFrom;
  /** Base of uploaded media URLs in the events an import records (default DEFAULT_PUBLIC_URL). */
  publicUrl?: string;
  /** The current time (tests pass a fake clock). */
  clock?: () => Date;
  /** Rows per transaction (default IMPORT_BATCH). */
  batchSize?: number;
  /** Called for each rejected row as soon as it is known (the CLI prints it). */
  onReject?: (reject: RejectedRow) => void;
  /** At most this many rejected rows are listed in the report (default 10,000); all are counted. */
  maxListed?: number;
}

export interface RejectedRow {
  /** The physical line of the file the row starts on (1-based). */
  line: number;
  reason: string;
}

export interface ImportReport {
  kind: ImportKind;
  format: ImportFormat;
  /** Rows that created a review (or product / order). */
  imported: number;
  /** Rows that replaced an existing one (`--update`, and products and orders that existed). */
  updated: number;
  /** Rows whose review existed already and was kept (or was identical). */
  unchanged: number;
  rejected: number;
  rejects: RejectedRow[];
  /** Rejected rows beyond `maxListed`, counted but not listed. */
  rejectsNotListed: number;
  /** Columns of the CSV header that the import does not read. */
  ignoredColumns: string[];
}

/**
 * Imports a file (a byte or text stream: a file, or stdin) into the database and returns
 * the report. Throws TransferError when the file as a whole cannot be read (no header,
 * a required column missing, not NDJSON); bad rows are reported, never thrown.
 */
export async function importData(db: Db, input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>, options: ImportOptions): Promise<ImportReport> {
  const report: ImportReport = {
    kind: options.kind ?? 'reviews',
    format: options.format,
    imported: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    rejects: [],
    rejectsNotListed: 0,
    ignoredColumns: [],
  };
  const log = new RejectLog(report, options.maxListed ?? 10_000, options.onReject);
  const lines = readLines(input);
  if (options.format === 'json') await importJson(db, lines, options, report, log);
  else await importCsv(db, lines, options, report, log);
  log.undecided = () => Infinity;
  log.release();
  return report;
}

/**
 * Rejected rows, counted, listed and passed to `onReject` in line order: a row rejected
 * while earlier rows wait in a batch is held until those are decided.
 */
export class RejectLog {
  /** The first line not decided yet (rows waiting in a batch); the sink sets it. */
  undecided: () => number = () => Infinity;
  private held: RejectedRow[] = [];

  constructor(
    private readonly report: ImportReport,
    private readonly maxListed: number,
    private readonly onReject?: (reject: RejectedRow) => void,
  ) {}

  add(line: number, reason: string): void {
    this.held.push({ line, reason });
    this.release();
  }

  addMany(rows: readonly RejectedRow[]): void {
    this.held.push(...rows);
    this.release();
  }

  release(): void {
    if (!this.held.length) return;
    const limit = this.undecided();
    this.held.sort((a, b) => a.line - b.line);
    let n = 0;
    while (n < this.held.length && this.held[n]!.line < limit) n++;
    for (const r of this.held.splice(0, n)) {
      this.report.rejected++;
      if (this.report.rejects.length < this.maxListed) this.report.rejects.push(r);
      else this.report.rejectsNotListed++;
      this.onReject?.(r);
    }
  }
}

async function importJson(db: Db, lines: AsyncIterable<Line>, options: ImportOptions, report: ImportReport, log: RejectLog): Promise<void> {
  let sink: RowSink | undefined;
  let first = true;
  for await (const l of lines) {
    const text = l.text.trim();
    if (text === '') continue;
    if (first && text.startsWith('[')) {
      throw new TransferError(`line ${l.no}: the file is a JSON array; the format is NDJSON, one JSON object per line (convert it with: jq -c '.[]' FILE)`);
    }
    first = false;
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      log.add(l.no, `not valid JSON (${(err as Error).message})`);
      continue;
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      log.add(l.no, 'must be a JSON object (NDJSON: one object per line)');
      continue;
    }
    if (!sink) {
      report.kind = options.kind ?? inferJsonKind(data as Record<string, unknown>);
      sink = await sinkFor(db, report.kind, options, report, log);
    }
    await sink.add(l.no, data as Record<string, unknown>);
  }
  await sink?.finish();
}

function inferJsonKind(data: Record<string, unknown>): ImportKind {
  if ('items' in data || ('contact' in data && !('content' in data))) return 'orders';
  if ('price' in data && !('content' in data)) return 'products';
  return 'reviews';
}

async function importCsv(db: Db, lines: AsyncIterable<Line>, options: ImportOptions, report: ImportReport, log: RejectLog): Promise<void> {
  const records = csvRecords(lines)[Symbol.asyncIterator]();
  const head = await records.next();
  if (head.done) throw new TransferError('the file is empty: a CSV file starts with a header row naming its columns');
  const headRecord: CsvRecord = head.value;
  if (headRecord.error !== undefined) throw new TransferError(`line ${headRecord.line}: the header row cannot be read (${headRecord.error})`);
  const judgeme = options.format === 'judgeme';
  const header = headRecord.fields.map((h) => h.trim());
  const seen = new Set<string>();
  for (const h of header) {
    const key = h.toLowerCase();
    if (seen.has(key)) throw new TransferError(`line ${headRecord.line}: the header names the column "${h}" twice`);
    seen.add(key);
  }
  let names: (string | null)[];
  let toRecord: (row: Record<string, string>) => Record<string, unknown> | ReturnType<typeof reviewFromCsv>;
  if (judgeme) {
    report.kind = 'reviews';
    if (options.kind && options.kind !== 'reviews') throw new TransferError('a Judge.me export holds reviews only (--kind reviews)');
    const entityFrom = options.entityFrom ?? 'id';
    const lower = header.map((h) => h.toLowerCase());
    const missing = missingJudgemeColumns(lower, entityFrom);
    if (missing.length) throw new TransferError(`line ${headRecord.line}: the header has no ${missing.map((m) => `"${m}"`).join(', ')} column${missing.length > 1 ? 's' : ''}; is this a Judge.me product-review export?`);
    const known = new Set<string>(JUDGEME_COLUMNS);
    names = lower.map((h) => (known.has(h) ? h : null));
    toRecord = (row) => reviewFromJudgeme(row, entityFrom);
  } else {
    const kind = options.kind ?? inferCsvKind(header);
    report.kind = kind;
    if (kind === 'reviews') {
      const byLower = new Map<string, string>(REVIEW_CSV_COLUMNS.map((c) => [c.toLowerCase(), c]));
      names = header.map((h) => byLower.get(h.toLowerCase()) ?? null);
      const missing = ['entityId', 'rating'].filter((c) => !names.includes(c));
      if (!names.includes('email') && !names.includes('contactId')) missing.push('email" or "contactId');
      if (missing.length) {
        const hint = header.some((h) => h.toLowerCase() === 'reviewer_email') ? ' (this looks like a Judge.me export: use --format judgeme)' : '';
        throw new TransferError(`line ${headRecord.line}: the header has no ${missing.map((m) => `"${m}"`).join(', ')} column${hint}`);
      }
      toRecord = (row) => {
        const clean: Record<string, string> = {};
        for (const [k, v] of Object.entries(row)) clean[k] = unescapeFormula(v);
        return reviewFromCsv(clean);
      };
    } else {
      const columns = CATALOG_CSV_COLUMNS[kind];
      const byLower = new Map<string, string>(columns.map((c) => [c.toLowerCase(), c]));
      names = header.map((h) => byLower.get(h.toLowerCase()) ?? null);
      checkCatalogHeader(kind, names, headRecord.line);
      toRecord = (row) => {
        const clean: Record<string, string> = {};
        for (const [k, v] of Object.entries(row)) clean[k] = unescapeFormula(v);
        return clean;
      };
    }
  }
  report.ignoredColumns = header.filter((_, i) => names[i] === null);
  const sink = await sinkFor(db, report.kind, options, report, log);
  for (;;) {
    const next = await records.next();
    if (next.done) break;
    const rec: CsvRecord = next.value;
    if (rec.error !== undefined) {
      log.add(rec.line, rec.error);
      continue;
    }
    if (rec.fields.length !== header.length) {
      log.add(rec.line, `has ${rec.fields.length} field${rec.fields.length === 1 ? '' : 's'}; the header has ${header.length}`);
      continue;
    }
    const row: Record<string, string> = {};
    rec.fields.forEach((v, i) => {
      const name = names[i];
      if (name) row[name] = v;
    });
    await sink.add(rec.line, toRecord(row), true);
  }
  await sink.finish();
}

function inferCsvKind(header: readonly string[]): ImportKind {
  const h = new Set(header.map((c) => c.toLowerCase()));
  if (h.has('entityid') || h.has('rating')) return 'reviews';
  if (h.has('orderid') || h.has('catalogitemid')) return 'orders';
  if (h.has('price') || h.has('name')) return 'products';
  return 'reviews';
}

/** Where validated rows go: reviews, or the catalog's products or orders. */
interface RowSink {
  /**
   * `data` is a JSON line, or (from CSV, `converted`) what the row already became: a
   * review record or its problems, or a products/orders row.
   */
  add(line: number, data: Record<string, unknown>, converted?: boolean): Promise<void>;
  finish(): Promise<void>;
}

async function sinkFor(db: Db, kind: ImportKind, options: ImportOptions, report: ImportReport, log: RejectLog): Promise<RowSink> {
  if (kind !== 'reviews') {
    if (options.format === 'judgeme') throw new TransferError('a Judge.me export holds reviews only');
    return catalogSink(db, kind, options, report, log);
  }
  const writer = new ReviewWriter(db, options, report, log);
  log.undecided = () => writer.firstPending();
  return {
    async add(line, data, converted) {
      const result = converted ? (data as ReturnType<typeof reviewFromLine>) : reviewFromLine(data);
      if (result.problems) log.add(line, formatProblems(result.problems));
      else await writer.add(line, result.record!);
    },
    finish: () => writer.flush(),
  };
}

/** A row that cannot be stored, with the reason (thrown inside a row's savepoint). */
class RowRejected extends Error {}

type Outcome = 'imported' | 'updated' | 'unchanged';

/** Writes review records in batches: one transaction per batch, one savepoint per row. */
class ReviewWriter {
  private pending: { line: number; record: ReviewRecord }[] = [];
  private readonly base: string;
  private readonly clock: () => Date;
  private readonly batch: number;

  constructor(
    private readonly db: Db,
    private readonly options: ImportOptions,
    private readonly report: ImportReport,
    private readonly log: RejectLog,
  ) {
    this.base = (options.publicUrl ?? DEFAULT_PUBLIC_URL).replace(/\/+$/, '');
    this.clock = options.clock ?? (() => new Date());
    this.batch = options.batchSize ?? IMPORT_BATCH;
  }

  /** The line of the first row waiting to be written (Infinity when none is). */
  firstPending(): number {
    return this.pending[0]?.line ?? Infinity;
  }

  async add(line: number, record: ReviewRecord): Promise<void> {
    this.pending.push({ line, record });
    if (this.pending.length >= this.batch) await this.flush();
  }

  async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (!batch.length) return;
    let results: (Outcome | RejectedRow)[];
    try {
      results = await this.db.transaction((tx) => this.writeBatch(tx, batch));
    } catch {
      // The database refused a statement of the batch (the transaction is rolled back):
      // write the rows again one by one, each under a savepoint, so that only the row at
      // fault is rejected. If the database itself is gone, this throws too.
      results = await this.db.transaction((tx) => this.writeEach(tx, batch));
    }
    // Counted once committed: a batch whose commit fails throws, and counts nothing.
    const rejects: RejectedRow[] = [];
    for (const r of results) {
      if (typeof r === 'string') this.report[r]++;
      else rejects.push(r);
    }
    this.log.addMany(rejects);
  }

  /**
   * Writes a batch with a constant number of statements: contacts found and created in
   * bulk, existing reviews found in one query, new reviews inserted in one statement and
   * their events recorded in one call. Rows that need the row-by-row path (`--update` of
   * an existing review, a second row of one author in the batch, a repeated id) follow it
   * after the insert, in file order; an update replaces the review found here (no second
   * look-up), unless an earlier row of the batch changed it.
   */
  private async writeBatch(tx: Queryable, batch: readonly { line: number; record: ReviewRecord }[]): Promise<(Outcome | RejectedRow)[]> {
    const now = this.clock();
    const results: (Outcome | RejectedRow | undefined)[] = new Array(batch.length);
    const contacts = await this.contactsOf(tx, batch.map((b) => b.record), now);
    const key = (i: number) => `${batch[i]!.record.namespace}\u0000${batch[i]!.record.entityId}\u0000${contacts[i]}`;
    const { rows: found } = await tx.query<ReviewRow>(
      `SELECT ${COLUMNS} FROM reviews WHERE (namespace, entity_id, contact_id) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[])) FOR UPDATE`,
      [batch.map((b) => b.record.namespace), batch.map((b) => b.record.entityId), contacts],
    );
    const existing = new Map(found.map((r) => [`${r.namespace}\u0000${r.entity_id}\u0000${r.contact_id}`, r]));
    const fresh: number[] = [];
    const later: number[] = [];
    /** `--update`: the review each row replaces, as found above, for the first row of its author. */
    const replaces = new Map<number, ReviewRow>();
    const freshKeys = new Set<string>();
    const freshIds = new Set<string>();
    batch.forEach(({ record }, i) => {
      const k = key(i);
      const cur = existing.get(k);
      if (cur) {
        if (!this.options.update) results[i] = 'unchanged';
        else {
          // A second row of this author reads the review again, as the first row left it.
          if (!freshKeys.has(k)) replaces.set(i, cur);
          freshKeys.add(k);
          later.push(i);
        }
      } else if (freshKeys.has(k) || (record.id !== undefined && freshIds.has(record.id))) {
        later.push(i);
      } else {
        freshKeys.add(k);
        if (record.id !== undefined) freshIds.add(record.id);
        fresh.push(i);
      }
    });
    if (freshIds.size) {
      const { rows: taken } = await tx.query<{ id: string; namespace: string; entity_id: string }>(
        'SELECT id, namespace, entity_id FROM reviews WHERE id = ANY($1::text[])',
        [[...freshIds]],
      );
      const byId = new Map(taken.map((t) => [t.id, t]));
      for (const i of [...fresh]) {
        const t = batch[i]!.record.id === undefined ? undefined : byId.get(batch[i]!.record.id!);
        if (!t) continue;
        results[i] = { line: batch[i]!.line, reason: idTaken(batch[i]!.record.id!, t) };
        fresh.splice(fresh.indexOf(i), 1);
      }
    }
    if (fresh.length) {
      const known = await uploadsOf(tx, fresh.flatMap((i) => batch[i]!.record.media ?? []));
      const values = fresh.map((i) => this.insertValues(batch[i]!.record, contacts[i]!, withUploads(known, batch[i]!.record.media ?? []), now));
      const column = (n: number) => values.map((v) => v[n]);
      const { rows } = await tx.query<ReviewRow>(
        `INSERT INTO reviews (${INSERT_COLUMNS})
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[],
           $9::int[], $10::timestamptz[], $11::timestamptz[], $12::timestamptz[], $13::text[], $14::timestamptz[], $15::timestamptz[],
           $16::int[], $17::int[], $18::text[], $19::boolean[], $20::bigint[], $21::boolean[], $22::text[], $23::text[], $24::int[])
         ON CONFLICT DO NOTHING
         RETURNING ${COLUMNS}`,
        INSERT_COLUMNS.split(',').map((_, n) => column(n)),
      );
      const inserted = new Set(rows.map((r) => r.id));
      // A row not inserted lost a race with another writer since the checks above.
      for (const [n, i] of fresh.entries()) results[i] = inserted.has(String(values[n]![0])) ? 'imported' : 'unchanged';
      await recordEvents(tx, rows.map((row) => this.event('created', row, now)));
    }
    for (const i of later) {
      try {
        const cur = replaces.get(i);
        results[i] = cur ? await this.replace(tx, cur, batch[i]!.record) : await this.write(tx, batch[i]!.record);
      } catch (err) {
        if (!(err instanceof RowRejected)) throw err;
        results[i] = { line: batch[i]!.line, reason: err.message };
      }
    }
    return results.map((r) => r!);
  }

  /** Row by row, each under a savepoint: a row the database refuses is rejected alone. */
  private async writeEach(tx: Queryable, batch: readonly { line: number; record: ReviewRecord }[]): Promise<(Outcome | RejectedRow)[]> {
    const out: (Outcome | RejectedRow)[] = [];
    for (const { line, record } of batch) {
      await tx.query('SAVEPOINT import_row');
      try {
        out.push(await this.write(tx, record));
        await tx.query('RELEASE SAVEPOINT import_row');
      } catch (err) {
        await tx.query('ROLLBACK TO SAVEPOINT import_row');
        const reason = err instanceof RowRejected ? err.message : `could not be stored: ${(err as Error).message}`;
        out.push({ line, reason });
      }
    }
    return out;
  }

  /** The values of INSERT_COLUMNS for a new review, defaults applied. */
  private insertValues(rec: ReviewRecord, contactId: string, media: readonly StoredMedia[], now: Date): unknown[] {
    const created = rec.createdDate ?? rec.reviewDate ?? now;
    const reply = replyDates(rec.reply, created);
    const updated = rec.updatedDate ?? latest(created, reply?.updatedDate);
    const status = rec.status ?? 'APPROVED';
    const origin = rec.origin ?? { type: 'ORGANIC' as const, appId: null };
    const date = (d: Date | undefined) => (d ? d.toISOString() : null);
    return [
      rec.id ?? randomUUID(),
      rec.namespace,
      rec.entityId,
      contactId,
      rec.authorName ?? null,
      rec.title ?? null,
      rec.body ?? null,
      JSON.stringify(media),
      rec.rating,
      date(created),
      date(updated),
      date(rec.reviewDate ?? created),
      reply?.message ?? null,
      date(reply?.createdDate),
      date(reply?.updatedDate),
      rec.foundHelpful ?? 0,
      rec.foundUnhelpful ?? 0,
      status,
      rec.manuallyChanged ?? false,
      rec.revision ?? '1',
      rec.verified ?? false,
      origin.type,
      origin.appId,
      rec.publishCount ?? (status === 'APPROVED' ? 1 : 0),
    ];
  }

  private event(slug: 'created' | 'updated', row: ReviewRow, now: Date) {
    return { entityFqdn: 'wix.reviews.v1.review', slug, entityId: row.id, payload: toReview(row, this.base), appId: originApp(row), eventTime: now };
  }

  /**
   * The authors' contact ids, in bulk: by e-mail (found, else created under the row's
   * contact id when free), else the row's contact id (created as a contact without e-mail
   * when our JSON had one).
   */
  private async contactsOf(tx: Queryable, records: readonly ReviewRecord[], now: Date): Promise<string[]> {
    const emailOf = (r: ReviewRecord) => r.email?.trim().toLowerCase();
    const nameOf = (r: ReviewRecord) => (r.contactName ?? r.authorName)?.trim() || null;
    const byEmail = new Map<string, string>();
    const emails = [...new Set(records.flatMap((r) => emailOf(r) ?? []))];
    if (emails.length) {
      const { rows } = await tx.query<{ id: string; email: string }>('SELECT id, email FROM contacts WHERE email = ANY($1::text[])', [emails]);
      for (const r of rows) byEmail.set(r.email, r.id);
    }
    const missing = new Map<string, { id: string; name: string | null }>();
    for (const r of records) {
      const email = emailOf(r);
      if (email && !byEmail.has(email) && !missing.has(email)) missing.set(email, { id: r.contactId ?? randomUUID(), name: nameOf(r) });
    }
    if (missing.size) {
      const list = [...missing];
      const { rows } = await tx.query<{ id: string; email: string }>(
        `INSERT INTO contacts (id, email, name, created_date)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) ON CONFLICT DO NOTHING RETURNING id, email`,
        [list.map(([, c]) => c.id), list.map(([e]) => e), list.map(([, c]) => c.name), list.map(() => now.toISOString())],
      );
      for (const r of rows) byEmail.set(r.email, r.id);
      // Not inserted: the wanted id belongs to another contact, or another writer added the e-mail.
      for (const [email, c] of list) if (!byEmail.has(email)) byEmail.set(email, await contactForEmail(tx, email, c.name ?? undefined));
    }
    const bare = new Map<string, string | null>();
    for (const r of records) if (!emailOf(r) && r.contactWithoutEmail && !bare.has(r.contactId!)) bare.set(r.contactId!, nameOf(r));
    if (bare.size) {
      const list = [...bare];
      await tx.query(
        `INSERT INTO contacts (id, email, name, created_date)
         SELECT id, NULL, name, $3::timestamptz FROM unnest($1::text[], $2::text[]) AS t(id, name) ON CONFLICT DO NOTHING`,
        [list.map(([id]) => id), list.map(([, name]) => name), now.toISOString()],
      );
    }
    return records.map((r) => {
      const email = emailOf(r);
      return email ? byEmail.get(email)! : r.contactId!;
    });
  }

  /** One row (the fallback path, and the rows a batch cannot write in bulk). */
  private async write(tx: Queryable, rec: ReviewRecord): Promise<Outcome> {
    const now = this.clock();
    const [contactId] = await this.contactsOf(tx, [rec], now);
    const { rows: existing } = await tx.query<ReviewRow>(
      `SELECT ${COLUMNS} FROM reviews WHERE namespace = $1 AND entity_id = $2 AND contact_id = $3 FOR UPDATE`,
      [rec.namespace, rec.entityId, contactId],
    );
    if (existing[0]) return this.options.update ? this.replace(tx, existing[0], rec) : 'unchanged';
    if (rec.id !== undefined) {
      const { rows } = await tx.query<{ id: string; entity_id: string; namespace: string }>('SELECT id, namespace, entity_id FROM reviews WHERE id = $1', [rec.id]);
      if (rows[0]) throw new RowRejected(idTaken(rec.id, rows[0]));
    }
    const media = withUploads(await uploadsOf(tx, rec.media ?? []), rec.media ?? []);
    const values = this.insertValues(rec, contactId!, media, now);
    const { rows } = await tx.query<ReviewRow>(
      `INSERT INTO reviews (${INSERT_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20::bigint, $21, $22, $23, $24)
       ON CONFLICT DO NOTHING
       RETURNING ${COLUMNS}`,
      values,
    );
    // Another writer created this author's review (or took the id) since the checks above.
    if (!rows[0]) return 'unchanged';
    await recordEvent(tx, this.event('created', rows[0], now));
    return 'imported';
  }

  /** `--update`: the file's content, dates, status, verified flag and reply replace the existing review's. */
  private async replace(tx: Queryable, cur: ReviewRow, rec: ReviewRecord): Promise<Outcome> {
    const now = this.clock();
    const media = rec.media !== undefined ? withUploads(await uploadsOf(tx, rec.media), rec.media) : cur.media;
    const created = rec.createdDate ?? cur.created_date;
    let reply: { message: string; createdDate: Date | null; updatedDate: Date | null } | null;
    if (rec.reply === undefined) {
      reply = cur.reply_message === null ? null : { message: cur.reply_message, createdDate: cur.reply_created_date, updatedDate: cur.reply_updated_date };
    } else {
      reply = replyDates(rec.reply, cur.reply_created_date ?? now);
    }
    const values = [
      cur.id,
      rec.title !== undefined ? rec.title : cur.title,
      rec.body !== undefined ? rec.body : cur.body,
      JSON.stringify(media),
      rec.rating,
      rec.authorName !== undefined ? rec.authorName : cur.author_name,
      rec.reviewDate ?? cur.review_date,
      created,
      rec.status ?? cur.moderation_status,
      rec.manuallyChanged ?? cur.manually_changed,
      rec.verified ?? cur.verified,
      reply?.message ?? null,
      reply?.createdDate ?? null,
      reply?.updatedDate ?? null,
      now,
    ];
    const { rows } = await tx.query<ReviewRow>(
      `UPDATE reviews SET title = $2::text, body = $3::text, media = $4::jsonb, rating = $5::int, author_name = $6::text,
          review_date = $7::timestamptz, created_date = $8::timestamptz, moderation_status = $9::text,
          manually_changed = $10::boolean, verified = $11::boolean, reply_message = $12::text,
          reply_created_date = $13::timestamptz, reply_updated_date = $14::timestamptz,
          publish_count = publish_count + CASE WHEN $9::text = 'APPROVED' AND moderation_status <> 'APPROVED' THEN 1 ELSE 0 END,
          updated_date = $15::timestamptz, revision = revision + 1
       WHERE id = $1 AND (title IS DISTINCT FROM $2::text OR body IS DISTINCT FROM $3::text OR media <> $4::jsonb
          OR rating <> $5::int OR author_name IS DISTINCT FROM $6::text OR review_date <> $7::timestamptz
          OR created_date <> $8::timestamptz OR moderation_status <> $9::text OR manually_changed <> $10::boolean
          OR verified <> $11::boolean OR reply_message IS DISTINCT FROM $12::text
          OR reply_created_date IS DISTINCT FROM $13::timestamptz OR reply_updated_date IS DISTINCT FROM $14::timestamptz)
       RETURNING ${COLUMNS}`,
      values,
    );
    if (!rows[0]) return 'unchanged';
    await recordEvent(tx, this.event('updated', rows[0], now));
    return 'updated';
  }
}

function replyDates(reply: ReviewRecord['reply'], fallback: Date): { message: string; createdDate: Date; updatedDate: Date } | null {
  if (!reply) return null;
  const createdDate = reply.createdDate ?? reply.updatedDate ?? fallback;
  return { message: reply.message, createdDate, updatedDate: reply.updatedDate ?? createdDate };
}

const latest = (a: Date, b: Date | undefined) => (b && b.getTime() > a.getTime() ? b : a);

const originApp = (row: ReviewRow) => (row.origin_type === 'APP' ? row.origin_app_id : null);

const idTaken = (id: string, t: { namespace: string; entity_id: string }) =>
  `id ${JSON.stringify(id)} belongs to another review (entity ${JSON.stringify(t.entity_id)} in ${t.namespace}, another author or entity than this row's)`;

/** The uploads on this server that these media point at by their media URL. */
async function uploadsOf(tx: Queryable, media: readonly StoredMedia[]): Promise<Map<string, StoredImage>> {
  const ids = media.flatMap((m) => ('image' in m && m.image.id && m.image.url && isMediaUrlOf(m.image.url, m.image.id) ? [m.image.id] : []));
  return ids.length ? loadImageMeta(tx, [...new Set(ids)]) : new Map();
}

/**
 * An image whose URL is this server's media URL for an upload that exists here is stored
 * as that upload (so its URL follows the server's public URL); anything else keeps its URL.
 */
function withUploads(known: ReadonlyMap<string, StoredImage>, media: readonly StoredMedia[]): StoredMedia[] {
  return media.map((m) => {
    if (!('image' in m) || !m.image.id || !m.image.url || !isMediaUrlOf(m.image.url, m.image.id)) return m;
    const meta = known.get(m.image.id);
    if (!meta) return m;
    return { image: { id: meta.id, width: meta.width, height: meta.height, filename: meta.filename, altText: m.image.altText ?? null } };
  });
}

function isMediaUrlOf(url: string, id: string): boolean {
  try {
    const path = new URL(url).pathname;
    return path.endsWith(`/reviews/v1/media/${encodeURIComponent(id)}`) || path.endsWith(`/reviews/api/v1/media/${encodeURIComponent(id)}`);
  } catch {
    return false;
  }
}

export type { RowProblem };
