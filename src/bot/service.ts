/**
 * The bot area's rules: subscribers (keyed by HMAC, chat id sealed, answers encrypted), the versioned
 * questionnaire, instruction templates, and broadcasts (audience snapshot, state changes, progress,
 * pruning to counts). No HTTP and no SQL here; the Telegram side lives in telegram-bot.ts and worker.ts.
 *
 * Why the answers are encrypted (KeyRing.encryptField, bound to the ref) although the ref is already
 * keyed: a copy of the database or a backup then reveals neither any subscriber's readiness for street
 * actions nor the organisation's strength per region and segment. The cost is that targeting and
 * counts decrypt in the application instead of filtering in SQL; the benchmark measures it (about a
 * second or two per 100,000 subscribers), which is small next to a broadcast's duration.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type pino from 'pino';
import type { AuditActor, AuditService } from '../platform/audit/service.js';
import type { Principal } from '../platform/auth/model.js';
import { type KeyRing, sealFor } from '../platform/crypto.js';
import { AppError } from '../platform/errors.js';
import { registerEncryptedColumn } from '../platform/keys.js';
import {
  type Answers,
  type Audience,
  type BotLanguage,
  type BroadcastContent,
  type BroadcastProgress,
  type CreateBroadcastInput,
  contentSchema,
  defaultQuestionnaire,
  matchesAudience,
  publishableQuestionnaireSchema,
  type Questionnaire,
  type QuestionnaireVersion,
  questionnaireSchema,
  type SubscriberStats,
  segmentCatalogue,
  segmentsOf,
  type Template,
  type TemplateInput,
} from './model.js';
import type { BotSettings } from './settings.js';
import type { BotStore, BroadcastRow, SubscriberRow, TemplateRow } from './store.js';

const answersAad = (ref: string) => `bot_subscribers.answers:${ref}`;
registerEncryptedColumn({
  table: 'bot_subscribers',
  idColumn: 'ref',
  column: 'answers',
  aad: answersAad,
});

const inboxAad = (updateId: string) => `bot_inbox.sealed:${updateId}`;
registerEncryptedColumn({ table: 'bot_inbox', idColumn: 'update_id', column: 'sealed', aad: inboxAad });

/**
 * An update as the inbox keeps it: names, usernames and other profile fields are dropped (no handler
 * reads them); ids, texts, files and callback data stay, since handling needs them.
 */
function minimizeUpdate(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(minimizeUpdate);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'first_name') out[key] = '';
    else if (key === 'last_name' || key === 'username' || key === 'is_premium' || key === 'title') continue;
    else out[key] = minimizeUpdate(inner);
  }
  return out;
}

/** The audit actor for a principal (users by id, keys by id, the system by label). */
export function actorOf(principal: Principal): AuditActor {
  if (principal.type === 'user') return { type: 'user', id: principal.id, label: principal.username };
  if (principal.type === 'apikey') return { type: 'apikey', id: principal.id, label: principal.name };
  return { type: 'system', label: principal.label };
}

function principalLabel(principal: Principal): string {
  if (principal.type === 'user') return `user:${principal.username}`;
  if (principal.type === 'apikey') return `apikey:${principal.name}`;
  return principal.label;
}

