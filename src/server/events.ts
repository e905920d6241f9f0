/**
 * Domain events (the Wix event envelope of reference §4) written to a transactional
 * outbox: call `recordEvent` with the transaction that makes the change, so the event
 * exists if and only if the change committed. Webhook delivery reads the outbox.
 *
 * Recording fans the event out at once: one delivery row per webhook subscription that
 * wants the event type, in the same transaction. So a subscription receives exactly the
 * events committed after it was, and an event nobody subscribed to costs one small read
 * (no row is written, no sequence number taken).
 */
import { randomUUID } from 'node:crypto';
import { eventTypeOf } from '../api/webhooks.js';
import type { Queryable } from './db.js';

export interface EventInput {
  /** e.g. `wix.reviews.v1.review`, `wix.ratings.v1.rating`, `wix.reviews.v2.review_request`. */
  entityFqdn: string;
  /** `created`, `updated`, `deleted`, or an action slug (`moderation_status_changed`, `review_published`). */
  slug: string;
  entityId: string;
  /** created/updated: the entity after the change; deleted: the entity before it; action: the action body. */
  payload: unknown;
  /** The app whose write caused the event (`X-Storefront-App-Id`, or a review's origin.appId), if any. */
  appId?: string | null;
  /** When the change happened; defaults to now. */
  eventTime?: Date;
}

/**
 * Who makes a change and by which clock: threaded from a route through the functions that
 * change data, into the events they record.
 */
export interface EventContext {
  /** The app the request acts for (`X-Storefront-App-Id`), if any. */
  appId?: string | null;
  /** The server's clock (AppOptions.clock); stamps `eventTime`. */
  clock?: () => Date;
}

/** The envelope as it is stored and sent (reference §4). */
export interface EventEnvelopeOut {
  id: string;
  entityFqdn: string;
  slug: string;
  entityId: string;
  eventType: string;
  eventTime: string;
  triggeredByAnonymizeRequest: false;
  originatedFrom?: string;
  entityEventSequence: string;
  createdEvent?: { entityAsJson: string };
  updatedEvent?: { currentEntityAsJson: string };
  deletedEvent?: { deletedEntityAsJson: string };
  actionEvent?: { bodyAsJson: string };
}

/** Records one event in the outbox, inside the caller's transaction. */
export async function recordEvent(tx: Queryable, event: EventInput): Promise<void> {
  await recordEvents(tx, [event]);
}

/**
 * Records several events in the caller's transaction with a constant number of statements
 * (bulk moderation, bulk delete, imports). Events of one entity get consecutive sequence
 * numbers in the order given.
 */
export async function recordEvents(tx: Queryable, events: readonly EventInput[]): Promise<void> {
  if (events.length === 0) return;
  const { rows: subs } = await tx.query<{ id: string; events: string[] }>('SELECT id, events FROM webhook_subscriptions');
  if (subs.length === 0) return;
  const wanted = events
    .map((e) => {
      const type = eventTypeOf(e.entityFqdn, e.slug);
      const ids = subs.filter((s) => s.events.includes('*') || s.events.includes(type)).map((s) => s.id);
      return { e, type, ids };
    })
    .filter((w) => w.ids.length > 0);
  if (wanted.length === 0) return;

  // Take the sequence numbers: one upsert per entity, in key order (ORDER BY) so that two
  // bulk operations over the same entities lock their rows in the same order (no deadlock).
  const counts = new Map<string, { fqdn: string; id: string; n: number }>();
  for (const { e } of wanted) {
    const key = `${e.entityFqdn}\u0000${e.entityId}`;
    const c = counts.get(key);
    if (c) c.n++;
    else counts.set(key, { fqdn: e.entityFqdn, id: e.entityId, n: 1 });
  }
  const keys = [...counts.values()];
  const { rows: seqRows } = await tx.query<{ entity_fqdn: string; entity_id: string; seq: string | number }>(
    `INSERT INTO entity_event_sequences AS s (entity_fqdn, entity_id, seq)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[]) ORDER BY 1, 2
     ON CONFLICT (entity_fqdn, entity_id) DO UPDATE SET seq = s.seq + excluded.seq
     RETURNING entity_fqdn, entity_id, seq`,
    [keys.map((k) => k.fqdn), keys.map((k) => k.id), keys.map((k) => k.n)],
  );
  const next = new Map<string, bigint>();
  for (const r of seqRows) {
    const key = `${r.entity_fqdn}\u0000${r.entity_id}`;
    next.set(key, BigInt(r.seq) - BigInt(counts.get(key)!.n) + 1n);
  }

  const ev = { id: [] as string[], fqdn: [] as string[], entity: [] as string[], seq: [] as string[], type: [] as string[], time: [] as string[], app: [] as (string | null)[], body: [] as string[] };
  const dl = { id: [] as string[], sub: [] as string[], event: [] as string[], fqdn: [] as string[], entity: [] as string[], seq: [] as string[], time: [] as string[] };
  for (const { e, type, ids } of wanted) {
    const key = `${e.entityFqdn}\u0000${e.entityId}`;
    const seq = next.get(key)!;
    next.set(key, seq + 1n);
    const id = randomUUID();
    const time = (e.eventTime ?? new Date()).toISOString();
    const envelope = buildEnvelope({ ...e, id, type, time, seq: String(seq) });
    ev.id.push(id);
    ev.fqdn.push(e.entityFqdn);
    ev.entity.push(e.entityId);
    ev.seq.push(String(seq));
    ev.type.push(type);
    ev.time.push(time);
    ev.app.push(e.appId ?? null);
    ev.body.push(JSON.stringify(envelope));
    for (const sub of ids) {
      dl.id.push(randomUUID());
      dl.sub.push(sub);
      dl.event.push(id);
      dl.fqdn.push(e.entityFqdn);
      dl.entity.push(e.entityId);
      dl.seq.push(String(seq));
      dl.time.push(time);
    }
  }
  await tx.query(
    `INSERT INTO domain_events (id, entity_fqdn, entity_id, entity_seq, event_type, event_time, originated_from, body)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::timestamptz[], $7::text[], $8::text[])`,
    [ev.id, ev.fqdn, ev.entity, ev.seq, ev.type, ev.time, ev.app, ev.body],
  );
  await tx.query(
    `INSERT INTO webhook_deliveries (id, subscription_id, event_id, entity_fqdn, entity_id, entity_seq, created_date)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::timestamptz[])`,
    [dl.id, dl.sub, dl.event, dl.fqdn, dl.entity, dl.seq, dl.time],
  );
}

function buildEnvelope(e: EventInput & { id: string; type: string; time: string; seq: string }): EventEnvelopeOut {
  const json = JSON.stringify(e.payload ?? {});
  const body =
    e.slug === 'created'
      ? { createdEvent: { entityAsJson: json } }
      : e.slug === 'updated'
        ? { updatedEvent: { currentEntityAsJson: json } }
        : e.slug === 'deleted'
          ? { deletedEvent: { deletedEntityAsJson: json } }
          : { actionEvent: { bodyAsJson: json } };
  return {
    id: e.id,
    entityFqdn: e.entityFqdn,
    slug: e.slug,
    entityId: e.entityId,
    eventType: e.type,
    eventTime: e.time,
    triggeredByAnonymizeRequest: false,
    ...(e.appId ? { originatedFrom: e.appId } : {}),
    entityEventSequence: e.seq,
    ...body,
  };
}
