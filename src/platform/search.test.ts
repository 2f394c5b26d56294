import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Principal } from './auth/model.js';
import { AppError } from './errors.js';
import { type SearchHook, searchAll, searchHit } from './search.js';

const analyst: Principal = { type: 'user', id: 'u1', username: 'a', role: 'analyst' } as Principal;
const silent = pino({ level: 'silent' });
const section =
  (key: string, titles: string[]): SearchHook =>
  async (_principal, _text, limit) => ({
    key,
    total: { value: titles.length, relation: 'eq' },
    items: titles.slice(0, limit).map((title, i) => searchHit({ id: `${key}-${i}`, title })),
  });

describe('search across areas', () => {
  it('asks every area with the text and limit, in parallel, and keeps their order', async () => {
    const asked: string[] = [];
    let running = 0;
    let overlapped = false;
    const slow =
      (key: string): SearchHook =>
      async (principal, text, limit) => {
        asked.push(`${key}:${text}:${limit}`);
        running++;
        await new Promise((resolve) => setImmediate(resolve));
        overlapped ||= running > 1;
        running--;
        return section(key, ['x', 'y', 'z'])(principal, text, limit);
      };
    const answer = await searchAll(
      analyst,
      'Ждановіч',
      2,
      [
        ['a', slow('people')],
        ['b', slow('cases')],
      ],
      silent,
    );
    expect(asked).toEqual(['people:Ждановіч:2', 'cases:Ждановіч:2']);
    expect(overlapped).toBe(true);
    expect(answer.sections.map((s) => [s.key, s.total.value, s.items.length])).toEqual([
      ['people', 3, 2],
      ['cases', 3, 2],
    ]);
    expect(answer.failed).toEqual([]);
  });

  it('names an area that failed and still answers the others; a refused text is an empty answer', async () => {
    const broken: SearchHook = async () => {
      throw new Error('database went away');
    };
    const refused: SearchHook = async () => {
      throw new AppError('SVD_HTTP_VALIDATION');
    };
    const none: SearchHook = async () => undefined;
    const answer = await searchAll(
      analyst,
      'x1',
      5,
      [
        ['evidence', broken],
        ['screening', refused],
        ['bot', none],
        ['cases', section('cases', ['VR-2026-1'])],
      ],
      silent,
    );
    expect(answer.failed).toEqual(['evidence']);
    expect(answer.sections.map((s) => s.key)).toEqual(['cases']);
  });
});
