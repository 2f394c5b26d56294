/**
 * Telegram Bot API emulator for tests and benchmarks.
 *
 * A local HTTP server (node:http, 127.0.0.1, random port) that speaks the Bot API wire protocol closely
 * enough that an unmodified grammY bot works against it:
 *
 * ```ts
 * const emu = await startTelegramEmulator({ token: TOKEN });
 * const bot = new Bot(TOKEN, { client: { apiRoot: emu.apiRoot } });
 * emu.addUser({ id: 1001, firstName: 'Ala', languageCode: 'be' });
 * const msg = emu.sendText(1001, '/start');      // a user writes to the bot
 * const reply = await emu.waitForMessage(1001, { afterMessageId: msg.message_id });
 * await emu.close();
 * ```
 *
 * What it models: URL shape, JSON / urlencoded / multipart bodies, the `{ok, result}` envelope and the
 * error envelope with Telegram's wording, long polling with offsets, private chats, blocking (403),
 * flood control (429 with `retry_after`, token buckets), files with the 20 MB getFile limit, edits,
 * deletions, callback queries, and fault injection (5xx, dropped connections, latency).
 * What it does not model: groups and channels, webhooks delivery (setWebhook only records), inline mode,
 * payments, the 48 h deletion window.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type {
  BotCommand,
  CallbackQuery,
  ChatMemberUpdated,
  ForceReply,
  InlineKeyboardMarkup,
  Message,
  PhotoSize,
  ReplyKeyboardMarkup,
  ReplyKeyboardRemove,
  File as TelegramFile,
  Update,
  User,
  UserFromGetMe,
} from 'grammy/types';
import { multipartBoundary, parseMultipart, type UploadedPart } from './multipart.js';
import { detectCommandEntities, type ParsedEntity, parseEntities } from './parse-mode.js';
import { TokenBucket } from './rate-limit.js';

export type { MultipartBody, UploadedPart } from './multipart.js';
export { multipartBoundary, parseMultipart } from './multipart.js';
export type { ParsedEntity, ParseResult } from './parse-mode.js';
export { detectCommandEntities, parseEntities } from './parse-mode.js';
export { TokenBucket } from './rate-limit.js';

/** Any reply markup a bot may attach to a message. */
export type ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply;

/** Bot API methods whose successful calls create a message in a chat. */
export type SendMethod =
  | 'sendMessage'
  | 'sendPhoto'
  | 'sendDocument'
  | 'sendVideo'
  | 'sendVoice'
  | 'copyMessage';

/**
 * Flood-control settings. Limits are token buckets (capacity `burst`, refilled continuously at `rate`
 * per second); each successful send method call (see {@link SendMethod}) takes one token from the
 * chat's bucket and one from the global bucket. Edits, deletions, callback answers and getUpdates are
 * not limited.
 */
export interface RateLimitOptions {
  /** Turns flood control on or off. Default true. */
  rateLimits?: boolean;
  /** Global messages per second across all chats. Default 30 (Telegram's free broadcast limit). */
  globalRate?: number;
  /** Global bucket capacity. Default equal to `globalRate` (one second's worth). */
  globalBurst?: number;
  /** Messages per second into one chat. Default 1. */
  perChatRate?: number;
  /** Per-chat bucket capacity ("short bursts" Telegram tolerates). Default 5. */
  perChatBurst?: number;
  /** Global rate for calls with `allow_paid_broadcast: true`. Default 1000. */
  paidBroadcastRate?: number;
  /**
   * `retry_after` sent with a 429, in whole seconds, or 'auto' to send the time until the bucket has a
   * token again (rounded up, at least 1). Default 1.
   */
  retryAfter?: number | 'auto';
  /**
   * When true (default), a 429 starts a flood wait: until `retry_after` has passed every send in the
   * same scope (the chat, or everything for a global 429) is refused too, and counted in
   * {@link EmulatorStats.floodWaitViolations}. This is how a broadcaster that ignores `retry_after` is
   * caught in tests.
   */
  enforceRetryAfter?: boolean;
}

/** Options for {@link startTelegramEmulator}. */
export interface TelegramEmulatorOptions extends RateLimitOptions {
  /** Bot token the emulator accepts; others get 401. Default `'7000000001:TEST-emulator-token'`. */
  token?: string;
  /** The bot's identity returned by getMe. The id defaults to the numeric prefix of the token. */
  bot?: { id?: number; firstName?: string; username?: string };
  /**
   * Behave like a local Bot API server (`telegram-bot-api --local`): no 20 MB getFile limit, uploads up
   * to 2000 MB, getFile returns an absolute path of a file written to `localFilesDir`, and HTTP webhooks
   * are accepted. Default false.
   */
  localServer?: boolean;
  /** Directory for local-mode files. Default: a fresh temporary directory removed on close. */
  localFilesDir?: string;
  /** Delay added before every request is handled, in milliseconds. Default 0. */
  latencyMs?: number;
  /** Clock in milliseconds, for message dates and rate limits. Default `Date.now`. */
  now?: () => number;
  /** Port to listen on. Default 0 (random). */
  port?: number;
  /** Keep a per-request log ({@link TelegramEmulator.requests}). Default true. */
  logRequests?: boolean;
  /**
   * Requests allowed in flight at once; beyond it the emulator answers 429 with `retry_after` 60, as
   * telegram-bot-api does above 1000 + updates/min pending requests (the real server also waits 3 s
   * first; the emulator answers at once). Default 1000.
   */
  maxInFlight?: number;
}

/** Registration data for a simulated Telegram user. Private chat id equals `id`. */
export interface EmulatorUserInit {
  id: number;
  firstName: string;
  lastName?: string;
  username?: string;
  languageCode?: string;
  isPremium?: boolean;
  /**
   * Whether the user has started the bot. If false, sends fail with 403 "Forbidden: bot can't initiate
   * conversation with a user" until the user writes to the bot. Default true.
   */
  started?: boolean;
}

/** A message the bot delivered (a live record: edits and deletions update it in place). */
export interface DeliveredMessage {
  chatId: number;
  messageId: number;
  method: SendMethod;
  /** Text as the user sees it (markup removed), after the latest edit. */
  text?: string;
  /** Caption as the user sees it, after the latest edit. */
  caption?: string;
  /** Text or caption exactly as the bot sent it (latest edit), markup included. */
  rawText?: string;
  parseMode?: string;
  entities?: ParsedEntity[];
  /** Current reply markup (edits replace it; editMessageText without one removes it). */
  replyMarkup?: ReplyMarkup;
  /** file_ids of the media in the message (all photo sizes for photos). */
  fileIds: string[];
  /** Unix time in seconds, like Message.date. */
  date: number;
  /** Emulator clock in milliseconds at delivery. */
  sentAt: number;
  paidBroadcast: boolean;
  deleted: boolean;
  editCount: number;
  copiedFrom?: { chatId: number; messageId: number };
  /** The full Telegram Message object, kept current. */
  message: Message;
}

/** One edit of a bot message. */
export interface EditRecord {
  chatId: number;
  messageId: number;
  method: 'editMessageText' | 'editMessageReplyMarkup' | 'editMessageCaption';
  before: { text?: string; caption?: string; replyMarkup?: ReplyMarkup };
  after: { text?: string; caption?: string; replyMarkup?: ReplyMarkup };
  at: number;
}

/** One deleted message (bot's or user's). */
export interface DeletionRecord {
  chatId: number;
  messageId: number;
  /** True if the bot had sent the message, false if the user had. */
  outgoing: boolean;
  at: number;
}

/** One callback query injected with {@link TelegramEmulator.pressButton} and its answer, if any. */
export interface CallbackRecord {
  query: CallbackQuery;
  answer?: { text?: string; showAlert: boolean; url?: string; cacheTime?: number; at: number };
}

/** One handled HTTP request. */
export interface RequestRecord {
  method: string;
  status: number;
  at: number;
  chatId?: number;
  description?: string;
}

/** Counters since start (or the last {@link TelegramEmulator.resetRecords}). */
export interface EmulatorStats {
  requests: number;
  byMethod: Record<string, number>;
  byStatus: Record<number, number>;
  delivered: number;
  /** 429 responses sent. */
  rateLimited: number;
  /** Sends attempted while a flood wait was active (the bot did not honour retry_after). */
  floodWaitViolations: number;
  droppedConnections: number;
  injectedFailures: number;
}

/** Which requests a fault applies to. */
export interface FaultTarget {
  /** Method names (case-insensitive). Default: every method except getUpdates. */
  methods?: string[];
}

/** An injected error response, see {@link TelegramEmulator.failNext}. */
export interface FailSpec extends FaultTarget {
  /** HTTP status and error_code. Default 500. */
  status?: number;
  /** Default "Internal Server Error" (502: "Bad Gateway"). */
  description?: string;
  /** Adds `parameters.retry_after` (useful with status 429). */
  retryAfter?: number;
}

/** A dropped connection, see {@link TelegramEmulator.dropConnections}. */
export interface DropSpec extends FaultTarget {
  /**
   * If true, the request is executed (the message is delivered and recorded) and then the socket is
   * destroyed instead of answering: "the request left, no answer came back". If false (default), the
   * socket is destroyed before anything happens.
   */
  deliver?: boolean;
}

/** File contents for injected media: real bytes, or only a size (zero bytes are served). */
export interface FileInit {
  bytes?: Uint8Array;
  /** Size in bytes when `bytes` is omitted, e.g. to test the 20 MB limit cheaply. */
  size?: number;
}

