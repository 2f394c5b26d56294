import { describe, expect, it } from 'vitest';
import {
  estimatedSeconds,
  formatDuration,
  initialRate,
  isLive,
  maxRate,
  pollInterval,
  progressShares,
  remaining,
} from './progress.js';

const units = { hours: 'h', minutes: 'min', seconds: 's' };

describe('formatDuration', () => {
  it('shows the two largest units', () => {
    expect(formatDuration(6667, units)).toBe('1 h 51 min');
    expect(formatDuration(200, units)).toBe('3 min 20 s');
    expect(formatDuration(180, units)).toBe('3 min');
    expect(formatDuration(45, units)).toBe('45 s');
    expect(formatDuration(0, units)).toBe('0 s');
  });

  it('rounds up, so only a finished broadcast shows zero', () => {
    expect(formatDuration(0.2, units)).toBe('1 s');
    expect(formatDuration(-5, units)).toBe('0 s');
  });

  it('formats numbers with the given formatter', () => {
    expect(formatDuration(3600 * 1234, units, (n) => n.toLocaleString('en'))).toBe('1,234 h 0 min');
  });

  it('estimates 200,000 messages at the free rate at almost two hours', () => {
    expect(formatDuration(estimatedSeconds(200_000, 30), units)).toBe('1 h 51 min');
    expect(estimatedSeconds(10, 0)).toBe(0);
  });
});

describe('progress', () => {
  const base = { total: 100, sent: 50, failed: 5, unknown: 1, cancelled: 4, pending: 30, sending: 10 };

  it('gives shares of the total', () => {
    const shares = progressShares(base);
    expect(shares.sent).toBe(50);
    expect(shares.failed).toBe(5);
    expect(shares.settled).toBe(60);
    expect(remaining(base)).toBe(40);
  });

  it('never exceeds 100 and never divides by zero', () => {
    expect(
      progressShares({
        ...base,
        total: 0,
        sent: 0,
        failed: 0,
        unknown: 0,
        cancelled: 0,
        pending: 0,
        sending: 0,
      }).settled,
    ).toBe(0);
    expect(progressShares({ ...base, total: 10 }).settled).toBeLessThanOrEqual(100);
  });

  it('polls while running, slowly while paused, not when finished', () => {
    expect(pollInterval({ state: 'running', sending: 0 })).toBe(2000);
    expect(pollInterval({ state: 'paused', sending: 0 })).toBe(10000);
    expect(pollInterval({ state: 'done', sending: 0 })).toBe(false);
    expect(pollInterval({ state: 'cancelled', sending: 0 })).toBe(false);
    // Cancelled with a send in flight: asked again until its outcome is in.
    expect(pollInterval({ state: 'cancelled', sending: 1 })).toBe(2000);
    expect(pollInterval(undefined)).toBe(false);
    expect(isLive('paused')).toBe(true);
    expect(isLive('done')).toBe(false);
  });
});

describe('rates', () => {
  it('allows 1000/s only with paid broadcasts enabled and chosen', () => {
    expect(maxRate({ paidBroadcasts: false }, true)).toBe(30);
    expect(maxRate({ paidBroadcasts: true }, false)).toBe(30);
    expect(maxRate({ paidBroadcasts: true }, true)).toBe(1000);
  });

  it('starts from the default rate within the free limit', () => {
    expect(initialRate({ defaultRate: 30, paidBroadcasts: false })).toBe(30);
    expect(initialRate({ defaultRate: 500, paidBroadcasts: true })).toBe(30);
    expect(initialRate({ defaultRate: 0, paidBroadcasts: false })).toBe(1);
  });
});
