/** Pure helpers for broadcast progress and rates: shares of the bar, time left, what the composer allows. */
import type { BotStatus, BroadcastProgress, BroadcastState } from './types.js';

/** The free Bot API limit, and the ceiling with paid broadcasts (messages per second). */
export const FREE_RATE_LIMIT = 30;
export const PAID_RATE_LIMIT = 1000;

export interface DurationUnits {
  hours: string;
  minutes: string;
  seconds: string;
}

/**
 * "1 h 51 min", "3 min 20 s", "45 s": the two largest units, rounded up to the second so "0 s" only means
 * done. Unit words come from the caller (translations); numbers are formatted by `number`.
 */
export function formatDuration(
  totalSeconds: number,
  units: DurationUnits,
  number: (value: number) => string = String,
): string {
  const seconds = Math.max(0, Math.ceil(totalSeconds));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) return `${number(hours)} ${units.hours} ${number(minutes)} ${units.minutes}`;
  if (minutes > 0)
    return rest > 0
      ? `${number(minutes)} ${units.minutes} ${number(rest)} ${units.seconds}`
      : `${number(minutes)} ${units.minutes}`;
  return `${number(rest)} ${units.seconds}`;
}

/** Seconds a broadcast to `recipients` takes at `rate` per second (the composer's estimate). */
export function estimatedSeconds(recipients: number, rate: number): number {
  return rate > 0 ? recipients / rate : 0;
}

/** Messages still to go out (waiting or leaving now). */
export function remaining(progress: Pick<BroadcastProgress, 'pending' | 'sending'>): number {
  return progress.pending + progress.sending;
}

export interface ProgressShares {
  sent: number;
  failed: number;
  unknown: number;
  cancelled: number;
  /** Share of recipients whose outcome is settled (everything but pending and sending), 0–100. */
  settled: number;
}

/**
 * Percentages of the total for a stacked progress bar. Subscribers erased while a broadcast runs leave the
 * rows (and the total keeps them), so the shares are of the rows counted, never more than 100.
 */
export function progressShares(
  progress: Pick<
    BroadcastProgress,
    'total' | 'sent' | 'failed' | 'unknown' | 'cancelled' | 'pending' | 'sending'
  >,
): ProgressShares {
  const counted =
    progress.sent + progress.failed + progress.unknown + progress.cancelled + remaining(progress);
  const base = Math.max(progress.total, counted, 1);
  const share = (value: number) => (value / base) * 100;
  const settled = progress.sent + progress.failed + progress.unknown + progress.cancelled;
  return {
    sent: share(progress.sent),
    failed: share(progress.failed),
    unknown: share(progress.unknown),
    cancelled: share(progress.cancelled),
    settled: Math.min(100, share(settled)),
  };
}

/** States whose counts still change, so the page polls. */
export function isLive(state: BroadcastState): boolean {
  return state === 'running' || state === 'paused';
}

/**
 * How often to ask the server again: often while sending, rarely while paused, never once ended and
 * settled. A broadcast cancelled with sends in flight is asked again until their outcomes are in.
 */
export function pollInterval(
  progress: Pick<BroadcastProgress, 'state' | 'sending'> | undefined,
): number | false {
  if (progress?.state === 'running') return 2_000;
  if (progress?.state === 'paused') return 10_000;
  if (progress && progress.sending > 0) return 2_000;
  return false;
}

/** The highest rate the composer may ask for, given the bot's settings and the paid switch. */
export function maxRate(status: Pick<BotStatus, 'paidBroadcasts'>, paid: boolean): number {
  return paid && status.paidBroadcasts ? PAID_RATE_LIMIT : FREE_RATE_LIMIT;
}

/** The rate to start the composer with: the bot's default, never above what is allowed. */
export function initialRate(status: Pick<BotStatus, 'defaultRate' | 'paidBroadcasts'>): number {
  return Math.min(Math.max(1, Math.round(status.defaultRate)), maxRate(status, false));
}