/** Chat member statuses the bot can have in a private chat. */
export type PrivateMemberStatus = 'member' | 'kicked';

/** Error thrown inside a method handler; becomes an error envelope. */
export class TelegramApiError extends Error {
  constructor(
    public readonly errorCode: number,
    public readonly description: string,
    public readonly parameters?: { retry_after?: number; migrate_to_chat_id?: number },
  ) {
    super(description);
  }
}

type Params = Record<string, unknown>;
type AnyMessage = Record<string, unknown> & { message_id: number; date: number };

interface StoredMessage {
  message: AnyMessage;
  outgoing: boolean;
  deleted: boolean;
  record?: DeliveredMessage;
}

interface ChatState {
  id: number;
  chat: { id: number; type: 'private'; first_name: string; last_name?: string; username?: string };
  messages: Map<number, StoredMessage>;
  nextMessageId: number;
  instance: string;
}

interface UserState {
  user: User;
  blocked: boolean;
  deactivated: boolean;
  started: boolean;
  chat: ChatState;
}

interface FileEntry {
  fileId: string;
  fileUniqueId: string;
  kind: 'photo' | 'document' | 'video' | 'voice';
  bytes?: Buffer;
  size: number;
  fileName?: string;
  mimeType?: string;
  url?: string;
  width?: number;
  height?: number;
  duration?: number;
  filePath?: string;
  /** All sizes of the photo this entry belongs to. */
  sizes?: PhotoSize[];
}

interface Poller {
  res: ServerResponse;
  limit: number;
  timer: NodeJS.Timeout;
  done: boolean;
}

interface Waiter {
  check: () => boolean;
}

interface Fault {
  remaining: number;
  methods?: Set<string>;
  fail?: FailSpec;
  drop?: DropSpec;
}

type Handler = (p: Params, ctx: RequestContext) => unknown;

interface RequestContext {
  res: ServerResponse;
  chatId?: number;
}

/** Why a 20 MB limit: "bots can download files of up to 20MB in size" (getFile docs). */
export const PUBLIC_DOWNLOAD_LIMIT = 20 * 1024 * 1024;
/** "Bots can currently send files of any type of up to 50 MB". */
export const PUBLIC_UPLOAD_LIMIT = 50 * 1024 * 1024;
const LOCAL_UPLOAD_LIMIT = 2000 * 1024 * 1024;
const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;
/** Token used when none is given to {@link startTelegramEmulator}. */
export const EMULATOR_DEFAULT_TOKEN = '7000000001:TEST-emulator-token';
const DEFAULT_TOKEN = EMULATOR_DEFAULT_TOKEN;
const DEFAULT_ALLOWED = new Set([
  'message',
  'edited_message',
  'channel_post',
  'edited_channel_post',
  'business_connection',
  'business_message',
  'edited_business_message',
  'deleted_business_messages',
  'inline_query',
  'chosen_inline_result',
  'callback_query',
  'shipping_query',
  'pre_checkout_query',
  'purchased_paid_media',
  'poll',
  'poll_answer',
  'my_chat_member',
  'chat_join_request',
  'chat_boost',
  'removed_chat_boost',
]);
const INLINE_BUTTON_KINDS = [
  'url',
  'callback_data',
  'web_app',
  'login_url',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'copy_text',
  'callback_game',
  'pay',
];
const NOT_MODIFIED =
  'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

const bad = (description: string) => new TelegramApiError(400, `Bad Request: ${description}`);

