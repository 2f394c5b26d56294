/**
 * Rate and time left for an upload, from progress samples: a moving window of the last few seconds, so
 * a stall shows at once and a burst does not promise too much.
 */
export interface RateMeter {
  /** Records that `bytes` in total were sent by time `now` (ms). */
  sample(bytes: number, now?: number): void;
  /** Bytes per second over the window, or null before there is enough to say. */
  rate(now?: number): number | null;
  /** Seconds until `total` bytes at the current rate, or null when unknown. */
  secondsLeft(total: number, now?: number): number | null;
}

/** A meter over a window of `windowMs` milliseconds. */
export function createRateMeter(windowMs = 5_000): RateMeter {
  const samples: Array<{ at: number; bytes: number }> = [];
  const trim = (now: number) => {
    while (samples.length > 2 && (samples[0]?.at ?? now) < now - windowMs) samples.shift();
  };
  const rate = (now = Date.now()) => {
    trim(now);
    const first = samples[0];
    const last = samples[samples.length - 1];
    if (!first || !last || last.at - first.at < 250) return null;
    return ((last.bytes - first.bytes) * 1000) / (last.at - first.at);
  };
  return {
    sample(bytes, now = Date.now()) {
      const last = samples[samples.length - 1];
      if (last && bytes < last.bytes) samples.length = 0;
      samples.push({ at: now, bytes });
      trim(now);
    },
    rate,
    secondsLeft(total, now = Date.now()) {
      const perSecond = rate(now);
      const last = samples[samples.length - 1];
      if (!perSecond || perSecond <= 0 || !last) return null;
      return Math.max(0, (total - last.bytes) / perSecond);
    },
  };
}

/** Bytes as a short size with binary units (KiB, MiB…), in the given number format. */
export function formatBytes(bytes: number, number: (value: number) => string = String): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const rounded = unit === 0 ? value : Math.round(value * 10) / 10;
  return `${number(rounded)} ${units[unit]}`;
}

/** Seconds as `h:mm:ss` or `m:ss`. */
export function formatDuration(seconds: number): string {
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}
