/**
 * The bot area in a real browser against the real server, which runs without a Telegram token: the
 * administrator sees that the bot is not configured and the counts (zero), publishes a new questionnaire
 * version after fixing a validation error, creates an instruction template and sees its preview rendered
 * safely, composes a broadcast and sees that no subscriber matches (so nothing can be sent), and reads the
 * overview in Belarusian; a reviewer then reads the same pages without any control that changes them. Then a second server runs the bot against the Telegram emulator with synthetic
 * subscribers: the counts appear, a broadcast is composed with the recipient count named in the
 * confirmation, paused, found paused after a reload, resumed and finished (each subscriber gets it once, in
 * their language); another is cancelled after a confirmation.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onboard } from '../../src/bot/test-helpers.js';
import { startTelegramEmulator, type TelegramEmulator } from '../telegram/emulator.js';
import {
  callApi,
  closeNotifications,
  firstLogin,
  launchBrowser,
  openContext,
  type RunningServer,
  screenshot,
  startServer,
} from './harness.js';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('the bot area without a Telegram token', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('shows counts, publishes a questionnaire, previews a template, composes a broadcast; reviewers only read', async () => {
    const { page, watchdog } = await openContext(browser, server.baseUrl);
    await firstLogin(page, 'admin', server.adminPassword);
    await page.getByTestId('language-switch').getByText('Eng').click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    const nav = page.getByRole('navigation', { name: 'Main navigation' });

    // Overview: the bot is not configured here, and nobody has subscribed; the labels come from the questionnaire.
    await nav.getByRole('link', { name: 'Subscribers' }).click();
    await expect.poll(() => page.getByTestId('bot-configured').getAttribute('data-configured')).toBe('false');
    expect(await page.getByTestId('bot-configured').textContent()).toBe('Not configured');
    expect(await page.getByTestId('bot-not-configured').textContent()).toContain('TELEGRAM_BOT_TOKEN');
    expect(await page.getByTestId('bot-default-rate').textContent()).toBe('30/s');
    expect(await page.getByTestId('subscribers-confirmed').textContent()).toBe('0');
    await expect.poll(() => page.getByTestId('stats-segments').textContent()).toContain('Street actions');
    expect(await page.getByTestId('stats-regions').textContent()).toContain('Brest region');
    expect(await page.getByTestId('stats-regions').textContent()).toContain('Not stated');

    // Questionnaire: version 1 is the default; a cleared text is caught at its field before publishing.
    await nav.getByRole('link', { name: 'Questionnaire' }).click();
    await expect.poll(() => page.getByTestId('questionnaire-version').textContent()).toBe('Version 1');
    const regionTextRu = page.locator('input[name="questions.0.text.ru"]');
    await regionTextRu.fill('');
    await page.getByTestId('questionnaire-publish').click();
    await expect.poll(() => regionTextRu.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('dialog').count()).toBe(0);
    await regionTextRu.fill('Где вы живёте? Достаточно области.');
    // A new answer with its own segment on the participation question (after its five, "prefer not to say" last).
    await page.getByTestId('questions.1.add-option').click();
    const option = 'questions.1.options.5';
    await page.locator(`input[name="${option}.id"]`).fill('legal-aid');
    await page.locator(`input[name="${option}.label.be"]`).fill('Юрыдычная дапамога');
    await page.locator(`input[name="${option}.label.ru"]`).fill('Юридическая помощь');
    await page.locator(`input[name="${option}.label.en"]`).fill('Legal aid');
    await page.locator(`input[name="${option}.segment"]`).fill('legal-aid');
    await page.getByTestId('questionnaire-publish').click();
    const publishDialog = page.getByRole('dialog');
    expect(await publishDialog.textContent()).toContain('Publish version 2?');
    await publishDialog.getByTestId('confirm').click();
    await expect.poll(() => page.getByTestId('questionnaire-version').textContent()).toBe('Version 2');
    await page.reload();
    await expect.poll(() => page.locator(`input[name="${option}.label.en"]`).inputValue()).toBe('Legal aid');
    await closeNotifications(page);
    await screenshot(page, 'bot-questionnaire-light');

    // Templates: a template in three languages; the preview renders Telegram HTML as elements, never markup.
    await nav.getByRole('link', { name: 'Instructions' }).click();
    await page.getByTestId('templates-empty').waitFor();
    await page.getByTestId('template-new').click();
    await page.locator('input[name="templateName"]').fill('Legal aid: what to do when detained');
    await page.getByTestId('template-segment').click();
    await page.getByRole('option', { name: /Legal aid \(legal-aid\)/ }).click();
    const texts = {
      be: '<b>Калі вас затрымалі</b>\nНазавіце сваё імя і папрасіце <i>адваката</i>.\n<img src=x onerror=alert(1)>',
      ru: '<b>Если вас задержали</b>\nНазовите своё имя и попросите <i>адвоката</i>.',
      en: '<b>If you are detained</b>\nGive your name and ask for <i>a lawyer</i>. Details: <a href="https://example.org/help">help</a>',
    };
    for (const language of ['be', 'ru', 'en'] as const) {
      await page.getByTestId(`template-tab-${language}`).click();
      await page.locator(`textarea[name="versions.${language}.text"]`).fill(texts[language]);
    }
    await page.getByTestId('template-tab-be').click();
    const previewBe = page.getByTestId('template-preview-be');
    await expect.poll(() => previewBe.locator('strong').textContent()).toBe('Калі вас затрымалі');
    expect(await previewBe.locator('em').textContent()).toBe('адваката');
    expect(await previewBe.locator('img').count()).toBe(0);
    expect(await previewBe.textContent()).toContain('<img src=x onerror=alert(1)>');
    expect(await page.getByTestId('preview-problems').textContent()).toContain('<img>');
    // Fix the text as Telegram demands, then save.
    await page.locator('textarea[name="versions.be.text"]').fill(texts.be.replace(/\n<img.*$/, ''));
    expect(await page.getByTestId('preview-problems').count()).toBe(0);
    await page.getByTestId('template-save').click();
    await page.getByTestId('templates-table').getByText('Legal aid: what to do when detained').waitFor();
    await page.getByTestId('template-tab-en').click();
    const previewEn = page.getByTestId('template-preview-en');
    await expect.poll(() => previewEn.locator('strong').textContent()).toBe('If you are detained');
    expect(await previewEn.locator('a').count()).toBe(0);
    expect(await previewEn.locator('.tg-link').textContent()).toBe('help');
    await closeNotifications(page);
    await screenshot(page, 'bot-template-light');

    // Composer: the new segment is offered; nobody matches, so the count says 0 and nothing can be sent.
    await nav.getByRole('link', { name: 'Broadcasts' }).click();
    await page.getByTestId('broadcasts-empty').waitFor();
    await page.getByTestId('broadcast-new').click();
    await expect.poll(() => page.getByTestId('recipient-count').textContent()).toBe('0');
    await page.getByTestId('composer-segments').click();
    await page.getByRole('option', { name: 'Legal aid' }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('composer-template').click();
    await page.getByRole('option', { name: 'Legal aid: what to do when detained' }).click();
    await expect
      .poll(() => page.getByTestId('composer-preview-ru').locator('strong').textContent())
      .toBe('Если вас задержали');
    const counted = watchdog.requests.filter(
      (request) => request === `POST ${server.baseUrl}/api/bot/audience/count`,
    );
    expect(counted.length).toBeGreaterThanOrEqual(2);
    await expect.poll(() => page.getByTestId('recipient-count').textContent()).toBe('0');
    expect(await page.getByTestId('no-recipients').textContent()).toContain('nobody to send to');
    expect(await page.getByTestId('no-recipients').textContent()).toContain('not configured');
    expect(await page.getByTestId('composer-review').isDisabled()).toBe(true);
    // The server agrees: a broadcast to nobody is refused with a code.
    const refused = await callApi<{ error?: { code?: string } }>(page, 'POST', '/api/bot/broadcasts', {
      audience: { segments: ['legal-aid'] },
      content: {
        versions: {
          be: { text: 'Тэст', parseMode: null },
          ru: { text: 'Тест', parseMode: null },
          en: { text: 'Test', parseMode: null },
        },
      },
    });
    expect({ status: refused.status, code: refused.json.error?.code }).toEqual({
      status: 400,
      code: 'SVD_BOT_AUDIENCE_EMPTY',
    });
    await page.getByTestId('color-scheme-toggle').click();
    await expect.poll(() => page.locator('html').getAttribute('data-mantine-color-scheme')).toBe('dark');
    await page.mouse.move(1, 799);
    await screenshot(page, 'bot-broadcast-dark');
    await page.getByTestId('color-scheme-toggle').click();

    // Belarusian: the overview with the questionnaire's Belarusian labels, the new segment included.
    await page.getByTestId('language-switch').getByText('Бел').click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('be');
    await page
      .getByRole('navigation', { name: 'Асноўная навігацыя' })
      .getByRole('link', { name: 'Падпісчыкі' })
      .click();
    await expect.poll(() => page.getByTestId('bot-configured').textContent()).toBe('Не наладжаны');
    await expect.poll(() => page.getByTestId('stats-segments').textContent()).toContain('Юрыдычная дапамога');
    expect(await page.getByTestId('stats-segments').textContent()).toContain('Вулічныя акцыі');
    expect(await page.getByTestId('stats-regions').textContent()).toContain('Брэсцкая вобласць');
    await closeNotifications(page);
    await screenshot(page, 'bot-overview-be');

    // A reviewer reads the same pages but changes nothing: no publish, no new template, no new broadcast.
    const reviewerPassword = (
      await callApi<{ oneTimePassword: string }>(page, 'POST', '/api/users', {
        username: 'reviewer1',
        displayName: 'Test Reviewer',
        role: 'reviewer',
      })
    ).json.oneTimePassword;
    watchdog.assertClean();
    const reviewer = await openContext(browser, server.baseUrl);
    await firstLogin(reviewer.page, 'reviewer1', reviewerPassword);
    const view = reviewer.page;
    await view.goto('/bot/questionnaire');
    await expect.poll(() => view.getByTestId('questionnaire-version').textContent()).toBe('Версія 2');
    expect(await view.locator('input[name="questions.1.options.5.label.be"]').inputValue()).toBe(
      'Юрыдычная дапамога',
    );
    expect(
      await view.locator('input[name="questions.1.options.5.label.be"]').getAttribute('readonly'),
    ).not.toBeNull();
    expect(await view.getByTestId('questionnaire-publish').count()).toBe(0);
    expect(await view.getByTestId('add-question').count()).toBe(0);
    await view.goto('/bot/templates');
    await view.getByTestId('templates-table').getByText('Legal aid: what to do when detained').click();
    await expect
      .poll(() => view.getByTestId('template-preview-be').locator('strong').textContent())
      .toBe('Калі вас затрымалі');
    expect(await view.getByTestId('template-new').count()).toBe(0);
    expect(await view.getByTestId('template-save').count()).toBe(0);
    await view.goto('/bot/broadcasts');
    await view.getByTestId('broadcasts-empty').waitFor();
    expect(await view.getByTestId('broadcast-new').count()).toBe(0);
    reviewer.watchdog.assertClean();
    await reviewer.context.close();
  });
});

describe('the bot area with a bot running against the Telegram emulator', () => {
  let server: RunningServer;
  let emu: TelegramEmulator;
  // Synthetic subscribers (emulator users only): language, region and participation.
  const citizens = [
    { id: 720_000_001, language: 'be', region: 'brest', participation: ['street'] },
    { id: 720_000_002, language: 'be', region: 'brest', participation: ['street', 'documentation'] },
    { id: 720_000_003, language: 'ru', region: 'gomel', participation: ['quiet'] },
    { id: 720_000_004, language: 'ru', region: 'minsk-city', participation: ['street', 'workplace'] },
    { id: 720_000_005, language: 'en', region: 'undisclosed', participation: ['documentation'] },
    { id: 720_000_006, language: 'be', region: 'vitebsk', participation: ['quiet', 'workplace'] },
  ] as const;
  const message = {
    be: 'Сход у нядзелю адменены.',
    ru: 'Сход в воскресенье отменён.',
    en: 'The Sunday meeting is cancelled.',
  };

  beforeAll(async () => {
    emu = await startTelegramEmulator({ rateLimits: false });
    const env: Record<string, string> = {
      TELEGRAM_BOT_TOKEN: emu.token,
      TELEGRAM_API_ROOT: emu.apiRoot,
      SVIEDKA_BOT_IN_SERVE: 'true',
      SVIEDKA_BROADCAST_LEASE_SECONDS: '2',
      SVIEDKA_BROADCAST_TIMEOUT_MS: '1000',
    };
    const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
    Object.assign(process.env, env);
    try {
      server = await startServer();
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
    for (const citizen of citizens)
      await onboard(emu, citizen.id, citizen.language, citizen.region, [...citizen.participation]);
  });

  afterAll(async () => {
    await server?.stop();
    await emu?.close();
  });

  it('counts subscribers, sends a broadcast with pause and resume, and cancels another', async () => {
    const { page, watchdog } = await openContext(browser, server.baseUrl);
    await firstLogin(page, 'admin', server.adminPassword);
    await page.getByTestId('language-switch').getByText('Eng').click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    const nav = page.getByRole('navigation', { name: 'Main navigation' });

    await nav.getByRole('link', { name: 'Subscribers' }).click();
    await expect.poll(() => page.getByTestId('bot-configured').getAttribute('data-configured')).toBe('true');
    await expect.poll(() => page.getByTestId('subscribers-confirmed').textContent()).toBe('6');
    const streetRow = page.getByTestId('stats-segments').locator('tr[data-code="street"]');
    expect(await streetRow.textContent()).toContain('3');
    expect(await page.getByTestId('stats-regions').locator('tr[data-code="brest"]').textContent()).toContain(
      '2',
    );
    expect(await page.getByTestId('stats-languages').textContent()).toContain('Belarusian3');

    // Compose to everyone at 1 message per second, with an own text in each language.
    await nav.getByRole('link', { name: 'Broadcasts' }).click();
    await page.getByTestId('broadcast-new').click();
    await expect.poll(() => page.getByTestId('recipient-count').textContent()).toBe('6');
    await page.getByTestId('composer-region').click();
    await page.getByRole('option', { name: 'Brest region' }).click();
    await expect.poll(() => page.getByTestId('recipient-count').textContent()).toBe('2');
    // Choosing the same region again clears it.
    await page.getByTestId('composer-region').click();
    await page.getByRole('option', { name: 'Brest region' }).click();
    await expect.poll(() => page.getByTestId('recipient-count').textContent()).toBe('6');
    await page.getByTestId('composer-source').getByText('Own text').click();
    for (const [language, name] of [
      ['be', 'Belarusian'],
      ['ru', 'Russian'],
      ['en', 'English'],
    ] as const) {
      await page.getByRole('tab', { name }).click();
      await page.locator(`textarea[name="text.${language}"]`).fill(message[language]);
    }
    await page.locator('input[name="rate"]').fill('1');
    await page.getByTestId('composer-review').click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByTestId('confirm-count').textContent()).toContain('Recipients: 6');
    await dialog.getByTestId('confirm').click();
    await page.waitForURL(/\/bot\/broadcasts\/[0-9a-f-]{36}$/);

    // The page follows the progress; pause midway. The state lives on the server, so a reload finds it paused.
    await expect
      .poll(async () => Number(await page.getByTestId('count-sent').textContent()), { timeout: 20_000 })
      .toBeGreaterThanOrEqual(2);
    await page.getByTestId('broadcast-pause').click();
    await expect.poll(() => page.getByTestId('broadcast-state').textContent()).toBe('Paused');
    await page.reload();
    await expect.poll(() => page.getByTestId('broadcast-state').textContent()).toBe('Paused');
    expect(await page.getByTestId('broadcast-resume').isVisible()).toBe(true);
    const sentWhilePaused = await page.getByTestId('count-sent').textContent();
    expect(Number(sentWhilePaused)).toBeLessThan(6);
    await page.waitForTimeout(2_500);
    expect(await page.getByTestId('count-sent').textContent()).toBe(sentWhilePaused);
    await closeNotifications(page);
    await screenshot(page, 'bot-broadcast-paused-light');
    await page.getByTestId('broadcast-resume').click();
    await expect
      .poll(() => page.getByTestId('broadcast-state').textContent(), { timeout: 60_000 })
      .toBe('Finished');
    expect(await page.getByTestId('count-sent').textContent()).toBe('6');
    expect(await page.getByTestId('count-failed').textContent()).toBe('0');
    for (const citizen of citizens) {
      const received = emu
        .messagesTo(citizen.id)
        .filter((m) => Object.values(message).includes(m.text ?? ''));
      expect(received.map((m) => m.text)).toEqual([message[citizen.language]]);
    }

    // A second broadcast, to one segment, cancelled after the confirmation names what stays unsent.
    await nav.getByRole('link', { name: 'Broadcasts' }).click();
    await page.getByTestId('broadcasts-table').locator('tr', { hasText: 'Finished' }).waitFor();
    await closeNotifications(page);
    await screenshot(page, 'bot-broadcasts-light');
    await page.getByTestId('broadcast-new').click();
    await page.getByTestId('composer-segments').click();
    await page.getByRole('option', { name: 'Street actions' }).click();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('recipient-count').textContent()).toBe('3');
    await page.getByTestId('composer-source').getByText('Own text').click();
    for (const [language, name] of [
      ['be', 'Belarusian'],
      ['ru', 'Russian'],
      ['en', 'English'],
    ] as const) {
      await page.getByRole('tab', { name }).click();
      await page.locator(`textarea[name="text.${language}"]`).fill(`${message[language]} (2)`);
    }
    await page.locator('input[name="rate"]').fill('1');
    await page.getByTestId('composer-review').click();
    await page.getByRole('dialog').getByTestId('confirm').click();
    await page.waitForURL(/\/bot\/broadcasts\/[0-9a-f-]{36}$/);
    await page.getByTestId('broadcast-cancel').click();
    const cancelDialog = page.getByRole('dialog');
    expect(await cancelDialog.textContent()).toContain('cannot be undone');
    await cancelDialog.getByTestId('confirm').click();
    await expect.poll(() => page.getByTestId('broadcast-state').textContent()).toBe('Cancelled');
    await expect
      .poll(
        async () => {
          const count = async (id: string) => Number(await page.getByTestId(id).textContent());
          return (
            (await count('count-sent')) +
            (await count('count-failed')) +
            (await count('count-unknown')) +
            (await count('count-cancelled'))
          );
          // A delivery the worker had already marked as sending settles when the worker sees the cancel.
        },
        { timeout: 15_000 },
      )
      .toBe(3);
    expect(await page.getByTestId('broadcast-pause').count()).toBe(0);

    watchdog.assertClean();
  });
});
