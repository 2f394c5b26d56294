import { describe, expect, it } from 'vitest';
import {
  filtersFromSearch,
  itemsQueryFromFilters,
  matchesClientFilters,
  searchFromFilters,
  shortHash,
} from './filters.js';
import { encodeMetadata, fingerprint, forgetStoredUpload, storedUploads } from './tus-upload.js';
import { createRateMeter, formatBytes, formatDuration } from './upload-progress.js';

describe('evidence list filters', () => {
  it('keep only well-formed values from the URL', () => {
    const filters = filtersFromSearch(
      new URLSearchParams(
        'code=BY.V.TORTURE&from=2024-08-01&to=nonsense&incident=not-a-uuid&kind=video&state=verified&processing=bad&channel=citizen',
      ),
    );
    expect(filters).toEqual({
      q: '',
      code: 'BY.V.TORTURE',
      from: '2024-08-01',
      to: '',
      capturedFrom: '',
      capturedTo: '',
      incident: '',
      collection: '',
      kind: 'video',
      state: 'verified',
      processing: '',
      channel: 'citizen',
    });
  });

  it('round-trip through the URL in a fixed order', () => {
    const search = new URLSearchParams('channel=web&code=ROLE.LINKAGE');
    const again = searchFromFilters(filtersFromSearch(search));
    expect(again.toString()).toBe('code=ROLE.LINKAGE&channel=web');
  });

  it('become an API query with whole days, the last day included', () => {
    const filters = filtersFromSearch(new URLSearchParams('from=2024-08-09&to=2024-08-09&state=disputed'));
    const query = itemsQueryFromFilters(filters);
    expect(query.verificationState).toBe('disputed');
    const from = new Date(query.from ?? '');
    const to = new Date(query.to ?? '');
    expect(to.getTime() - from.getTime()).toBe(24 * 3600 * 1000);
    expect(from.getDate()).toBe(9);
    expect('processing' in query).toBe(false);
  });

  it('send several codes, text, capture days, collection and processing state to the server', () => {
    const filters = filtersFromSearch(
      new URLSearchParams(
        'code=BY.V.FORCE,bad code,EVT.PHOTO&q=IMG_01&capturedFrom=2024-08-09&collection=00000000-0000-4000-8000-000000000001&processing=failed',
      ),
    );
    expect(filters.code).toBe('BY.V.FORCE,EVT.PHOTO');
    const query = itemsQueryFromFilters(filters);
    expect(query).toMatchObject({
      codes: 'BY.V.FORCE,EVT.PHOTO',
      q: 'IMG_01',
      collectionId: '00000000-0000-4000-8000-000000000001',
      processingState: 'failed',
    });
    expect(new Date(query.capturedFrom ?? '').getDate()).toBe(9);
    expect(query.code).toBeUndefined();
  });

  it('filter the processing state on the rows', () => {
    const filters = filtersFromSearch(new URLSearchParams('processing=failed'));
    expect(matchesClientFilters({ processingState: 'failed' }, filters)).toBe(true);
    expect(matchesClientFilters({ processingState: 'done' }, filters)).toBe(false);
  });

  it('shorten hashes', () => {
    expect(shortHash('a'.repeat(64))).toBe(`${'a'.repeat(12)}…`);
    expect(shortHash('abc')).toBe('abc');
  });
});

describe('tus helpers', () => {
  it('encode metadata as base64 of UTF-8, skipping empty values', () => {
    expect(encodeMetadata({ filename: 'фота.jpg', note: '' })).toBe(
      `filename ${Buffer.from('фота.jpg').toString('base64')}`,
    );
  });

  it('remember and forget unfinished uploads by file', () => {
    const map = new Map<string, string>();
    const storage = {
      get length() {
        return map.size;
      },
      key: (index: number) => [...map.keys()][index] ?? null,
      getItem: (key: string) => map.get(key) ?? null,
      setItem: (key: string, value: string) => void map.set(key, value),
      removeItem: (key: string) => void map.delete(key),
      clear: () => map.clear(),
    } as Storage;
    const file = { name: 'clip.mp4', size: 10, type: 'video/mp4', lastModified: 1 };
    storage.setItem(
      fingerprint(file),
      JSON.stringify({ url: '/api/evidence/tus/x', ...file, offset: 4, startedAt: '2024-01-01T00:00:00Z' }),
    );
    expect(storedUploads(storage).map((upload) => upload.offset)).toEqual([4]);
    forgetStoredUpload('/api/evidence/tus/x', storage);
    expect(storedUploads(storage)).toEqual([]);
  });
});

describe('upload progress', () => {
  it('measures rate and time left over a window', () => {
    const meter = createRateMeter(5_000);
    meter.sample(0, 0);
    expect(meter.rate(0)).toBeNull();
    meter.sample(1_000_000, 1_000);
    meter.sample(2_000_000, 2_000);
    expect(meter.rate(2_000)).toBe(1_000_000);
    expect(meter.secondsLeft(10_000_000, 2_000)).toBe(8);
  });

  it('formats sizes and durations', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatDuration(75)).toBe('1:15');
    expect(formatDuration(3_725)).toBe('1:02:05');
  });
});
