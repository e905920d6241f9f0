/**
 * Media uploads: images only, type sniffed from the bytes (never from the name or the
 * declared type), SVG refused (it can carry script), at most 5 MB.
 */
import { imageSize } from 'image-size';
import { randomUUID } from 'node:crypto';
import type { Queryable } from './db.js';
import { imageTypeOf } from '../api/image-type.js';
import { ApiError } from './errors.js';

export const MAX_MEDIA_BYTES = 5 * 1024 * 1024;
const TYPES = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif' } as const;

export interface StoredImage {
  id: string;
  contentType: string;
  width: number;
  height: number;
  filename: string | null;
}

/** Validates an upload and stores it; throws a 4xx that says what is wrong. */
export async function storeImage(
  db: Queryable,
  bytes: Uint8Array,
  filename: string | null,
): Promise<StoredImage> {
  if (bytes.byteLength === 0) throw new ApiError(400, 'The uploaded file is empty', 'EMPTY_FILE');
  if (bytes.byteLength > MAX_MEDIA_BYTES) {
    throw new ApiError(413, `The file is ${bytes.byteLength} bytes; the limit is ${MAX_MEDIA_BYTES} bytes (5 MB)`, 'FILE_TOO_LARGE');
  }
  const type = imageTypeOf(bytes);
  if (!type) {
    throw new ApiError(
      415,
      'Unsupported file: only JPEG, PNG, WebP and GIF images are accepted (SVG is refused); the type is read from the file contents',
      'UNSUPPORTED_MEDIA_TYPE',
    );
  }
  let size: { width?: number; height?: number };
  try {
    size = imageSize(bytes);
  } catch {
    throw new ApiError(400, `The file starts like a ${type.toUpperCase()} image but could not be read`, 'CORRUPT_IMAGE');
  }
  if (!size.width || !size.height || size.width > 20000 || size.height > 20000) {
    throw new ApiError(400, 'The image has no readable size or is larger than 20000 pixels', 'CORRUPT_IMAGE');
  }
  const ext = type === 'jpg' ? 'jpg' : type;
  const id = `${randomUUID()}.${ext}`;
  const clean = filename ? sanitizeFilename(filename) : null;
  await db.query(
    `INSERT INTO media (id, content_type, bytes, width, height, filename, created_date)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [id, TYPES[type], bytes, size.width, size.height, clean, new Date()],
  );
  return { id, contentType: TYPES[type], width: size.width, height: size.height, filename: clean };
}

export async function loadImageMeta(db: Queryable, ids: readonly string[]): Promise<Map<string, StoredImage>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; content_type: string; width: number; height: number; filename: string | null }>(
    'SELECT id, content_type, width, height, filename FROM media WHERE id = ANY($1::text[])',
    [ids],
  );
  return new Map(
    rows.map((r) => [r.id, { id: r.id, contentType: r.content_type, width: Number(r.width), height: Number(r.height), filename: r.filename }]),
  );
}

export async function loadImage(db: Queryable, id: string): Promise<{ bytes: Uint8Array; contentType: string } | null> {
  const { rows } = await db.query<{ bytes: Uint8Array; content_type: string }>(
    'SELECT bytes, content_type FROM media WHERE id = $1',
    [id],
  );
  const row = rows[0];
  return row ? { bytes: row.bytes, contentType: row.content_type } : null;
}

function sanitizeFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  return base.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_').slice(0, 255) || 'image';
}
