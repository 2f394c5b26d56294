/**
 * The bot area: `createBot(platform, { evidence })` returns the service, the HTTP routes, factories for
 * the grammY bot and the broadcast worker, and start/stop hooks (used only when the serve process is
 * asked to run the bot, SVIEDKA_BOT_IN_SERVE). The bot process and the worker are built separately so
 * a deployment can run the internet-facing bot without the broadcast secret key.
 */
import type { Bot } from 'grammy';
import type { Principal } from '../platform/auth/model.js';
import type { App } from '../platform/http/app.js';
import type { Platform } from '../platform/platform.js';
import { type EvidenceSink, inboxSink, vaultSink } from './evidence-sink.js';
import { loadBroadcastPublicKey } from './keys.js';
import type { EvidenceIntake } from './model.js';
import type { PollingHandle } from './polling.js';
import { BotService } from './service.js';
import { type BotSettings, loadBotSettings } from './settings.js';
import { BotStore } from './store.js';
import type { BroadcastWorker } from './worker.js';

export type { BotService } from './service.js';
export type { BotSettings } from './settings.js';

export interface BotDeps {
  /** The evidence vault (areas.evidence) when it is wired in; otherwise files wait in the bot inbox. */
  evidence?: EvidenceIntake | undefined;
  env?: NodeJS.ProcessEnv;
}

/** Builds the bot area. */
export async function createBot(platform: Platform, deps: BotDeps = {}) {
  const settings: BotSettings = loadBotSettings(platform.config.dataDir, deps.env ?? process.env);
  if (platform.config.publicUrl) settings.submitUrl = new URL('/submit', platform.config.publicUrl).href;
  const store = new BotStore(platform.database.db);
  let publicKey: Uint8Array | undefined;
  const service = new BotService({
    store,
    keys: platform.keys,
    audit: platform.audit,
    settings,
    logger: platform.logger.child({ area: 'bot' }),
    publicKey: () => {
      publicKey ??= loadBroadcastPublicKey(settings);
      return publicKey;
    },
  });
  const evidenceSink = (): EvidenceSink =>
    deps.evidence ? vaultSink(deps.evidence) : inboxSink(settings.inboxDir);

  /** The interactive bot (public key only). */
  const createTelegram = async (): Promise<Bot> => {
    const [{ createTelegramBot }, { SendBudget }] = await Promise.all([
      import('./telegram-bot.js'),
      import('./send-budget.js'),
    ]);
    const logger = platform.logger.child({ area: 'bot' });
    // Replies are not paid broadcasts: they stay within the free bot-wide rate.
    const budget = new SendBudget({ schedule: store, rate: Math.min(settings.rate, 30), logger });
    return createTelegramBot({ service, settings, logger, evidence: evidenceSink(), budget });
  };

  /** Durable long polling of `bot` with concurrent handling (polling.ts). */
  const startPolling = async (bot: Bot, options: { concurrency?: number } = {}): Promise<PollingHandle> => {
    const polling = await import('./polling.js');
    return polling.startPolling(bot, { service, logger: platform.logger.child({ area: 'bot' }), ...options });
  };

  /** The broadcast worker: the only part that loads the broadcast secret key. */
  const createWorker = async (overrides: Partial<BotSettings> = {}): Promise<BroadcastWorker> => {
    const effective = { ...settings, ...overrides };
    if (!effective.token) {
      const { AppError } = await import('../platform/errors.js');
      throw new AppError('SVD_BOT_NOT_CONFIGURED');
    }
    const [{ loadChatOpener }, { createBotApiCaller }, { BroadcastWorker }] = await Promise.all([
      import('./broadcast-secret.js'),
      import('./telegram-client.js'),
      import('./worker.js'),
    ]);
    return new BroadcastWorker({
      store,
      service,
      opener: loadChatOpener(effective),
      caller: createBotApiCaller({
        apiRoot: effective.apiRoot,
        token: effective.token,
        timeoutMs: effective.requestTimeoutMs,
        maxSockets: 256,
      }),
      settings: effective,
      logger: platform.logger.child({ area: 'broadcast' }),
    });
  };

  let running: { polling: PollingHandle; worker: BroadcastWorker } | undefined;

  return {
    service,
    settings,
    evidenceSink,
    createTelegram,
    startPolling,
    createWorker,
    routes: async (app: App) => (await import('./routes.js')).botRoutes(service)(app),
    summary: async (principal: Principal) => {
      if (principal.type !== 'user' || principal.role !== 'admin') return undefined;
      const [stats, broadcasts] = await Promise.all([service.stats(), service.listBroadcasts()]);
      return {
        counts: { subscribers: stats.confirmed, broadcasts: broadcasts.length },
        waiting: [
          {
            key: 'pausedBroadcasts',
            count: broadcasts.filter((b) => b.state === 'paused').length,
            path: '/bot/broadcasts',
          },
        ],
      };
    },
    /** Demo subscribers, templates and a finished broadcast (run by the demo content job). */
    seedDemo: async () => {
      if ((await service.stats()).total > 0) return;
      const { seedBotDemo } = await import('./demo.js');
      await seedBotDemo(service, store, { type: 'system', label: 'demo data' });
    },
    start: async () => {
      if (!settings.inServe || !settings.token) return;
      const bot = await createTelegram();
      const worker = await createWorker();
      const polling = await startPolling(bot);
      worker.start();
      running = { polling, worker };
    },
    stop: async () => {
      if (!running) return;
      await running.polling.stop();
      await running.worker.stop();
      running = undefined;
    },
  };
}

export type BotArea = Awaited<ReturnType<typeof createBot>>;
