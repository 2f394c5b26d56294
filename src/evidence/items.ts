/**
 * Reading and describing evidence items: the filtered list, one item with everything known about it,
 * the original and its working copies, the custody log as the reader may see it, verification state
 * and classification.
 */
import type { Readable } from 'node:stream';
import type { AuditService } from '../platform/audit/service.js';
import { isAdministrator } from '../platform/auth/access.js';
import type { Principal } from '../platform/auth/model.js';
import { actorOf, purposeOf } from '../platform/auth/service.js';
import type { FsBlobStore } from '../platform/blobs/index.js';
import type { KeyRing } from '../platform/crypto.js';
import { cursorOf, parseCursor } from '../platform/db/cursor.js';
import { includesText } from '../platform/db/like.js';
import { AppError } from '../platform/errors.js';
import { type SearchSection, searchHit } from '../platform/search.js';
import type { Compartments } from './compartments.js';
import type { CustodyLog } from './custody-log.js';
import type { MetadataSummary } from './media/index.js';
import type { Channel, CustodyEvent, ItemDetail, ItemSummary, ListItemsQuery } from './model.js';
import type { EvidenceIncidents } from './ports.js';
import type { ItemStore } from './store/items.js';
import type { ProcessingStore } from './store/processing.js';
import type { ItemRow, Visible } from './store/tables.js';
import type { Taxonomy } from './taxonomy.js';

const parse = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

export class Items {
  constructor(
    private readonly store: ItemStore,
    private readonly processing: ProcessingStore,
    private readonly blobs: FsBlobStore,
    private readonly compartments: Compartments,
    private readonly custody: CustodyLog,
    private readonly taxonomy: Taxonomy,
    private readonly incidents: EvidenceIncidents,
    private readonly audit: AuditService,
    private readonly keys: KeyRing,
  ) {}