function pStr(p: Params, key: string): string | undefined {
  const v = p[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function pInt(p: Params, key: string): number | undefined {
  const v = p[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number') return Number.isInteger(v) ? v : Math.trunc(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return Number.NaN;
}

function pBool(p: Params, key: string): boolean {
  const v = p[key];
  return v === true || v === 'true' || v === 'True' || v === '1' || v === 1;
}

function pJson(p: Params, key: string, error: string): unknown {
  const v = p[key];
  if (typeof v !== 'string') return v;
  if (v === '') return undefined;
  try {
    return JSON.parse(v);
  } catch {
    throw bad(error);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Counts characters the way Telegram's length limits do (Unicode code points). */
function charLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

function randomId(prefix: string, bytes: number): string {
  return prefix + randomBytes(bytes).toString('base64url');
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function validateReplyMarkup(p: Params): ReplyMarkup | undefined {
  if (p.reply_markup === undefined || p.reply_markup === null || p.reply_markup === '') return undefined;
  const parseError = "can't parse reply keyboard markup JSON object";
  const v = pJson(p, 'reply_markup', parseError);
  if (!isObject(v)) throw bad(parseError);
  if ('inline_keyboard' in v) {
    const rows = v.inline_keyboard;
    const shape = 'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays';
    if (!Array.isArray(rows)) throw bad(shape);
    let buttons = 0;
    for (const row of rows) {
      if (!Array.isArray(row)) throw bad(shape);
      for (const button of row) {
        if (!isObject(button))
          throw bad("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
        if (typeof button.text !== 'string') {
          throw bad(`can't parse inline keyboard button: Field "text" must be of type String`);
        }
        if (!INLINE_BUTTON_KINDS.some((k) => k in button)) {
          throw bad(`can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard`);
        }
        if ('callback_data' in button) {
          const data = button.callback_data;
          if (typeof data !== 'string' || Buffer.byteLength(data) < 1 || Buffer.byteLength(data) > 64) {
            throw bad('BUTTON_DATA_INVALID');
          }
        }
        if ('url' in button) {
          const url = button.url;
          if (typeof url !== 'string' || !/^(https?|tg):\/\/\S+$/i.test(url)) {
            throw bad(`inline keyboard button URL '${String(url)}' is invalid: Wrong HTTP URL`);
          }
        }
        buttons++;
      }
    }
    // Telegram stores an empty inline keyboard as no keyboard at all.
    return buttons === 0 ? undefined : (v as unknown as InlineKeyboardMarkup);
  }
  if ('keyboard' in v || 'remove_keyboard' in v || 'force_reply' in v) return v as unknown as ReplyMarkup;
  throw bad(parseError);
}

function extensionFor(entry: FileEntry): string {
  if (entry.fileName && extname(entry.fileName)) return extname(entry.fileName);
  switch (entry.kind) {
    case 'photo':
      return '.jpg';
    case 'video':
      return '.mp4';
    case 'voice':
      return '.oga';
    default: {
      const sub = entry.mimeType?.split('/')[1];
      return sub && /^[a-z0-9]+$/.test(sub) ? `.${sub}` : '';
    }
  }
}

const FOLDERS: Record<FileEntry['kind'], string> = {
  photo: 'photos',
  document: 'documents',
  video: 'videos',
  voice: 'voice',
};

const FILE_ID_PREFIX: Record<FileEntry['kind'], string> = {
  photo: 'AgACAgIAAxkBAAI',
  document: 'BQACAgIAAxkBAAI',
  video: 'BAACAgIAAxkBAAI',
  voice: 'AwACAgIAAxkBAAI',
};

/**
 * A running emulator. Create it with {@link startTelegramEmulator}; all helpers are synchronous unless
 * they return a Promise.
 */
export class TelegramEmulator {
  /** Base URL to pass as grammY's `client.apiRoot` (no trailing slash). */
  readonly apiRoot: string;
  /** The accepted token. */
  readonly token: string;
  /** The bot's own User object (what getMe returns). */
  readonly botUser: UserFromGetMe;

  private readonly server: Server;
  private readonly clock: () => number;
  private readonly localServer: boolean;
  private readonly logRequests: boolean;
  private readonly maxInFlight: number;
  private inFlight = 0;
  private localDir: string | undefined;
  private ownsLocalDir = false;
  private latency: number;
  private closed = false;

  private readonly users = new Map<number, UserState>();
  private readonly files = new Map<string, FileEntry>();
  private readonly filesByPath = new Map<string, FileEntry>();
  private filePathCounter = 0;

  private updates: Update[] = [];
  private nextUpdateId = 100_000;
  private allowedUpdates = DEFAULT_ALLOWED;
  private poller: Poller | undefined;
  private webhook: { url: string; params: Params } | undefined;

  private readonly callbacks = new Map<string, CallbackRecord>();
  private readonly commands = new Map<string, BotCommand[]>();

  private delivered: DeliveredMessage[] = [];
  private countsByChat = new Map<number, number>();
  private edits: EditRecord[] = [];
  private deletions: DeletionRecord[] = [];
  private requestLog: RequestRecord[] = [];
  private counters = this.freshCounters();
  private byMethod = new Map<string, number>();
  private byStatus = new Map<number, number>();

  private readonly waiters = new Set<Waiter>();
  private faults: Fault[] = [];

  private limits: Required<RateLimitOptions>;
  private globalBucket: TokenBucket;
  private paidBucket: TokenBucket;
  private readonly chatBuckets = new Map<number, TokenBucket>();
  private globalWaitUntil = 0;
  private readonly chatWaitUntil = new Map<number, number>();

  private readonly handlers: Map<string, Handler>;

  /** @internal Use {@link startTelegramEmulator}. */
  constructor(server: Server, apiRoot: string, options: TelegramEmulatorOptions) {
    this.server = server;
    this.apiRoot = apiRoot;
    this.token = options.token ?? DEFAULT_TOKEN;
    this.clock = options.now ?? Date.now;
    this.localServer = options.localServer ?? false;
    this.localDir = options.localFilesDir;
    this.logRequests = options.logRequests ?? true;
    this.maxInFlight = options.maxInFlight ?? 1000;
    this.latency = options.latencyMs ?? 0;
    const idFromToken = Number(this.token.split(':')[0]);
    this.botUser = {
      id:
        options.bot?.id ?? (Number.isSafeInteger(idFromToken) && idFromToken > 0 ? idFromToken : 7000000001),
      is_bot: true,
      first_name: options.bot?.firstName ?? 'Sviedka Test Bot',
      username: options.bot?.username ?? 'sviedka_test_bot',
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
    } as UserFromGetMe;
    this.limits = TelegramEmulator.resolveLimits(options);
    const now = this.clock();
    this.globalBucket = new TokenBucket(this.limits.globalRate, this.limits.globalBurst, now);
    this.paidBucket = new TokenBucket(this.limits.paidBroadcastRate, this.limits.paidBroadcastRate, now);
    this.handlers = this.buildHandlers();
  }

  private static resolveLimits(
    o: RateLimitOptions,
    base?: Required<RateLimitOptions>,
  ): Required<RateLimitOptions> {
    const globalRate = o.globalRate ?? base?.globalRate ?? 30;
    return {
      rateLimits: o.rateLimits ?? base?.rateLimits ?? true,
      globalRate,
      globalBurst:
        o.globalBurst ?? (o.globalRate !== undefined ? globalRate : (base?.globalBurst ?? globalRate)),
      perChatRate: o.perChatRate ?? base?.perChatRate ?? 1,
      perChatBurst: o.perChatBurst ?? base?.perChatBurst ?? 5,
      paidBroadcastRate: o.paidBroadcastRate ?? base?.paidBroadcastRate ?? 1000,
      retryAfter: o.retryAfter ?? base?.retryAfter ?? 1,
      enforceRetryAfter: o.enforceRetryAfter ?? base?.enforceRetryAfter ?? true,
    };
  }

  // ---------------------------------------------------------------- configuration

  /**
   * Changes flood-control settings at run time (unspecified fields keep their value). All buckets start
   * full again and active flood waits end.
   */
  setRateLimits(options: RateLimitOptions): void {
    this.limits = TelegramEmulator.resolveLimits(options, this.limits);
    const now = this.clock();
    this.globalBucket = new TokenBucket(this.limits.globalRate, this.limits.globalBurst, now);
    this.paidBucket = new TokenBucket(this.limits.paidBroadcastRate, this.limits.paidBroadcastRate, now);
    this.chatBuckets.clear();
    this.globalWaitUntil = 0;
    this.chatWaitUntil.clear();
  }

  /** Current flood-control settings. */
  rateLimits(): Readonly<Required<RateLimitOptions>> {
    return { ...this.limits };
  }

  /** Adds `ms` of latency before every request is handled (0 removes it). */
  setLatency(ms: number): void {
    this.latency = Math.max(0, ms);
  }

  /**
   * Makes the next `n` matching requests fail with an error envelope (default 500 "Internal Server
   * Error") without executing them. getUpdates is not affected unless listed in `methods`.
   */
  failNext(n: number, spec: FailSpec = {}): void {
    this.faults.push({ remaining: n, methods: this.methodSet(spec.methods), fail: spec });
  }

  /**
   * Destroys the socket of the next `n` matching requests without answering. With `deliver: true` the
   * request is executed first (see {@link DropSpec}). getUpdates is not affected unless listed.
   */
  dropConnections(n: number, spec: DropSpec = {}): void {
    this.faults.push({ remaining: n, methods: this.methodSet(spec.methods), drop: spec });
  }

  /** Removes all pending injected faults. */
  clearFaults(): void {
    this.faults = [];
  }

  private methodSet(methods: string[] | undefined): Set<string> | undefined {
    return methods ? new Set(methods.map((m) => m.toLowerCase())) : undefined;
  }

  // ---------------------------------------------------------------- users

  /** Registers a user (and the private chat with the bot). Returns the Telegram User object. */
  addUser(init: EmulatorUserInit): User {
    if (!Number.isSafeInteger(init.id) || init.id <= 0)
      throw new Error(`addUser: invalid user id ${init.id}`);
    if (this.users.has(init.id)) throw new Error(`addUser: user ${init.id} already exists`);
    const user: User = { id: init.id, is_bot: false, first_name: init.firstName };
    if (init.lastName) user.last_name = init.lastName;
    if (init.username) user.username = init.username;
    if (init.languageCode) user.language_code = init.languageCode;
    if (init.isPremium) user.is_premium = true;
    const chat: ChatState['chat'] = { id: init.id, type: 'private', first_name: init.firstName };
    if (init.lastName) chat.last_name = init.lastName;
    if (init.username) chat.username = init.username;
    this.users.set(init.id, {
      user,
      blocked: false,
      deactivated: false,
      started: init.started ?? true,
      chat: {
        id: init.id,
        chat,
        messages: new Map(),
        nextMessageId: 1,
        instance: randomBytes(8).readBigInt64BE().toString(),
      },
    });
    return user;
  }

  /** The registered User object, or undefined. */
  getUser(userId: number): User | undefined {
    return this.users.get(userId)?.user;
  }

  /**
   * The user blocks the bot: later sends to them fail with 403 "Forbidden: bot was blocked by the user".
   * With `notify` (default true) a `my_chat_member` update (status 'kicked') is queued, as Telegram does.
   */
  blockBot(userId: number, options: { notify?: boolean } = {}): void {
    const u = this.requireUser(userId);
    if (options.notify ?? true) this.myChatMember(userId, 'kicked');
    else u.blocked = true;
  }

  /** The user unblocks the bot (queues `my_chat_member` 'member' unless `notify: false`). */
  unblockBot(userId: number, options: { notify?: boolean } = {}): void {
    const u = this.requireUser(userId);
    if (options.notify ?? true) this.myChatMember(userId, 'member');
    else u.blocked = false;
  }

  /** The user deletes their account: sends fail with 403 "Forbidden: user is deactivated". */
  deactivateUser(userId: number): void {
    this.requireUser(userId).deactivated = true;
  }

  private requireUser(userId: number): UserState {
    const u = this.users.get(userId);
    if (!u) throw new Error(`Telegram emulator: unknown user ${userId}; call addUser first`);
    return u;
  }

  // ---------------------------------------------------------------- injection (user side)

  /**
   * The user writes `text` to the bot. Commands get `bot_command` entities like real clients produce.
   * Returns the Message as the bot will receive it.
   */
  sendText(userId: number, text: string, options: { replyToMessageId?: number } = {}): Message {
    const entities = detectCommandEntities(text);
    const content: Record<string, unknown> = { text };
    if (entities.length > 0) content.entities = entities;
    return this.userMessage(userId, content, options.replyToMessageId);
  }

  /**
   * The user sends a photo. The emulator stores the bytes and produces several PhotoSize entries like
   * Telegram (90, 320, 800, 1280 px on the long side, up to the given size). All sizes download the
   * same bytes, since the emulator does not re-encode.
   */
  sendPhoto(
    userId: number,
    photo: FileInit & { caption?: string; width?: number; height?: number },
  ): Message {
    const sizes = this.createPhoto(photo, photo.width ?? 1280, photo.height ?? 960);
    const content: Record<string, unknown> = { photo: sizes };
    if (photo.caption) content.caption = photo.caption;
    return this.userMessage(userId, content);
  }

  /** The user sends a file as a document (bytes arrive unchanged, metadata included). */
  sendDocument(
    userId: number,
    doc: FileInit & { fileName: string; mimeType?: string; caption?: string },
  ): Message {
    const entry = this.createFile('document', doc, {
      fileName: doc.fileName,
      mimeType: doc.mimeType ?? 'application/octet-stream',
    });
    const content: Record<string, unknown> = { document: this.mediaObject(entry) };
    if (doc.caption) content.caption = doc.caption;
    return this.userMessage(userId, content);
  }

  /** The user sends a video. Use `size` without `bytes` for large files (served as zero bytes). */
  sendVideo(
    userId: number,
    video: FileInit & {
      fileName?: string;
      mimeType?: string;
      caption?: string;
      width?: number;
      height?: number;
      duration?: number;
    },
  ): Message {
    const entry = this.createFile('video', video, {
      fileName: video.fileName,
      mimeType: video.mimeType ?? 'video/mp4',
      width: video.width ?? 1280,
      height: video.height ?? 720,
      duration: video.duration ?? 10,
    });
    const content: Record<string, unknown> = { video: this.mediaObject(entry) };
    if (video.caption) content.caption = video.caption;
    return this.userMessage(userId, content);
  }

  /** The user sends a voice note. */
  sendVoice(userId: number, voice: FileInit & { mimeType?: string; duration?: number }): Message {
    const entry = this.createFile('voice', voice, {
      mimeType: voice.mimeType ?? 'audio/ogg',
      duration: voice.duration ?? 3,
    });
    return this.userMessage(userId, { voice: this.mediaObject(entry) });
  }

  /**
   * The user presses an inline button with `callbackData` on bot message `messageId`. Throws (in the
   * test, not over HTTP) if the message does not exist, is deleted, or its current keyboard has no such
   * button. Returns the CallbackQuery; its answer appears in {@link callbackAnswer}.
   */
  pressButton(userId: number, messageId: number, callbackData: string): CallbackQuery {
    const u = this.requireUser(userId);
    const stored = u.chat.messages.get(messageId);
    if (!stored || stored.deleted)
      throw new Error(`pressButton: message ${messageId} not found in chat ${userId}`);
    if (!stored.outgoing) throw new Error(`pressButton: message ${messageId} was not sent by the bot`);
    const markup = stored.message.reply_markup as InlineKeyboardMarkup | undefined;
    const found = markup?.inline_keyboard?.some((row) =>
      row.some((b) => (b as { callback_data?: string }).callback_data === callbackData),
    );
    if (!found) {
      const available = (markup?.inline_keyboard ?? [])
        .flat()
        .map((b) => (b as { callback_data?: string }).callback_data)
        .filter(Boolean);
      throw new Error(
        `pressButton: message ${messageId} has no button with callback_data ${JSON.stringify(callbackData)} (has ${JSON.stringify(available)})`,
      );
    }
    const query = {
      id: `${BigInt(u.user.id) * 1000n + BigInt(this.callbacks.size + 1)}${randomBytes(2).readUInt16BE()}`,
      from: u.user,
      message: structuredClone(stored.message),
      chat_instance: u.chat.instance,
      data: callbackData,
    } as unknown as CallbackQuery;
    this.callbacks.set(query.id, { query });
    this.enqueue({ callback_query: query });
    return query;
  }

  /**
   * Queues a `my_chat_member` update for the private chat (the user blocked: 'kicked'; unblocked or
   * restarted: 'member') and sets the blocked state accordingly. Returns the ChatMemberUpdated.
   */
  myChatMember(userId: number, status: PrivateMemberStatus): ChatMemberUpdated {
    const u = this.requireUser(userId);
    const oldStatus: PrivateMemberStatus = u.blocked ? 'kicked' : 'member';
    u.blocked = status === 'kicked';
    if (status === 'member') u.started = true;
    const member = (s: PrivateMemberStatus) =>
      s === 'kicked' ? { user: this.botUser, status: s, until_date: 0 } : { user: this.botUser, status: s };
    const update = {
      chat: u.chat.chat,
      from: u.user,
      date: this.unixNow(),
      old_chat_member: member(oldStatus),
      new_chat_member: member(status),
    } as unknown as ChatMemberUpdated;
    this.enqueue({ my_chat_member: update });
    return update;
  }

  private userMessage(userId: number, content: Record<string, unknown>, replyTo?: number): Message {
    const u = this.requireUser(userId);
    // Writing again after blocking means the user pressed "Restart": Telegram reports the unblock.
    if (u.blocked) this.myChatMember(userId, 'member');
    u.started = true;
    const message: AnyMessage = {
      message_id: u.chat.nextMessageId++,
      from: u.user,
      chat: u.chat.chat,
      date: this.unixNow(),
      ...content,
    };
    if (replyTo !== undefined) {
      const target = u.chat.messages.get(replyTo);
      if (target && !target.deleted) message.reply_to_message = this.shallowForReply(target.message);
    }
    u.chat.messages.set(message.message_id, { message, outgoing: false, deleted: false });
    this.enqueue({ message: message as unknown as Message });
    return message as unknown as Message;
  }

  private enqueue(body: Record<string, unknown>): void {
    const type = Object.keys(body)[0]!;
    // Telegram applies allowed_updates when the update is created, so filtered ones never appear.
    if (!this.allowedUpdates.has(type)) return;
    const update = { update_id: this.nextUpdateId++, ...body } as unknown as Update;
    this.updates.push(update);
    this.flushPoller();
    this.changed();
  }

  // ---------------------------------------------------------------- files

  private createFile(kind: FileEntry['kind'], init: FileInit, extra: Partial<FileEntry> = {}): FileEntry {
    const bytes = init.bytes ? Buffer.from(init.bytes) : undefined;
    const size = bytes ? bytes.length : (init.size ?? 0);
    const entry: FileEntry = {
      ...extra,
      fileId: randomId(FILE_ID_PREFIX[kind], 40),
      fileUniqueId: randomId('AQAD', 9),
      kind,
      bytes,
      size,
    };
    this.files.set(entry.fileId, entry);
    return entry;
  }

  private createPhoto(init: FileInit, width: number, height: number): PhotoSize[] {
    const longSide = Math.max(width, height);
    const steps = [90, 320, 800, 1280].filter((s) => s < longSide);
    steps.push(Math.min(longSide, 2560));
    const sizes: PhotoSize[] = [];
    const entries: FileEntry[] = [];
    for (const side of steps) {
      const scale = side / longSide;
      const entry = this.createFile('photo', init, {
        width: Math.max(1, Math.round(width * scale)),
        height: Math.max(1, Math.round(height * scale)),
      });
      entries.push(entry);
      sizes.push({
        file_id: entry.fileId,
        file_unique_id: entry.fileUniqueId,
        width: entry.width!,
        height: entry.height!,
        file_size: entry.size,
      });
    }
    for (const e of entries) e.sizes = sizes;
    return sizes;
  }

  private mediaObject(entry: FileEntry): Record<string, unknown> {
    const o: Record<string, unknown> = { file_id: entry.fileId, file_unique_id: entry.fileUniqueId };
    if (entry.kind === 'video')
      Object.assign(o, { width: entry.width, height: entry.height, duration: entry.duration });
    if (entry.kind === 'voice') o.duration = entry.duration;
    if (entry.fileName) o.file_name = entry.fileName;
    if (entry.mimeType) o.mime_type = entry.mimeType;
    o.file_size = entry.size;
    return o;
  }

  /** The stored bytes of a file by file_id (zero bytes for size-only files), or undefined. */
  fileBytes(fileId: string): Buffer | undefined {
    const e = this.files.get(fileId);
    return e ? (e.bytes ?? Buffer.alloc(e.size)) : undefined;
  }

  // ---------------------------------------------------------------- recording

  /** Bot messages currently visible in the user's chat (deleted ones excluded), oldest first. */
  messagesTo(userId: number): DeliveredMessage[] {
    const chat = this.users.get(userId)?.chat;
    if (!chat) return [];
    const out: DeliveredMessage[] = [];
    for (const s of chat.messages.values()) if (s.record && !s.deleted) out.push(s.record);
    return out;
  }

  /** The newest visible bot message in the user's chat. */
  lastMessage(userId: number): DeliveredMessage | undefined {
    const chat = this.users.get(userId)?.chat;
    if (!chat) return undefined;
    let last: DeliveredMessage | undefined;
    for (const s of chat.messages.values()) if (s.record && !s.deleted) last = s.record;
    return last;
  }

  /** Every message the bot delivered, in delivery order, including later deleted ones. */
  allDelivered(): DeliveredMessage[] {
    return [...this.delivered];
  }

  /** Number of messages delivered to `chatId`, or in total without an argument. */
  deliveredCount(chatId?: number): number {
    return chatId === undefined ? this.delivered.length : (this.countsByChat.get(chatId) ?? 0);
  }

  /** Delivered-message counts per chat id. */
  countsPerChat(): Map<number, number> {
    return new Map(this.countsByChat);
  }

  /** The whole visible conversation (user and bot messages), oldest first, as Message objects. */
  visibleChat(userId: number): Message[] {
    const chat = this.users.get(userId)?.chat;
    if (!chat) return [];
    const out: Message[] = [];
    for (const s of chat.messages.values()) if (!s.deleted) out.push(s.message as unknown as Message);
    return out;
  }

  /** Log of edits, oldest first. */
  editLog(): EditRecord[] {
    return [...this.edits];
  }

  /** Log of deletions, oldest first. */
  deletionLog(): DeletionRecord[] {
    return [...this.deletions];
  }

  /** The callback query with this id and its answer, if it was answered. */
  callbackAnswer(queryId: string): CallbackRecord | undefined {
    return this.callbacks.get(queryId);
  }

  /** Per-request log (empty if `logRequests: false`). */
  requests(): RequestRecord[] {
    return [...this.requestLog];
  }

  /** Counters since start or the last {@link resetRecords}. */
  stats(): EmulatorStats {
    return {
      ...this.counters,
      byMethod: Object.fromEntries(this.byMethod),
      byStatus: Object.fromEntries(this.byStatus),
      delivered: this.delivered.length,
    };
  }

  /** Updates queued and not yet confirmed by the bot. */
  pendingUpdates(): Update[] {
    return [...this.updates];
  }

  /** True while a getUpdates long poll is waiting for updates. */
  isPolling(): boolean {
    return this.poller !== undefined;
  }

  /** Commands set with setMyCommands for a scope (default scope) and language code ('' = none). */
  commandsFor(scope: Record<string, unknown> = { type: 'default' }, languageCode = ''): BotCommand[] {
    return this.commands.get(this.commandKey(scope, languageCode)) ?? [];
  }

  /** Clears recorded deliveries, logs and counters (chats, users, files and updates stay). */
  resetRecords(): void {
    this.delivered = [];
    this.countsByChat = new Map();
    this.edits = [];
    this.deletions = [];
    this.requestLog = [];
    this.counters = this.freshCounters();
    this.byMethod = new Map();
    this.byStatus = new Map();
  }

  private freshCounters() {
    return {
      requests: 0,
      rateLimited: 0,
      floodWaitViolations: 0,
      droppedConnections: 0,
      injectedFailures: 0,
    };
  }

  // ---------------------------------------------------------------- waiting

  /**
   * Resolves with the first truthy value `predicate` returns, checking now and after every change in
   * the emulator (request handled, update injected). Rejects after `timeoutMs` (default 5000).
   */
  waitFor<T>(
    predicate: () => T | undefined | null | false,
    timeoutMs = 5000,
    what = 'condition',
  ): Promise<T> {
    const first = predicate();
    if (first) return Promise.resolve(first);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          let v: T | undefined | null | false;
          try {
            v = predicate();
          } catch (err) {
            finish();
            reject(err);
            return true;
          }
          if (!v) return false;
          finish();
          resolve(v);
          return true;
        },
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`Telegram emulator: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      this.waiters.add(waiter);
    });
  }

  /**
   * Waits for a visible bot message in the user's chat newer than `afterMessageId` (default: the newest
   * message in the chat at call time) and matching `where`. Pass the injected message's id to wait for
   * the bot's reply to it without races.
   */
  waitForMessage(
    userId: number,
    options: { afterMessageId?: number; where?: (m: DeliveredMessage) => boolean; timeoutMs?: number } = {},
  ): Promise<DeliveredMessage> {
    const chat = this.requireUser(userId).chat;
    const after = options.afterMessageId ?? chat.nextMessageId - 1;
    return this.waitFor(
      () => {
        for (const s of chat.messages.values()) {
          if (
            s.record &&
            !s.deleted &&
            s.record.messageId > after &&
            (!options.where || options.where(s.record))
          ) {
            return s.record;
          }
        }
        return undefined;
      },
      options.timeoutMs,
      `a bot message to ${userId} after message ${after}`,
    );
  }

  /** Waits until the callback query is answered; resolves with its record. */
  waitForCallbackAnswer(queryId: string, timeoutMs?: number): Promise<CallbackRecord> {
    return this.waitFor(
      () => {
        const r = this.callbacks.get(queryId);
        return r?.answer ? r : undefined;
      },
      timeoutMs,
      `an answer to callback query ${queryId}`,
    );
  }

  private changed(): void {
    if (this.waiters.size === 0) return;
    for (const w of [...this.waiters]) w.check();
  }

  // ---------------------------------------------------------------- lifecycle

  /** Answers pending long polls with no updates, closes all connections and stops the server. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.poller) this.answerPoller(this.poller, []);
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    if (this.ownsLocalDir && this.localDir) await rm(this.localDir, { recursive: true, force: true });
  }

  // ---------------------------------------------------------------- HTTP

  /** @internal */
  handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q >= 0 ? url.slice(0, q) : url;
    if (path.startsWith('/file/bot')) {
      this.download(path, res);
      return;
    }
    const m = /^\/bot([^/]+)\/([^/]*)$/.exec(path);
    if (!m) {
      req.resume();
      this.sendError(res, '', new TelegramApiError(404, 'Not Found'));
      return;
    }
    if (m[1] !== this.token) {
      req.resume();
      this.sendError(res, m[2]!, new TelegramApiError(401, 'Unauthorized'));
      return;
    }
    const methodKey = m[2]!.toLowerCase();
    const handler = this.handlers.get(methodKey);
    if (!handler) {
      req.resume();
      this.sendError(res, m[2]!, new TelegramApiError(404, 'Not Found'));
      return;
    }
    if (this.inFlight >= this.maxInFlight) {
      req.resume();
      this.counters.rateLimited++;
      this.sendError(
        res,
        m[2]!,
        new TelegramApiError(429, 'Too Many Requests: retry after 60', { retry_after: 60 }),
      );
      return;
    }
    this.inFlight++;
    res.once('close', () => this.inFlight--);
    const limit = this.localServer ? LOCAL_UPLOAD_LIMIT : PUBLIC_UPLOAD_LIMIT;
    const chunks: Buffer[] = [];
    let received = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) {
        this.sendError(res, m[2]!, new TelegramApiError(413, 'Request Entity Too Large'));
        return;
      }
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      const run = () => this.dispatch(req, res, methodKey, handler, url, q, body);
      if (this.latency > 0) setTimeout(run, this.latency);
      else run();
    });
    req.on('error', () => res.destroy());
  }

  private dispatch(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    handler: Handler,
    url: string,
    q: number,
    body: Buffer,
  ): void {
    if (this.closed) {
      res.destroy();
      return;
    }
    const fault = this.takeFault(method);
    if (fault?.drop && !fault.drop.deliver) {
      this.counters.droppedConnections++;
      this.log(method, 0, undefined, 'dropped');
      req.socket.destroy();
      this.changed();
      return;
    }
    if (fault?.fail) {
      const status = fault.fail.status ?? 500;
      this.counters.injectedFailures++;
      const description =
        fault.fail.description ?? (status === 502 ? 'Bad Gateway' : 'Internal Server Error');
      const params = fault.fail.retryAfter !== undefined ? { retry_after: fault.fail.retryAfter } : undefined;
      this.sendError(res, method, new TelegramApiError(status, description, params));
      this.changed();
      return;
    }
    const ctx: RequestContext = { res };
    let params: Params;
    try {
      params = this.parseParams(req, url, q, body);
    } catch (err) {
      this.sendError(res, method, err as TelegramApiError);
      return;
    }
    const finish = (result: unknown, error?: TelegramApiError) => {
      if (fault?.drop) {
        this.counters.droppedConnections++;
        this.log(method, 0, ctx.chatId, 'dropped after delivery');
        res.socket?.destroy();
      } else if (error) {
        this.sendError(res, method, error, ctx.chatId);
      } else if (result !== NO_RESPONSE) {
        this.sendResult(res, method, result, ctx.chatId);
      }
      this.changed();
    };
    try {
      const result = handler(params, ctx);
      if (result instanceof Promise) {
        result.then(
          (r) => finish(r),
          (err: unknown) => finish(undefined, this.asApiError(err)),
        );
      } else {
        finish(result);
      }
    } catch (err) {
      finish(undefined, this.asApiError(err));
    }
  }

  private asApiError(err: unknown): TelegramApiError {
    if (err instanceof TelegramApiError) return err;
    return new TelegramApiError(
      500,
      `Internal Server Error: emulator bug: ${(err as Error)?.stack ?? String(err)}`,
    );
  }

  private takeFault(method: string): Fault | undefined {
    if (this.faults.length === 0) return undefined;
    for (let i = 0; i < this.faults.length; i++) {
      const f = this.faults[i]!;
      const applies = f.methods ? f.methods.has(method) : method !== 'getupdates';
      if (!applies) continue;
      f.remaining--;
      if (f.remaining <= 0) this.faults.splice(i, 1);
      return f;
    }
    return undefined;
  }

  private parseParams(req: IncomingMessage, url: string, q: number, body: Buffer): Params {
    const params: Params = {};
    if (q >= 0) for (const [k, v] of new URLSearchParams(url.slice(q + 1))) params[k] = v;
    if (body.length === 0) return params;
    const type = (req.headers['content-type'] ?? '').toLowerCase();
    if (type.startsWith('application/json')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        throw bad("can't parse JSON object");
      }
      if (!isObject(parsed)) throw bad("can't parse JSON object");
      Object.assign(params, parsed);
    } else if (type.startsWith('multipart/form-data')) {
      const boundary = multipartBoundary(req.headers['content-type'] ?? '');
      if (boundary) {
        const mp = parseMultipart(body, boundary);
        Object.assign(params, mp.fields);
        params[UPLOADS] = mp.files;
      }
    } else {
      for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params[k] = v;
    }
    return params;
  }

  private sendResult(res: ServerResponse, method: string, result: unknown, chatId?: number): void {
    const body = JSON.stringify({ ok: true, result });
    this.log(method, 200, chatId);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  private sendError(res: ServerResponse, method: string, err: TelegramApiError, chatId?: number): void {
    const envelope: Record<string, unknown> = {
      ok: false,
      error_code: err.errorCode,
      description: err.description,
    };
    if (err.parameters) envelope.parameters = err.parameters;
    const body = JSON.stringify(envelope);
    this.log(method, err.errorCode, chatId, err.description);
    if (res.destroyed) return;
    res.writeHead(err.errorCode, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  }

  private log(method: string, status: number, chatId?: number, description?: string): void {
    this.counters.requests++;
    this.byMethod.set(method, (this.byMethod.get(method) ?? 0) + 1);
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
    if (this.logRequests) {
      const rec: RequestRecord = { method, status, at: this.clock() };
      if (chatId !== undefined) rec.chatId = chatId;
      if (description !== undefined) rec.description = description;
      this.requestLog.push(rec);
    }
  }

  private download(path: string, res: ServerResponse): void {
    const prefix = `/file/bot${this.token}/`;
    const entry = path.startsWith(prefix)
      ? this.filesByPath.get(decodeURIComponent(path.slice(prefix.length)))
      : undefined;
    if (!path.startsWith(prefix.slice(0, -1))) {
      this.sendError(res, 'file', new TelegramApiError(404, 'Not Found'));
      return;
    }
    if (!path.startsWith(prefix)) {
      this.sendError(res, 'file', new TelegramApiError(401, 'Unauthorized'));
      return;
    }
    if (!entry) {
      this.sendError(res, 'file', new TelegramApiError(404, 'Not Found'));
      return;
    }
    const bytes = entry.bytes ?? Buffer.alloc(entry.size);
    this.log('file', 200);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
    res.end(bytes);
  }

  // ---------------------------------------------------------------- helpers for handlers

  private unixNow(): number {
    return Math.floor(this.clock() / 1000);
  }

  private chatFor(p: Params, ctx: RequestContext, key = 'chat_id'): UserState {
    const raw = p[key];
    if (raw === undefined || raw === null || raw === '') throw bad(`${key} is empty`);
    const id = pInt(p, key);
    if (id === undefined || Number.isNaN(id)) throw bad('chat not found');
    if (key === 'chat_id') ctx.chatId = id;
    const u = this.users.get(id);
    if (!u) throw bad('chat not found');
    return u;
  }

  private checkCanSend(u: UserState): void {
    if (u.deactivated) throw new TelegramApiError(403, 'Forbidden: user is deactivated');
    if (u.blocked) throw new TelegramApiError(403, 'Forbidden: bot was blocked by the user');
    if (!u.started) throw new TelegramApiError(403, "Forbidden: bot can't initiate conversation with a user");
  }

  private checkFlood(chatId: number, paid: boolean): void {
    if (!this.limits.rateLimits) return;
    const now = this.clock();
    const chatUntil = this.chatWaitUntil.get(chatId) ?? 0;
    const activeUntil = Math.max(this.globalWaitUntil, chatUntil);
    if (activeUntil > now) {
      this.counters.floodWaitViolations++;
      this.tooMany(Math.max(1, Math.ceil((activeUntil - now) / 1000)));
    }
    let bucket = this.chatBuckets.get(chatId);
    if (!bucket) {
      bucket = new TokenBucket(this.limits.perChatRate, this.limits.perChatBurst, now);
      this.chatBuckets.set(chatId, bucket);
    }
    const chatWait = bucket.take(now);
    if (chatWait > 0) {
      const retry = this.retryAfterFor(chatWait);
      if (this.limits.enforceRetryAfter) this.chatWaitUntil.set(chatId, now + retry * 1000);
      this.tooMany(retry);
    }
    const global = paid ? this.paidBucket : this.globalBucket;
    const globalWait = global.take(now);
    if (globalWait > 0) {
      bucket.refund();
      const retry = this.retryAfterFor(globalWait);
      if (this.limits.enforceRetryAfter) this.globalWaitUntil = now + retry * 1000;
      this.tooMany(retry);
    }
  }

  private retryAfterFor(waitMs: number): number {
    const r = this.limits.retryAfter;
    return r === 'auto' ? Math.max(1, Math.ceil(waitMs / 1000)) : r;
  }

  private tooMany(retryAfter: number): never {
    this.counters.rateLimited++;
    throw new TelegramApiError(429, `Too Many Requests: retry after ${retryAfter}`, {
      retry_after: retryAfter,
    });
  }

  private parseText(
    text: string,
    parseMode: string | undefined,
    explicit: unknown,
  ): { text: string; entities?: ParsedEntity[] } {
    if (Array.isArray(explicit) && explicit.length > 0) return { text, entities: explicit as ParsedEntity[] };
    const parsed = parseEntities(text, parseMode);
    if (!parsed.ok) throw new TelegramApiError(400, parsed.error);
    return parsed.entities.length > 0
      ? { text: parsed.text, entities: parsed.entities }
      : { text: parsed.text };
  }

  private replyTarget(p: Params, chat: ChatState): AnyMessage | undefined {
    const rp = pJson(p, 'reply_parameters', "can't parse reply parameters JSON object");
    let target: number | undefined;
    let allowWithout = pBool(p, 'allow_sending_without_reply');
    if (isObject(rp)) {
      target = typeof rp.message_id === 'number' ? rp.message_id : Number(rp.message_id);
      if (rp.allow_sending_without_reply === true) allowWithout = true;
    } else {
      target = pInt(p, 'reply_to_message_id');
    }
    if (target === undefined || Number.isNaN(target)) return undefined;
    const stored = chat.messages.get(target);
    if (!stored || stored.deleted) {
      if (allowWithout) return undefined;
      throw bad('message to be replied not found');
    }
    return this.shallowForReply(stored.message);
  }

  private shallowForReply(m: AnyMessage): AnyMessage {
    const { reply_to_message: _ignored, ...rest } = m;
    return structuredClone(rest) as AnyMessage;
  }

  /** Stores an outgoing message and its record. Rate limits must already have been checked. */
  private deliver(
    u: UserState,
    method: SendMethod,
    p: Params,
    content: Record<string, unknown>,
    extra: {
      replyMarkup?: ReplyMarkup;
      replyTo?: AnyMessage;
      rawText?: string;
      parseMode?: string;
      fileIds?: string[];
      copiedFrom?: { chatId: number; messageId: number };
    },
  ): AnyMessage {
    const chat = u.chat;
    const message: AnyMessage = {
      message_id: chat.nextMessageId++,
      from: this.botUser,
      chat: chat.chat,
      date: this.unixNow(),
      ...content,
    };
    if (extra.replyTo) message.reply_to_message = extra.replyTo;
    if (pBool(p, 'protect_content')) message.has_protected_content = true;
    if (extra.replyMarkup) message.reply_markup = extra.replyMarkup;
    const paid = pBool(p, 'allow_paid_broadcast');
    const record: DeliveredMessage = {
      chatId: chat.id,
      messageId: message.message_id,
      method,
      fileIds: extra.fileIds ?? [],
      date: message.date,
      sentAt: this.clock(),
      paidBroadcast: paid,
      deleted: false,
      editCount: 0,
      message: message as unknown as Message,
    };
    if (typeof content.text === 'string') record.text = content.text;
    if (typeof content.caption === 'string') record.caption = content.caption;
    const entities = (content.entities ?? content.caption_entities) as ParsedEntity[] | undefined;
    if (entities) record.entities = entities;
    if (extra.rawText !== undefined) record.rawText = extra.rawText;
    if (extra.parseMode) record.parseMode = extra.parseMode;
    if (extra.replyMarkup) record.replyMarkup = extra.replyMarkup;
    if (extra.copiedFrom) record.copiedFrom = extra.copiedFrom;
    chat.messages.set(message.message_id, { message, outgoing: true, deleted: false, record });
    this.delivered.push(record);
    this.countsByChat.set(chat.id, (this.countsByChat.get(chat.id) ?? 0) + 1);
    return message;
  }

  private captionOf(p: Params): { caption?: string; caption_entities?: ParsedEntity[]; raw?: string } {
    const raw = pStr(p, 'caption');
    if (raw === undefined || raw === '') return {};
    const parsed = this.parseText(
      raw,
      pStr(p, 'parse_mode'),
      pJson(p, 'caption_entities', "can't parse entities JSON object"),
    );
    if (charLength(parsed.text) > MAX_CAPTION) throw bad('message caption is too long');
    const out: { caption?: string; caption_entities?: ParsedEntity[]; raw?: string } = {
      caption: parsed.text,
      raw,
    };
    if (parsed.entities) out.caption_entities = parsed.entities;
    return out;
  }

  /** Resolves a media parameter: known file_id, HTTP URL, or an uploaded part (attach:// or direct). */
  private resolveMedia(p: Params, field: 'photo' | 'document' | 'video' | 'voice'): FileEntry {
    const uploads = (p[UPLOADS] ?? {}) as Record<string, UploadedPart>;
    const value = pStr(p, field);
    let upload: UploadedPart | undefined;
    if (value?.startsWith('attach://')) upload = uploads[value.slice('attach://'.length)];
    else if (value === undefined) upload = uploads[field];
    if (upload) {
      if (field === 'photo' && upload.bytes.length > 10 * 1024 * 1024) throw bad('PHOTO_INVALID_DIMENSIONS');
      const init = { bytes: upload.bytes };
      if (field === 'photo') return this.files.get(this.createPhoto(init, 1280, 960).at(-1)!.file_id)!;
      return this.createFile(field, init, {
        fileName: upload.fileName || undefined,
        mimeType: upload.contentType !== 'application/octet-stream' ? upload.contentType : undefined,
        ...(field === 'video' ? { width: 1280, height: 720, duration: 1 } : {}),
        ...(field === 'voice' ? { duration: 1 } : {}),
      });
    }
    if (value === undefined || value === '') throw bad(`there is no ${field} in the request`);
    const known = this.files.get(value);
    if (known) return known;
    if (/^https?:\/\/\S+$/i.test(value)) {
      if (field === 'photo') return this.files.get(this.createPhoto({ size: 0 }, 1280, 960).at(-1)!.file_id)!;
      const name = value.split('/').pop()?.split('?')[0] || undefined;
      const entry = this.createFile(field, { size: 0 }, { fileName: name });
      entry.url = value;
      return entry;
    }
    throw bad('wrong file identifier/HTTP URL specified');
  }

  private sendMedia(field: 'photo' | 'document' | 'video' | 'voice', method: SendMethod) {
    return (p: Params, ctx: RequestContext) => {
      const u = this.chatFor(p, ctx);
      const caption = this.captionOf(p);
      const replyMarkup = validateReplyMarkup(p);
      const entry = this.resolveMedia(p, field);
      this.checkCanSend(u);
      const replyTo = this.replyTarget(p, u.chat);
      this.checkFlood(u.chat.id, pBool(p, 'allow_paid_broadcast'));
      const content: Record<string, unknown> = {};
      let fileIds: string[];
      if (field === 'photo') {
        const sizes = entry.sizes ?? [];
        content.photo = sizes;
        fileIds = sizes.map((s) => s.file_id);
      } else {
        content[field] = this.mediaObject(entry);
        fileIds = [entry.fileId];
      }
      if (caption.caption !== undefined) content.caption = caption.caption;
      if (caption.caption_entities) content.caption_entities = caption.caption_entities;
      return this.deliver(u, method, p, content, {
        replyMarkup,
        replyTo,
        rawText: caption.raw,
        parseMode: pStr(p, 'parse_mode'),
        fileIds,
      });
    };
  }

  private editTarget(p: Params, ctx: RequestContext): { u: UserState; stored: StoredMessage } {
    if (p.inline_message_id !== undefined) throw bad('message to edit not found');
    const u = this.chatFor(p, ctx);
    const id = pInt(p, 'message_id');
    if (id === undefined) throw bad('message identifier is not specified');
    const stored = u.chat.messages.get(id);
    if (!stored || stored.deleted) throw bad('message to edit not found');
    if (!stored.outgoing) throw bad("message can't be edited");
    return { u, stored };
  }

  private recordEdit(
    stored: StoredMessage,
    method: EditRecord['method'],
    before: EditRecord['before'],
    patch: {
      text?: string;
      caption?: string;
      entities?: ParsedEntity[];
      rawText?: string;
      parseMode?: string;
    },
    replyMarkup: ReplyMarkup | undefined,
  ): AnyMessage {
    const m = stored.message;
    const rec = stored.record!;
    if (patch.text !== undefined) {
      m.text = patch.text;
      rec.text = patch.text;
      if (patch.entities) m.entities = patch.entities;
      else delete m.entities;
    }
    if (patch.caption !== undefined) {
      m.caption = patch.caption;
      rec.caption = patch.caption;
      if (patch.entities) m.caption_entities = patch.entities;
      else delete m.caption_entities;
    }
    if (patch.text !== undefined || patch.caption !== undefined) {
      rec.entities = patch.entities;
      rec.rawText = patch.rawText;
      rec.parseMode = patch.parseMode;
    }
    if (replyMarkup) m.reply_markup = replyMarkup;
    else delete m.reply_markup;
    rec.replyMarkup = replyMarkup;
    m.edit_date = this.unixNow();
    rec.editCount++;
    const after: EditRecord['after'] = {};
    if (rec.text !== undefined) after.text = rec.text;
    if (rec.caption !== undefined) after.caption = rec.caption;
    if (replyMarkup) after.replyMarkup = replyMarkup;
    this.edits.push({
      chatId: rec.chatId,
      messageId: rec.messageId,
      method,
      before,
      after,
      at: this.clock(),
    });
    return m;
  }

  private snapshot(rec: DeliveredMessage): EditRecord['before'] {
    const s: EditRecord['before'] = {};
    if (rec.text !== undefined) s.text = rec.text;
    if (rec.caption !== undefined) s.caption = rec.caption;
    if (rec.replyMarkup) s.replyMarkup = rec.replyMarkup;
    return s;
  }

  private deleteOne(u: UserState, id: number): boolean {
    const stored = u.chat.messages.get(id);
    if (!stored || stored.deleted) return false;
    stored.deleted = true;
    if (stored.record) stored.record.deleted = true;
    this.deletions.push({ chatId: u.chat.id, messageId: id, outgoing: stored.outgoing, at: this.clock() });
    return true;
  }

  private commandKey(scope: unknown, languageCode: string): string {
    return `${JSON.stringify(isObject(scope) ? scope : { type: 'default' })}|${languageCode}`;
  }

  // ---------------------------------------------------------------- long polling

  private flushPoller(): void {
    const poller = this.poller;
    if (!poller || this.updates.length === 0) return;
    this.answerPoller(poller, this.updates.slice(0, poller.limit));
  }

  private answerPoller(poller: Poller, result: Update[]): void {
    if (poller.done) return;
    poller.done = true;
    clearTimeout(poller.timer);
    if (this.poller === poller) this.poller = undefined;
    if (!poller.res.destroyed) this.sendResult(poller.res, 'getUpdates', result);
  }

  // ---------------------------------------------------------------- methods

  private buildHandlers(): Map<string, Handler> {
    const h: Record<string, Handler> = {
      getMe: () => this.botUser,
      logOut: () => true,
      close: () => true,

      getUpdates: (p, ctx) => {
        if (this.webhook) {
          throw new TelegramApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
          );
        }
        const offset = pInt(p, 'offset') ?? 0;
        if (offset > 0) {
          let drop = 0;
          while (drop < this.updates.length && this.updates[drop]!.update_id < offset) drop++;
          if (drop > 0) this.updates = this.updates.slice(drop);
        } else if (offset < 0) {
          this.updates = this.updates.slice(offset);
        }
        const rawLimit = pInt(p, 'limit');
        const limit =
          rawLimit === undefined || Number.isNaN(rawLimit) ? 100 : Math.min(100, Math.max(1, rawLimit));
        const timeout = Math.min(50, Math.max(0, pInt(p, 'timeout') || 0));
        const allowed = pJson(p, 'allowed_updates', "can't parse allowed updates");
        if (Array.isArray(allowed)) {
          this.allowedUpdates = allowed.length === 0 ? DEFAULT_ALLOWED : new Set(allowed.map(String));
        }
        if (this.poller) {
          const old = this.poller;
          old.done = true;
          clearTimeout(old.timer);
          this.poller = undefined;
          if (!old.res.destroyed) {
            this.sendError(
              old.res,
              'getUpdates',
              new TelegramApiError(
                409,
                'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
              ),
            );
          }
        }
        if (this.updates.length > 0 || timeout === 0 || this.closed) return this.updates.slice(0, limit);
        const poller: Poller = {
          res: ctx.res,
          limit,
          done: false,
          timer: setTimeout(() => this.answerPoller(poller, []), timeout * 1000),
        };
        // A client that aborts its long poll (grammY's bot.stop()) must not keep the slot.
        ctx.res.on('close', () => {
          if (!poller.done) {
            poller.done = true;
            clearTimeout(poller.timer);
            if (this.poller === poller) this.poller = undefined;
          }
        });
        this.poller = poller;
        return NO_RESPONSE;
      },

      setWebhook: (p) => {
        const url = pStr(p, 'url') ?? '';
        if (url === '') {
          this.webhook = undefined;
          return true;
        }
        if (!/^https:\/\//i.test(url) && !(this.localServer && /^http:\/\//i.test(url))) {
          throw bad('bad webhook: An HTTPS URL must be provided for webhook');
        }
        this.webhook = { url, params: { ...p } };
        if (pBool(p, 'drop_pending_updates')) this.updates = [];
        return true;
      },
      deleteWebhook: (p) => {
        this.webhook = undefined;
        if (pBool(p, 'drop_pending_updates')) this.updates = [];
        return true;
      },
      getWebhookInfo: () => ({
        url: this.webhook?.url ?? '',
        has_custom_certificate: false,
        pending_update_count: this.updates.length,
      }),

      sendMessage: (p, ctx) => {
        const u = this.chatFor(p, ctx);
        const raw = pStr(p, 'text');
        if (raw === undefined || raw.trim() === '') throw bad('message text is empty');
        const parsed = this.parseText(
          raw,
          pStr(p, 'parse_mode'),
          pJson(p, 'entities', "can't parse entities JSON object"),
        );
        if (parsed.text.trim() === '') throw bad('message text is empty');
        if (charLength(parsed.text) > MAX_TEXT) throw bad('message is too long');
        const replyMarkup = validateReplyMarkup(p);
        this.checkCanSend(u);
        const replyTo = this.replyTarget(p, u.chat);
        this.checkFlood(u.chat.id, pBool(p, 'allow_paid_broadcast'));
        const content: Record<string, unknown> = { text: parsed.text };
        if (parsed.entities) content.entities = parsed.entities;
        const preview = pJson(p, 'link_preview_options', "can't parse link preview options JSON object");
        if (isObject(preview)) content.link_preview_options = preview;
        return this.deliver(u, 'sendMessage', p, content, {
          replyMarkup,
          replyTo,
          rawText: raw,
          parseMode: pStr(p, 'parse_mode'),
        });
      },
      sendPhoto: this.sendMedia('photo', 'sendPhoto'),
      sendDocument: this.sendMedia('document', 'sendDocument'),
      sendVideo: this.sendMedia('video', 'sendVideo'),
      sendVoice: this.sendMedia('voice', 'sendVoice'),

      copyMessage: (p, ctx) => {
        const u = this.chatFor(p, ctx);
        const from = p.from_chat_id;
        if (from === undefined || from === null || from === '') throw bad('from_chat_id is empty');
        const fromId = pInt(p, 'from_chat_id');
        const source = fromId === undefined ? undefined : this.users.get(fromId);
        if (!source) throw bad('chat not found');
        const id = pInt(p, 'message_id');
        const stored = id === undefined ? undefined : source.chat.messages.get(id);
        if (!stored || stored.deleted) throw bad('message to copy not found');
        const captionOverride = p.caption !== undefined ? this.captionOf(p) : undefined;
        const replyMarkup = validateReplyMarkup(p);
        this.checkCanSend(u);
        const replyTo = this.replyTarget(p, u.chat);
        this.checkFlood(u.chat.id, pBool(p, 'allow_paid_broadcast'));
        const src = stored.message;
        const content: Record<string, unknown> = {};
        const fileIds: string[] = [];
        for (const key of [
          'text',
          'entities',
          'photo',
          'document',
          'video',
          'voice',
          'caption',
          'caption_entities',
        ]) {
          if (src[key] !== undefined) content[key] = structuredClone(src[key]);
        }
        if (captionOverride) {
          delete content.caption;
          delete content.caption_entities;
          if (captionOverride.caption !== undefined) content.caption = captionOverride.caption;
          if (captionOverride.caption_entities) content.caption_entities = captionOverride.caption_entities;
        }
        if (Array.isArray(content.photo))
          for (const s of content.photo as PhotoSize[]) fileIds.push(s.file_id);
        for (const key of ['document', 'video', 'voice']) {
          const media = content[key] as { file_id?: string } | undefined;
          if (media?.file_id) fileIds.push(media.file_id);
        }
        const record = stored.record;
        const message = this.deliver(u, 'copyMessage', p, content, {
          replyMarkup,
          replyTo,
          rawText:
            captionOverride?.raw ??
            record?.rawText ??
            (src.text as string | undefined) ??
            (src.caption as string | undefined),
          parseMode: captionOverride ? pStr(p, 'parse_mode') : record?.parseMode,
          fileIds,
          copiedFrom: { chatId: source.chat.id, messageId: src.message_id },
        });
        return { message_id: message.message_id };
      },

      editMessageText: (p, ctx) => {
        const { stored } = this.editTarget(p, ctx);
        const raw = pStr(p, 'text');
        if (raw === undefined || raw.trim() === '') throw bad('message text is empty');
        const parsed = this.parseText(
          raw,
          pStr(p, 'parse_mode'),
          pJson(p, 'entities', "can't parse entities JSON object"),
        );
        if (charLength(parsed.text) > MAX_TEXT) throw bad('message is too long');
        const replyMarkup = validateReplyMarkup(p);
        const m = stored.message;
        if (m.text === undefined) throw bad('there is no text in the message to edit');
        if (
          m.text === parsed.text &&
          sameJson(m.entities, parsed.entities) &&
          sameJson(m.reply_markup, replyMarkup)
        ) {
          throw new TelegramApiError(400, NOT_MODIFIED);
        }
        const before = this.snapshot(stored.record!);
        return this.recordEdit(
          stored,
          'editMessageText',
          before,
          { text: parsed.text, entities: parsed.entities, rawText: raw, parseMode: pStr(p, 'parse_mode') },
          replyMarkup,
        );
      },
      editMessageCaption: (p, ctx) => {
        const { stored } = this.editTarget(p, ctx);
        const caption = this.captionOf(p);
        const replyMarkup = validateReplyMarkup(p);
        const m = stored.message;
        if (m.text !== undefined) throw bad('there is no caption in the message to edit');
        const newCaption = caption.caption ?? '';
        if (
          (m.caption ?? '') === newCaption &&
          sameJson(m.caption_entities, caption.caption_entities) &&
          sameJson(m.reply_markup, replyMarkup)
        ) {
          throw new TelegramApiError(400, NOT_MODIFIED);
        }
        const before = this.snapshot(stored.record!);
        return this.recordEdit(
          stored,
          'editMessageCaption',
          before,
          {
            caption: newCaption,
            entities: caption.caption_entities,
            rawText: caption.raw,
            parseMode: pStr(p, 'parse_mode'),
          },
          replyMarkup,
        );
      },
      editMessageReplyMarkup: (p, ctx) => {
        const { stored } = this.editTarget(p, ctx);
        const replyMarkup = validateReplyMarkup(p);
        if (sameJson(stored.message.reply_markup, replyMarkup)) throw new TelegramApiError(400, NOT_MODIFIED);
        return this.recordEdit(
          stored,
          'editMessageReplyMarkup',
          this.snapshot(stored.record!),
          {},
          replyMarkup,
        );
      },

      deleteMessage: (p, ctx) => {
        const u = this.chatFor(p, ctx);
        const id = pInt(p, 'message_id');
        if (id === undefined) throw bad('message identifier is not specified');
        if (!this.deleteOne(u, id)) throw bad('message to delete not found');
        return true;
      },
      deleteMessages: (p, ctx) => {
        const u = this.chatFor(p, ctx);
        const ids = pJson(p, 'message_ids', "can't parse message identifiers JSON object");
        if (!Array.isArray(ids) || ids.length < 1 || ids.length > 100)
          throw bad('message identifiers are not specified');
        for (const id of ids) this.deleteOne(u, Number(id));
        return true;
      },

      answerCallbackQuery: (p) => {
        const id = pStr(p, 'callback_query_id');
        const rec = id ? this.callbacks.get(id) : undefined;
        if (!rec || rec.answer)
          throw bad('query is too old and response timeout expired or query ID is invalid');
        const text = pStr(p, 'text');
        if (text !== undefined && charLength(text) > 200) throw bad('MESSAGE_TOO_LONG');
        const answer: NonNullable<CallbackRecord['answer']> = {
          showAlert: pBool(p, 'show_alert'),
          at: this.clock(),
        };
        if (text !== undefined) answer.text = text;
        const url = pStr(p, 'url');
        if (url !== undefined) answer.url = url;
        const cache = pInt(p, 'cache_time');
        if (cache !== undefined) answer.cacheTime = cache;
        rec.answer = answer;
        return true;
      },

      getFile: async (p) => {
        const id = pStr(p, 'file_id');
        if (!id) throw bad('file_id is empty');
        const entry = this.files.get(id);
        if (!entry) throw bad('invalid file_id');
        if (!this.localServer && entry.size > PUBLIC_DOWNLOAD_LIMIT) throw bad('file is too big');
        if (!entry.filePath) {
          const rel = `${FOLDERS[entry.kind]}/file_${this.filePathCounter++}${extensionFor(entry)}`;
          if (this.localServer) {
            const dir = await this.ensureLocalDir();
            const abs = join(dir, rel);
            await mkdir(join(dir, FOLDERS[entry.kind]), { recursive: true });
            await writeFile(abs, entry.bytes ?? Buffer.alloc(entry.size));
            entry.filePath = abs;
          } else {
            entry.filePath = rel;
          }
          this.filesByPath.set(entry.filePath, entry);
        }
        const file: TelegramFile = {
          file_id: entry.fileId,
          file_unique_id: entry.fileUniqueId,
          file_size: entry.size,
        };
        file.file_path = entry.filePath;
        return file;
      },

      sendChatAction: (p, ctx) => {
        const u = this.chatFor(p, ctx);
        if (!pStr(p, 'action')) throw bad('action is empty');
        this.checkCanSend(u);
        return true;
      },
      getChat: (p, ctx) => {
        const u = this.chatFor(p, ctx);
        return { ...u.chat.chat, accent_color_id: 0, max_reaction_count: 11, accepted_gift_types: {} };
      },

      setMyCommands: (p) => {
        const commands = pJson(p, 'commands', "can't parse commands JSON object");
        if (!Array.isArray(commands)) throw bad('commands must be an Array');
        if (commands.length > 100) throw bad('too many commands');
        const clean: BotCommand[] = [];
        for (const c of commands) {
          if (!isObject(c) || typeof c.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command)) {
            throw bad('BOT_COMMAND_INVALID');
          }
          if (
            typeof c.description !== 'string' ||
            c.description.trim() === '' ||
            charLength(c.description) > 256
          ) {
            throw bad('BOT_COMMAND_DESCRIPTION_INVALID');
          }
          clean.push({ command: c.command, description: c.description });
        }
        const scope = pJson(p, 'scope', "can't parse BotCommandScope JSON object");
        this.commands.set(this.commandKey(scope, pStr(p, 'language_code') ?? ''), clean);
        return true;
      },
      getMyCommands: (p) => {
        const scope = pJson(p, 'scope', "can't parse BotCommandScope JSON object");
        return this.commands.get(this.commandKey(scope, pStr(p, 'language_code') ?? '')) ?? [];
      },
      deleteMyCommands: (p) => {
        const scope = pJson(p, 'scope', "can't parse BotCommandScope JSON object");
        this.commands.delete(this.commandKey(scope, pStr(p, 'language_code') ?? ''));
        return true;
      },
    };
    return new Map(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
  }

  private async ensureLocalDir(): Promise<string> {
    if (!this.localDir) {
      this.localDir = await mkdtemp(join(tmpdir(), 'tg-emulator-'));
      this.ownsLocalDir = true;
    }
    return this.localDir;
  }
}

/** Marker a handler returns when it answers the request itself (long polling). */
const NO_RESPONSE = Symbol('no response');
/** Key under which multipart file parts travel with the params. */
const UPLOADS = '\u0000uploads';

/**
 * Starts an emulator on 127.0.0.1 (random port unless `port` is given). Point grammY at it with
 * `new Bot(token, { client: { apiRoot: emu.apiRoot } })`, and call `emu.close()` when done.
 */
export async function startTelegramEmulator(
  options: TelegramEmulatorOptions = {},
): Promise<TelegramEmulator> {
  let emulator: TelegramEmulator | undefined;
  const server = createServer((req, res) => emulator!.handle(req, res));
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 70_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('Telegram emulator: no TCP address');
  emulator = new TelegramEmulator(server, `http://127.0.0.1:${address.port}`, options);
  return emulator;
}