/** Uniform random permutation (Fisher–Yates with a CSPRNG): the send order says nothing about anyone. */
function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function monthOf(date: Date): string {
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-01`;
}

export interface SubscriberView {
  ref: string;
  language: BotLanguage;
  step: string;
  version: number;
  answers: Answers;
}

export class BotService {
  readonly #store: BotStore;
  readonly #keys: KeyRing;
  readonly #audit: AuditService;
  readonly #settings: BotSettings;
  readonly #logger: pino.Logger;
  /** The seal key; loaded lazily so processes that never seal (CLI counts) need no key files. */
  readonly #publicKey: () => Uint8Array;
  readonly #definitions = new Map<number, Questionnaire>();
  #latest: { version: number; at: number } | undefined;
  #statsCache: { at: number; stats: SubscriberStats } | undefined;

  constructor(deps: {
    store: BotStore;
    keys: KeyRing;
    audit: AuditService;
    settings: BotSettings;
    logger: pino.Logger;
    publicKey: () => Uint8Array;
  }) {
    this.#store = deps.store;
    this.#keys = deps.keys;
    this.#audit = deps.audit;
    this.#settings = deps.settings;
    this.#logger = deps.logger;
    this.#publicKey = deps.publicKey;
  }

  get settings(): BotSettings {
    return this.#settings;
  }

  // ------------------------------------------------------------------ questionnaire

  /** The current questionnaire (version 1 is the default, created on first use). */
  async currentQuestionnaire(): Promise<QuestionnaireVersion> {
    let row = await this.#store.latestQuestionnaire();
    if (!row) {
      await this.#store.transaction((trx) =>
        this.#store.insertQuestionnaire(trx, defaultQuestionnaire, null, 1),
      );
      row = await this.#store.latestQuestionnaire();
    }
    const definition = questionnaireSchema.parse(row!.definition);
    this.#definitions.set(row!.version, definition);
    this.#latest = { version: row!.version, at: Date.now() };
    return { version: row!.version, definition, createdAt: new Date(row!.created_at).toISOString() };
  }

  /** The latest version number, re-read at most every few seconds (admins may publish a new one). */
  async latestVersion(): Promise<number> {
    if (this.#latest && Date.now() - this.#latest.at < 5000) return this.#latest.version;
    return (await this.currentQuestionnaire()).version;
  }

  /** A questionnaire version's definition (versions never change once written). */
  async definition(version: number): Promise<Questionnaire> {
    const cached = this.#definitions.get(version);
    if (cached) return cached;
    const row = await this.#store.questionnaire(version);
    if (!row) throw new AppError('SVD_HTTP_NOT_FOUND');
    const definition = questionnaireSchema.parse(row.definition);
    this.#definitions.set(version, definition);
    return definition;
  }

  /** Publishes a new questionnaire version (admins). Existing answers keep their version. */
  async publishQuestionnaire(principal: Principal, input: unknown): Promise<QuestionnaireVersion> {
    const parsed = publishableQuestionnaireSchema.safeParse(input);
    if (!parsed.success) {
      throw new AppError('SVD_BOT_QUESTIONNAIRE_INVALID', {
        message: `The questionnaire is not valid: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      });
    }
    await this.currentQuestionnaire();
    const version = await this.#store.transaction(async (trx) => {
      const v = await this.#store.insertQuestionnaire(trx, parsed.data, principalLabel(principal));
      await this.#audit.record(
        {
          actor: actorOf(principal),
          action: 'bot.questionnaire.publish',
          target: { type: 'bot_questionnaire', id: String(v) },
        },
        trx,
      );
      return v;
    });
    this.#latest = undefined;
    return { ...(await this.currentQuestionnaire()), version };
  }

  // ------------------------------------------------------------------ update inbox

  /** Where the next getUpdates call starts. */
  pollingOffset(): Promise<number> {
    return this.#store.pollingOffset();
  }

  /** Stores fetched updates (minimized and encrypted) together with the offset past them. */
  async storeUpdates(updates: Array<{ update_id: number }>, nextOffset: number): Promise<void> {
    await this.#store.storeUpdates(
      updates.map((update) => ({
        updateId: update.update_id,
        sealed: this.#keys.encryptField(
          JSON.stringify(minimizeUpdate(update)),
          inboxAad(String(update.update_id)),
        ),
      })),
      nextOffset,
    );
  }

  /** Updates fetched before a stop or crash and not handled yet, oldest first. */
  async unhandledUpdates<U>(): Promise<U[]> {
    return (await this.#store.inbox()).map(
      (row) => JSON.parse(this.#keys.decryptFieldText(row.sealed, inboxAad(String(row.updateId)))) as U,
    );
  }

  /** Forgets updates whose handling has stored its effects. */
  markHandled(updateIds: number[]): Promise<void> {
    return this.#store.deleteFromInbox(updateIds);
  }

  // ------------------------------------------------------------------ subscribers

  /** The subscriber key: HMAC(master key, Telegram user id). The id itself is never stored. */
  refOf(telegramUserId: number): string {
    return this.#keys.lookupHash('botRef', String(telegramUserId));
  }

  #decryptAnswers(row: Pick<SubscriberRow, 'ref' | 'answers'>): Answers {
    return JSON.parse(this.#keys.decryptFieldText(row.answers, answersAad(row.ref))) as Answers;
  }

  #encryptAnswers(ref: string, answers: Answers): Buffer {
    return this.#keys.encryptField(JSON.stringify(answers), answersAad(ref));
  }

  async subscriber(ref: string): Promise<SubscriberView | undefined> {
    const row = await this.#store.subscriber(ref);
    if (!row) return undefined;
    return {
      ref,
      language: row.language as BotLanguage,
      step: row.step,
      version: row.questionnaire_version,
      answers: this.#decryptAnswers(row),
    };
  }

  /**
   * Starts (or restarts) the questionnaire in `language`: seals the chat id, keeps nothing else about
   * the person. Returns the first question's id.
   */
  async begin(telegramUserId: number, chatId: number, language: BotLanguage): Promise<SubscriberView> {
    const ref = this.refOf(telegramUserId);
    const version = await this.latestVersion();
    const definition = await this.definition(version);
    const step = `q:${definition.questions[0]!.id}`;
    await this.#store.upsertSubscriber({
      ref,
      chat_sealed: sealFor(this.#publicKey(), String(chatId)),
      language,
      questionnaire_version: version,
      answers: this.#encryptAnswers(ref, {}),
      step,
      joined_month: monthOf(new Date()),
    });
    this.#statsCache = undefined;
    return { ref, language, step, version, answers: {} };
  }

  async setLanguage(ref: string, language: BotLanguage): Promise<void> {
    await this.#store.updateSubscriber(ref, { language });
  }

  /**
   * Records the answer to one question. Answers given under an older questionnaire version move to
   * the current one (questions that no longer exist are dropped). Returns the new view.
   */
  async saveAnswer(
    ref: string,
    questionId: string,
    optionIds: string[],
    step: string,
  ): Promise<SubscriberView> {
    const current = await this.subscriber(ref);
    if (!current) throw new AppError('SVD_HTTP_NOT_FOUND');
    const version = await this.latestVersion();
    const definition = await this.definition(version);
    const answers: Answers = {};
    for (const question of definition.questions) {
      const previous = current.answers[question.id];
      if (previous) answers[question.id] = previous.filter((id) => question.options.some((o) => o.id === id));
    }
    answers[questionId] = optionIds;
    await this.#store.updateSubscriber(ref, {
      answers: this.#encryptAnswers(ref, answers),
      step,
      questionnaire_version: version,
    });
    this.#statsCache = undefined;
    return { ...current, answers, step, version };
  }

  async setStep(ref: string, step: string): Promise<void> {
    await this.#store.updateSubscriber(ref, { step });
    this.#statsCache = undefined;
  }

  /**
   * Erases a subscriber and every row naming them (pending deliveries included) in one transaction.
   * The audit row records that an erasure happened and why, never whom.
   */
  async erase(
    ref: string,
    reason: 'delete_command' | 'blocked' | 'chat_not_found' | 'deactivated',
  ): Promise<boolean> {
    const erased = await this.#store.transaction(async (trx) => {
      const found = await this.#store.eraseSubscriber(trx, ref);
      if (found)
        await this.#audit.record(
          { actor: { type: 'bot' }, action: 'bot.subscriber.erase', details: { reason } },
          trx,
        );
      return found;
    });
    this.#statsCache = undefined;
    return erased;
  }

  /** Counts per language, segment and region; never a list. Cached for 30 seconds or until a subscriber changes. */
  async stats(): Promise<SubscriberStats> {
    if (this.#statsCache && Date.now() - this.#statsCache.at < 30_000) return this.#statsCache.stats;
    const { total, confirmed } = await this.#store.countSubscribers();
    const byLanguage: Record<string, number> = {};
    const bySegment: Record<string, number> = {};
    const byRegion: Record<string, number> = {};
    const latest = await this.definition(await this.latestVersion());
    const regionCodes = new Set(
      segmentCatalogue(latest)
        .filter((s) => s.region)
        .map((s) => s.code),
    );
    for await (const page of this.#store.confirmedAnswers()) {
      for (const row of page) {
        byLanguage[row.language] = (byLanguage[row.language] ?? 0) + 1;
        const segments = segmentsOf(
          await this.definition(row.questionnaire_version),
          this.#decryptAnswers(row),
        );
        let region = 'undisclosed';
        for (const segment of segments) {
          if (regionCodes.has(segment)) region = segment;
          else bySegment[segment] = (bySegment[segment] ?? 0) + 1;
        }
        byRegion[region] = (byRegion[region] ?? 0) + 1;
      }
    }
    const stats = { total, confirmed, byLanguage, bySegment, byRegion };
    this.#statsCache = { at: Date.now(), stats };
    return stats;
  }

  /** Checks an audience against the current questionnaire's segments. */
  async validateAudience(audience: Audience): Promise<void> {
    const catalogue = segmentCatalogue(await this.definition(await this.latestVersion()));
    const unknown = audience.segments.filter((s) => !catalogue.some((c) => c.code === s && !c.region));
    if (audience.region && !catalogue.some((c) => c.code === audience.region && c.region))
      unknown.push(audience.region);
    if (unknown.length)
      throw new AppError('SVD_BOT_AUDIENCE_INVALID', {
        message: `Unknown segment or region: ${unknown.join(', ')}`,
        details: { known: catalogue.map((c) => c.code) },
      });
  }

  /** Refs of confirmed subscribers in the audience (decrypting answers page by page). */
  async #audienceRefs(audience: Audience): Promise<string[]> {
    const refs: string[] = [];
    for await (const page of this.#store.confirmedAnswers()) {
      for (const row of page) {
        const segments = segmentsOf(
          await this.definition(row.questionnaire_version),
          this.#decryptAnswers(row),
        );
        if (matchesAudience(audience, segments)) refs.push(row.ref);
      }
    }
    return refs;
  }

  /** How many confirmed subscribers an audience reaches now (the composer shows it before sending). */
  async countAudience(audience: Audience): Promise<number> {
    await this.validateAudience(audience);
    return (await this.#audienceRefs(audience)).length;
  }

  // ------------------------------------------------------------------ templates

  #toTemplate(row: TemplateRow): Template {
    return {
      id: row.id,
      name: row.name,
      segment: row.segment,
      versions: row.versions as Template['versions'],
      media: (row.media as Template['media']) ?? null,
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  }

  async listTemplates(): Promise<Template[]> {
    return (await this.#store.listTemplates()).map((row) => this.#toTemplate(row));
  }

  async template(idOrName: string): Promise<Template> {
    const row = await this.#store.template(idOrName);
    if (!row) throw new AppError('SVD_HTTP_NOT_FOUND');
    return this.#toTemplate(row);
  }

  #checkContent(content: BroadcastContent): void {
    const limit = content.media ? 1024 : 4096;
    for (const version of Object.values(content.versions)) {
      if ([...version.text].length > limit)
        throw new AppError('SVD_BOT_CONTENT_INVALID', {
          message: `The text is longer than ${limit} characters${content.media ? ' (a caption)' : ''}.`,
        });
    }
  }

  async createTemplate(principal: Principal, input: TemplateInput): Promise<Template> {
    this.#checkContent({ versions: input.versions, media: input.media });
    if (await this.#store.template(input.name)) throw new AppError('SVD_BOT_TEMPLATE_EXISTS');
    const id = randomUUID();
    await this.#store.transaction(async (trx) => {
      await this.#store.insertTemplate(trx, {
        id,
        name: input.name,
        segment: input.segment,
        versions: input.versions,
        media: input.media,
      });
      await this.#audit.record(
        { actor: actorOf(principal), action: 'bot.template.create', target: { type: 'bot_template', id } },
        trx,
      );
    });
    return this.template(id);
  }

  async updateTemplate(principal: Principal, id: string, input: TemplateInput): Promise<Template> {
    this.#checkContent({ versions: input.versions, media: input.media });
    const other = await this.#store.template(input.name);
    if (other && other.id !== id) throw new AppError('SVD_BOT_TEMPLATE_EXISTS');
    await this.#store.transaction(async (trx) => {
      const found = await this.#store.updateTemplate(trx, id, {
        name: input.name,
        segment: input.segment,
        versions: input.versions,
        media: input.media,
      });
      if (!found) throw new AppError('SVD_HTTP_NOT_FOUND');
      await this.#audit.record(
        { actor: actorOf(principal), action: 'bot.template.update', target: { type: 'bot_template', id } },
        trx,
      );
    });
    return this.template(id);
  }

  async deleteTemplate(principal: Principal, id: string): Promise<void> {
    await this.#store.transaction(async (trx) => {
      if (!(await this.#store.deleteTemplate(trx, id))) throw new AppError('SVD_HTTP_NOT_FOUND');
      await this.#audit.record(
        { actor: actorOf(principal), action: 'bot.template.delete', target: { type: 'bot_template', id } },
        trx,
      );
    });
  }

  // ------------------------------------------------------------------ broadcasts

  /** Checks a requested rate against the free limit and the paid-broadcast setting. */
  resolveRate(rate: number | undefined, paid: boolean): number {
    const value = rate ?? (paid ? 1000 : this.#settings.rate);
    const max = paid ? 1000 : 30;
    if (paid && !this.#settings.paidBroadcasts)
      throw new AppError('SVD_BOT_RATE', {
        message: 'Paid broadcasts are not enabled for this bot (SVIEDKA_BROADCAST_PAID).',
      });
    if (!Number.isInteger(value) || value < 1 || value > max) throw new AppError('SVD_BOT_RATE');
    return value;
  }

  /**
   * Creates a broadcast: validates the audience and message, snapshots the recipients (one row each,
   * in random order) and queues it for the worker, all in one transaction.
   */
  async createBroadcast(principal: Principal, input: CreateBroadcastInput): Promise<BroadcastProgress> {
    await this.validateAudience(input.audience);
    let content: BroadcastContent;
    let templateId: string | null = null;
    if (input.templateId) {
      const template = await this.template(input.templateId);
      content = { versions: template.versions, media: template.media };
      templateId = template.id;
    } else if (input.content) {
      content = contentSchema.parse(input.content);
    } else {
      throw new AppError('SVD_BOT_CONTENT_INVALID', { message: 'Give a template or a message text.' });
    }
    this.#checkContent(content);
    const paid = input.paid ?? false;
    const rate = this.resolveRate(input.rate, paid);
    const refs = shuffle(await this.#audienceRefs(input.audience));
    if (refs.length === 0) throw new AppError('SVD_BOT_AUDIENCE_EMPTY');
    const id = randomUUID();
    await this.#store.transaction(async (trx) => {
      await this.#store.insertBroadcast(trx, {
        id,
        template_id: templateId,
        content,
        audience: input.audience,
        state: 'running',
        rate,
        paid,
        resend_unknown: input.resendUnknown ?? false,
        total: refs.length,
        final_counts: null,
        created_by: principalLabel(principal),
        started_at: null,
        finished_at: null,
        pruned_at: null,
      });
      await this.#store.insertDeliveries(trx, id, refs);
      await this.#audit.record(
        {
          actor: actorOf(principal),
          action: 'bot.broadcast.create',
          target: { type: 'bot_broadcast', id },
          details: { audience: input.audience, recipients: refs.length, rate, paid, templateId },
        },
        trx,
      );
    });
    this.#logger.info({ broadcast: id, recipients: refs.length, rate }, 'broadcast created');
    return this.progress(id);
  }

  async #progressOf(row: BroadcastRow): Promise<BroadcastProgress> {
    const counts = row.pruned_at
      ? {
          pending: 0,
          sending: 0,
          sent: 0,
          failed: 0,
          unknown: 0,
          cancelled: 0,
          ...(row.final_counts as object),
        }
      : await this.#store.deliveryCounts(row.id);
    const started = row.started_at ? new Date(row.started_at).getTime() : undefined;
    const end = row.finished_at ? new Date(row.finished_at).getTime() : Date.now();
    const seconds = started ? Math.max((end - started) / 1000, 0.001) : 0;
    const achievedRate = seconds > 0 ? counts.sent / seconds : 0;
    const remaining = counts.pending + counts.sending;
    const etaSeconds =
      row.state === 'running'
        ? remaining === 0
          ? 0
          : remaining / Math.max(Math.min(achievedRate || row.rate, row.rate), 0.001)
        : null;
    return {
      id: row.id,
      state: row.state,
      audience: row.audience as Audience,
      templateId: row.template_id,
      rate: row.rate,
      paid: row.paid,
      total: row.total,
      ...counts,
      removed: row.removed,
      achievedRate: Math.round(achievedRate * 10) / 10,
      etaSeconds: etaSeconds === null ? null : Math.round(etaSeconds),
      createdAt: new Date(row.created_at).toISOString(),
      startedAt: row.started_at ? new Date(row.started_at).toISOString() : null,
      finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
      pruned: row.pruned_at !== null,
    };
  }

  async progress(id: string): Promise<BroadcastProgress> {
    const row = await this.#store.broadcast(id);
    if (!row) throw new AppError('SVD_HTTP_NOT_FOUND');
    return this.#progressOf(row);
  }

  async listBroadcasts(): Promise<BroadcastProgress[]> {
    const rows = await this.#store.listBroadcasts();
    return Promise.all(rows.map((row) => this.#progressOf(row)));
  }

  /** The message content of a broadcast (the worker reads it once per broadcast). */
  async broadcastContent(id: string): Promise<{ row: BroadcastRow; content: BroadcastContent }> {
    const row = await this.#store.broadcast(id);
    if (!row) throw new AppError('SVD_HTTP_NOT_FOUND');
    return { row, content: contentSchema.parse(row.content) };
  }

  async cancelBroadcast(principal: Principal, id: string): Promise<BroadcastProgress> {
    if (!(await this.#store.broadcast(id))) throw new AppError('SVD_HTTP_NOT_FOUND');
    await this.#store.transaction(async (trx) => {
      const changed = await this.#store.setBroadcastState(trx, id, ['running', 'paused'], 'cancelled');
      if (!changed) throw new AppError('SVD_BOT_BROADCAST_STATE');
      await this.#store.cancelPending(trx, id);
      await this.#audit.record(
        { actor: actorOf(principal), action: 'bot.broadcast.cancel', target: { type: 'bot_broadcast', id } },
        trx,
      );
    });
    return this.progress(id);
  }

  async pauseBroadcast(principal: Principal, id: string, pause: boolean): Promise<BroadcastProgress> {
    if (!(await this.#store.broadcast(id))) throw new AppError('SVD_HTTP_NOT_FOUND');
    await this.#store.transaction(async (trx) => {
      const changed = await this.#store.setBroadcastState(
        trx,
        id,
        [pause ? 'running' : 'paused'],
        pause ? 'paused' : 'running',
      );
      if (!changed) throw new AppError('SVD_BOT_BROADCAST_STATE');
      await this.#audit.record(
        {
          actor: actorOf(principal),
          action: pause ? 'bot.broadcast.pause' : 'bot.broadcast.resume',
          target: { type: 'bot_broadcast', id },
        },
        trx,
      );
    });
    return this.progress(id);
  }

  /**
   * Deletes the per-recipient rows of broadcasts that ended more than `olderThanSeconds` ago, keeping
   * their counts. Returns how many broadcasts were pruned.
   */
  async prune(olderThanSeconds = this.#settings.pruneAfterSeconds): Promise<number> {
    const ids = await this.#store.prunable(olderThanSeconds);
    for (const id of ids) {
      const counts = await this.#store.deliveryCounts(id);
      await this.#store.transaction(async (trx) => {
        await this.#store.prune(trx, id, counts);
        await this.#audit.record(
          {
            actor: { type: 'system', label: 'bot' },
            action: 'bot.broadcast.prune',
            target: { type: 'bot_broadcast', id },
            details: counts,
          },
          trx,
        );
      });
    }
    return ids.length;
  }
}