  #summaries(
    rows: ItemRow[],
    codes: Map<string, string[]>,
    thumbs: Set<string>,
    names: Map<string, string>,
  ): ItemSummary[] {
    return rows.map((row) => ({
      id: row.id,
      sha256: row.sha256,
      size: Number(row.size),
      mediaType: row.media_type,
      kind: row.kind,
      fileName: row.file_name,
      channel: row.channel as Channel,
      sourceLabel: row.source_label,
      receivedAt: new Date(row.received_at).toISOString(),
      verificationState: row.verification_state as ItemSummary['verificationState'],
      processingState: row.processing_state as ItemSummary['processingState'],
      codes: codes.get(row.id) ?? [],
      hasThumbnail: thumbs.has(row.id),
      collectionId: row.collection_id,
      collectionName: names.get(row.collection_id) ?? '',
      capturedAt: row.captured_at ? new Date(row.captured_at).toISOString() : null,
    }));
  }

  /**
   * A page of the items the principal may see (filtered in SQL by visible collections), newest
   * first, with the total count of matching items.
   */
  async list(
    principal: Principal,
    query: ListItemsQuery,
  ): Promise<{ items: ItemSummary[]; next: string | null; total: number }> {
    const limit = query.limit === undefined ? 100 : Number(query.limit);
    const visible = await this.compartments.visibleCollections(principal);
    const codes = [
      ...(query.code ? [query.code] : []),
      ...(query.codes ?? '')
        .split(',')
        .map((code) => code.trim())
        .filter(Boolean),
    ];
    const filter = {
      codes,
      codesMatch: query.codesMatch ?? 'any',
      incidentId: query.incidentId,
      collectionId: query.collectionId,
      kind: query.kind,
      channel: query.channel,
      verificationState: query.verificationState,
      processingState: query.processingState,
      text: query.q || undefined,
      textIds: query.q ? await this.#notesContaining(query.q, visible) : undefined,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      capturedFrom: query.capturedFrom ? new Date(query.capturedFrom) : undefined,
      capturedTo: query.capturedTo ? new Date(query.capturedTo) : undefined,
    };
    const [rows, total] = await Promise.all([
      this.store.listItems({ ...filter, before: parseCursor(query.before), limit }, visible),
      this.store.countItems(filter, visible),
    ]);
    const ids = rows.map((row) => row.id);
    const names = await this.compartments.names();
    const items = this.#summaries(
      rows,
      await this.taxonomy.codes('item', ids),
      await this.processing.itemsWithThumbnail(ids),
      names,
    );
    // What was looked for and what was shown are sensitive reads; an empty page without a search is not.
    if (ids.length > 0 || query.q)
      await this.audit.record({
        actor: actorOf(principal),
        action: 'evidence.item.list',
        purpose: purposeOf(principal),
        // The words searched for may be a person's name: kept encrypted, like screening queries.
        ...(query.q ? { sealed: { q: query.q } } : {}),
        details: { query: { ...query, q: undefined, before: undefined }, items: ids },
      });
    const last = rows[rows.length - 1];
    const next = last && rows.length === limit ? cursorOf(last.received_at, last.id) : null;
    return { items, next, total };
  }

  /** Visible items whose notes (encrypted, so opened here) contain the text. */
  async #notesContaining(text: string, visible: Visible): Promise<string[]> {
    return (await this.store.sealedNotes(visible))
      .filter((row) =>
        includesText(this.keys.decryptFieldText(row.note_sealed, `evidence_items.note:${row.id}`), text),
      )
      .map((row) => row.id);
  }

  /**
   * The top bar's "evidence" section: items the principal may see whose file name, source or notes hold
   * the text, newest first, with their count (the list's own filter, so "see all" shows the same items).
   */
  async search(principal: Principal, text: string, limit: number): Promise<SearchSection> {
    const q = text.slice(0, 200);
    const { items, total } = await this.list(principal, { q, limit });
    return {
      key: 'evidence',
      total: { value: total, relation: 'eq' },
      items: items.map((item) =>
        searchHit({
          id: item.id,
          title: item.fileName ?? item.sha256.slice(0, 12),
          subtitle: [item.sourceLabel, item.collectionName].filter(Boolean).join(' · ') || null,
          date: item.receivedAt,
          tag: item.kind,
          // Found in the notes, which the top bar does not show: say so rather than show them.
          matchedIn: includesText(item.fileName, q) || includesText(item.sourceLabel, q) ? null : 'note',
        }),
      ),
    };
  }

  /**
   * The item holding each of these SHA-256 sums that the principal may see (the oldest, when several
   * do), with the length and head of its custody chain: how another area cites evidence by hash.
   * Sums no visible item holds are absent. Records no custody event.
   */
  async bySha256(
    principal: Principal,
    sha256s: string[],
  ): Promise<
    Map<
      string,
      {
        itemId: string;
        sha256: string;
        mediaType: string;
        fileName: string | null;
        receivedAt: string;
        custodyEvents: number;
        custodyHead: string;
      }
    >
  > {
    const found = new Map();
    const wanted = [...new Set(sha256s.map((s) => s.toLowerCase()))].filter((s) => /^[0-9a-f]{64}$/.test(s));
    if (wanted.length === 0) return found;
    const visible = await this.compartments.visibleCollections(principal);
    for (const sha256 of wanted) {
      const holders = await this.store.itemsBySha(this.store.db, sha256);
      const holder = holders.find((h) => visible === 'all' || visible.includes(h.collection_id));
      if (!holder) continue;
      const [item, custody] = await Promise.all([
        this.store.item(this.store.db, holder.id),
        this.custody.events(holder.id),
      ]);
      if (!item) continue;
      found.set(sha256, {
        itemId: item.id,
        sha256,
        mediaType: item.media_type,
        fileName: item.file_name,
        receivedAt: new Date(item.received_at).toISOString(),
        custodyEvents: custody.length,
        custodyHead: custody.at(-1)?.hash ?? '',
      });
    }
    return found;
  }

  /** One item, after authorizing the principal on it (else "not found"). */
  async require(principal: Principal, id: string, action: string): Promise<ItemRow> {
    await this.compartments.requireItems(principal, [id], action);
    const item = await this.store.item(this.store.db, id);
    if (!item) throw new AppError('SVD_HTTP_NOT_FOUND');
    return item;
  }

  /** The processing state of an item, for polling: no custody event, no content. */
  async status(
    principal: Principal,
    id: string,
  ): Promise<{
    id: string;
    processingState: ItemSummary['processingState'];
    mediaType: string;
    kind: string;
    hasThumbnail: boolean;
  }> {
    const item = await this.require(principal, id, 'evidence.item.status');
    const thumbs = await this.processing.itemsWithThumbnail([id]);
    return {
      id,
      processingState: item.processing_state as ItemSummary['processingState'],
      mediaType: item.media_type,
      kind: item.kind,
      hasThumbnail: thumbs.has(id),
    };
  }

  /** An item with its metadata, processing, working copies, duplicates and custody; records the view. */
  async show(principal: Principal, id: string, options: { recordView?: boolean } = {}): Promise<ItemDetail> {
    const item = await this.require(principal, id, 'evidence.item.read');
    if (options.recordView !== false) {
      await this.custody.transaction((trx) => this.custody.append(trx, id, 'viewed', actorOf(principal)));
    }
    const visible = await this.compartments.visibleCollections(principal);
    const [metadata, processing, derivatives, phashes, links, incidents, custody, codes, names] =
      await Promise.all([
        this.processing.metadata(id),
        this.processing.processing(id),
        this.processing.derivatives(id),
        this.processing.phashes(id),
        this.processing.links(id, visible),
        this.incidents.ofItem(id, visible),
        this.custody.events(id),
        this.taxonomy.codes('item', [id]),
        this.compartments.names(),
      ]);
    const records = metadata.map((row) => ({
      id: row.id,
      tool: row.tool,
      toolVersion: row.tool_version,
      summary: parse(row.summary) as MetadataSummary,
      warnings: parse(row.warnings) as string[],
      data: parse(row.data) as Record<string, unknown>,
      createdAt: new Date(row.created_at).toISOString(),
    }));
    const located = records.find(
      (r) => r.summary.latitude !== undefined && r.summary.longitude !== undefined,
    );
    const timed = records.find((r) => r.summary.captureTime !== undefined);
    const [summary] = this.#summaries(
      [item],
      codes,
      new Set(derivatives.some((d) => d.purpose === 'thumbnail') ? [id] : []),
      names,
    );
    return {
      ...summary!,
      note: item.note_sealed
        ? this.keys.decryptFieldText(item.note_sealed, `evidence_items.note:${item.id}`)
        : item.note,
      acquisition: (parse(item.acquisition) as Record<string, unknown> | null) ?? null,
      latitude: located?.summary.latitude ?? null,
      longitude: located?.summary.longitude ?? null,
      captureTime: timed?.summary.captureTime ?? null,
      metadata: records,
      processing: processing.map((row) => ({
        step: row.step,
        outcome: row.outcome as 'ok',
        tool: row.tool,
        toolVersion: row.tool_version,
        code: row.code,
        message: row.message,
        at: new Date(row.at).toISOString(),
      })),
      derivatives: derivatives.map((row) => ({
        id: row.id,
        purpose: row.purpose as 'thumbnail',
        parentSha256: row.parent_sha256,
        sha256: row.sha256,
        size: Number(row.size),
        mediaType: row.media_type,
        tool: row.tool,
        toolVersion: row.tool_version,
        width: row.width,
        height: row.height,
      })),
      phashes: phashes.map((row) => ({ frameSeconds: Number(row.frame_seconds), hash: row.hash })),
      possibleDuplicates: links,
      incidents,
      custody: await this.redactCustody(principal, custody),
    };
  }

  /** The decrypted original as a stream; records the download in the chain of custody. */
  async download(
    principal: Principal,
    id: string,
    purpose?: string,
  ): Promise<{ item: ItemRow; stream: Readable }> {
    const item = await this.require(principal, id, 'evidence.item.download');
    if (item.erased_at) throw new AppError('SVD_EVIDENCE_ERASED');
    await this.custody.transaction((trx) =>
      this.custody.append(trx, id, 'downloaded', actorOf(principal), purpose ? { purpose } : {}),
    );
    return { item, stream: this.blobs.get(item.sha256) };
  }

  /**
   * A working copy (thumbnail or stripped copy). Not evidence itself, so not a custody event; but it
   * shows the content, so the read is recorded in the platform audit log.
   */
  async derivative(
    principal: Principal,
    id: string,
    purpose: 'thumbnail' | 'stripped',
  ): Promise<{ mediaType: string; stream: Readable }> {
    await this.compartments.requireItems(principal, [id], 'evidence.derivative.read');
    const found = (await this.processing.derivatives(id)).find((d) => d.purpose === purpose);
    if (!found) throw new AppError('SVD_HTTP_NOT_FOUND');
    await this.audit.record({
      actor: actorOf(principal),
      action: 'evidence.derivative.read',
      target: { type: 'evidence_item', id },
      details: { purpose },
    });
    return { mediaType: found.media_type, stream: this.blobs.get(found.sha256) };
  }

  async custodyLog(principal: Principal, id: string): Promise<CustodyEvent[]> {
    await this.require(principal, id, 'evidence.custody.read');
    await this.audit.record({
      actor: actorOf(principal),
      action: 'evidence.custody.read',
      purpose: purposeOf(principal),
      target: { type: 'evidence_item', id },
    });
    return this.redactCustody(principal, await this.custody.events(id));
  }

  /**
   * Custody events as the principal may read them: a reference to an item or incident it cannot see
   * (e.g. a near-duplicate in a restricted collection) is replaced by null and the event marked
   * `redacted` (the stored chain is unchanged; `verify` checks it on the server).
   */
  async redactCustody(principal: Principal, events: CustodyEvent[]): Promise<CustodyEvent[]> {
    if (isAdministrator(principal)) return events;
    const itemIds = new Set<string>();
    const incidentIds = new Set<string>();
    for (const event of events) {
      if (typeof event.details.itemId === 'string') itemIds.add(event.details.itemId);
      if (typeof event.details.incidentId === 'string') incidentIds.add(event.details.incidentId);
    }
    if (itemIds.size === 0 && incidentIds.size === 0) return events;
    const visible = await this.compartments.visibleCollections(principal);
    const sees = (collection: string | null | undefined) =>
      collection === null ||
      (collection !== undefined && (visible === 'all' || visible.includes(collection)));
    const items = await this.store.itemCollections([...itemIds]);
    const incidents = await this.incidents.collections([...incidentIds]);
    return events.map((event) => {
      const details = { ...event.details };
      let redacted = false;
      if (typeof details.itemId === 'string' && !sees(items.get(details.itemId) ?? undefined)) {
        details.itemId = null;
        redacted = true;
      }
      if (typeof details.incidentId === 'string' && !sees(incidents.get(details.incidentId))) {
        details.incidentId = null;
        redacted = true;
      }
      return redacted ? { ...event, details: { ...details, redacted: true } } : event;
    });
  }

  async setVerificationState(principal: Principal, id: string, state: string, note?: string): Promise<void> {
    await this.require(principal, id, 'evidence.item.verification');
    await this.store.transaction(async (trx) => {
      await this.store.setVerificationState(trx, id, state);
      await this.custody.append(trx, id, 'classified', actorOf(principal), {
        verificationState: state,
        ...(note ? { note } : {}),
      });
    });
  }

  /** Adds and removes taxonomy codes on an item (multi-label); a custody event records the change. */
  async classifyItem(principal: Principal, id: string, add: string[], remove: string[]): Promise<string[]> {
    await this.require(principal, id, 'evidence.item.classify');
    await this.store.transaction(async (trx) => {
      const { version, ...changed } = await this.taxonomy.classify(trx, 'item', id, {
        add,
        remove,
        by: actorOf(principal).label ?? null,
      });
      if (changed.added.length || changed.removed.length)
        await this.custody.append(trx, id, 'classified', actorOf(principal), {
          ...changed,
          taxonomyVersion: version,
        });
    });
    return (await this.taxonomy.codes('item', [id])).get(id) ?? [];
  }
}
