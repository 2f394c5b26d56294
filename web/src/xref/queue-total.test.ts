import { describe, expect, it } from 'vitest';
import { queueTotal } from './queue-total.js';

const page = (ids: number[], total: number) => ({ items: ids.map((id) => ({ id })), total });

describe('review queue total', () => {
  it('is the server count before any decision', () => {
    expect(queueTotal(page([1, 2, 3], 40), new Set())).toBe(40);
  });

  it('drops by one with each pair decided, before the queue reloads', () => {
    const loaded = page([1, 2, 3, 4], 40);
    expect(queueTotal(loaded, new Set([1]))).toBe(39);
    expect(queueTotal(loaded, new Set([1, 2]))).toBe(38);
  });

  it('does not take a decided pair off twice once the reloaded queue no longer holds it', () => {
    // Pairs 1 and 2 decided; the server's new count already leaves them out.
    expect(queueTotal(page([3, 4, 5], 38), new Set([1, 2]))).toBe(38);
    // Reloaded while pair 2's decision was still on its way: only pair 2 is still counted.
    expect(queueTotal(page([2, 3, 4], 39), new Set([1, 2]))).toBe(38);
  });

  it('counts an undone pair again', () => {
    const loaded = page([1, 2, 3], 40);
    const decided = new Set([1, 2]);
    expect(queueTotal(loaded, decided)).toBe(38);
    decided.delete(2);
    expect(queueTotal(loaded, decided)).toBe(39);
  });

  it('is never fewer than the pairs on screen, and nothing before the queue loads', () => {
    expect(queueTotal(page([1, 2, 3], 2), new Set([1]))).toBe(2);
    expect(queueTotal(page([1, 2, 3], 1), new Set())).toBe(3);
    expect(queueTotal(undefined, new Set([1]))).toBe(0);
  });
});
