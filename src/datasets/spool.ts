/**
 * The fragments of a run, grouped by entity before they are published. A row makes several entity
 * fragments, and one entity (a unit, a position) may come from thousands of rows, so all of them must
 * be seen before an entity can be written. Sending every fragment to the database and reading it back
 * sorted cost two thirds of an import's database work; they are sorted here instead, with bounded
 * memory: fragments gather in memory up to a budget, then go to a sorted run file in a private work
 * directory; the runs are merged at the end (an external merge sort). A run that fits in memory
 * never touches the disk.
 *
 * Two cheap savings before a fragment is kept: a fragment equal to one already kept for the same
 * entity adds nothing to the merged entity but its row, so only the row is counted (a bounded table of
 * the entities seen first holds what each looked like).
 */
import { createReadStream } from 'node:fs';
import { type FileHandle, mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import path from 'node:path';

export interface Fragment {
  entityId: string;
  seq: number;
  schema: string;
  properties: Record<string, string[]>;
  query: number;
  line: number;
  ref: string;
  /** Source rows this fragment stands for (more than 1 when equal fragments were folded into it). */
  rows: number;
}

/** Characters of JSON held in memory before a sorted run is written (about twice that in bytes). */
const MEMORY_CHARS = 48 * 1024 * 1024;
/** Characters of fragment JSON remembered to recognise repeated fragments of the same entity. */
const REPEAT_CHARS = 16 * 1024 * 1024;

type Kept = { entityId: string; text: string };

const byEntity = (a: Kept, b: Kept) => (a.entityId < b.entityId ? -1 : a.entityId > b.entityId ? 1 : 0);

/** `[entityId, seq, schema, query, line, ref, rows, properties]`, one JSON array per line. */
function encode(f: Fragment, properties: string): string {
  return `[${JSON.stringify(f.entityId)},${f.seq},${JSON.stringify(f.schema)},${f.query},${f.line},${JSON.stringify(f.ref)},${f.rows},${properties}]`;
}

function decode(text: string): Fragment {
  const [entityId, seq, schema, query, line, ref, rows, properties] = JSON.parse(text) as [
    string,
    number,
    string,
    number,
    number,
    string,
    number,
    Record<string, string[]>,
  ];
  return { entityId, seq, schema, query, line, ref, rows, properties };
}

/** The lines of a file, streamed. */
async function* fileLines(file: string): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 })) {
    const text = rest + (chunk as string);
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      yield text.slice(start, end);
      start = end + 1;
    }
    rest = text.slice(start);
  }
  if (rest !== '') yield rest;
}

export class FragmentSpool {
  #dir: string | null = null;
  #runs: string[] = [];
  #kept: Kept[] = [];
  #keptChars = 0;
  /** Per entity seen early: its first fragment's schema and the property JSON of its kept fragments. */
  #repeats = new Map<string, { schema: string; seen: Set<string> }>();
  #repeatChars = 0;
  /** Rows folded into an already kept fragment, per entity (only entities of `#repeats`). */
  #folded = new Map<string, number>();
  #seq = 0;
  /** Fragments kept (after folding). */
  kept = 0;

  /** `workDir` receives a private directory for the sorted runs, removed by `close`. */
  constructor(
    private readonly workDir: string,
    private readonly limits = { memoryChars: MEMORY_CHARS, repeatChars: REPEAT_CHARS },
  ) {}

  async add(fragment: Omit<Fragment, 'seq' | 'rows'>): Promise<void> {
    const properties = JSON.stringify(fragment.properties);
    const known = this.#repeats.get(fragment.entityId);
    if (known) {
      if (known.schema === fragment.schema && known.seen.has(properties)) {
        this.#folded.set(fragment.entityId, (this.#folded.get(fragment.entityId) ?? 0) + 1);
        return;
      }
      if (known.schema === fragment.schema && this.#repeatChars < this.limits.repeatChars) {
        known.seen.add(properties);
        this.#repeatChars += properties.length;
      }
    } else if (this.#repeatChars < this.limits.repeatChars) {
      // Only an entity's first fragment may open an entry: its schema is the one the entity keeps.
      this.#repeats.set(fragment.entityId, { schema: fragment.schema, seen: new Set([properties]) });
      this.#repeatChars += properties.length + fragment.entityId.length;
    }
    const text = encode({ ...fragment, seq: this.#seq++, rows: 1 }, properties);
    this.#kept.push({ entityId: fragment.entityId, text });
    this.#keptChars += text.length;
    this.kept++;
    if (this.#keptChars >= this.limits.memoryChars) await this.#spill();
  }

  /** Writes the fragments in memory as one sorted run file. */
  async #spill(): Promise<void> {
    if (this.#kept.length === 0) return;
    if (!this.#dir) {
      await mkdir(this.workDir, { recursive: true, mode: 0o700 });
      this.#dir = await mkdtemp(path.join(this.workDir, 'spool-'));
    }
    const kept = this.#kept.sort(byEntity);
    this.#kept = [];
    this.#keptChars = 0;
    const file = path.join(this.#dir, `run-${this.#runs.length}.jsonl`);
    const handle: FileHandle = await open(file, 'wx', 0o600);
    try {
      let block = '';
      for (const entry of kept) {
        block += `${entry.text}\n`;
        if (block.length >= 1024 * 1024) {
          await handle.write(block);
          block = '';
        }
      }
      if (block !== '') await handle.write(block);
    } finally {
      await handle.close();
    }
    this.#runs.push(file);
  }

  /** Every kept fragment, ordered by entity id, then in the order they were added. */
  async *fragments(): AsyncGenerator<Fragment> {
    const withRows = (fragment: Fragment, first: boolean) => {
      // The folded rows are counted once, on the entity's first fragment.
      if (first) fragment.rows += this.#folded.get(fragment.entityId) ?? 0;
      return fragment;
    };
    if (this.#runs.length === 0) {
      const kept = this.#kept.sort(byEntity);
      this.#kept = [];
      let previous = '';
      for (const entry of kept) {
        yield withRows(decode(entry.text), entry.entityId !== previous);
        previous = entry.entityId;
      }
      return;
    }
    await this.#spill();
    // A k-way merge; ties go to the earlier run, which holds the earlier fragments.
    type Head = { fragment: Fragment; run: number; lines: AsyncGenerator<string> };
    const heap: Head[] = [];
    const before = (a: Head, b: Head) =>
      a.fragment.entityId < b.fragment.entityId ||
      (a.fragment.entityId === b.fragment.entityId && a.run < b.run);
    const push = (head: Head) => {
      heap.push(head);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!before(heap[i]!, heap[parent]!)) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
    };
    const pop = (): Head => {
      const top = heap[0]!;
      const last = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = last;
        for (let i = 0; ; ) {
          const left = 2 * i + 1;
          const right = left + 1;
          let least = i;
          if (left < heap.length && before(heap[left]!, heap[least]!)) least = left;
          if (right < heap.length && before(heap[right]!, heap[least]!)) least = right;
          if (least === i) break;
          [heap[i], heap[least]] = [heap[least]!, heap[i]!];
          i = least;
        }
      }
      return top;
    };
    for (const [run, file] of this.#runs.entries()) {
      const lines = fileLines(file);
      const first = await lines.next();
      if (!first.done) push({ fragment: decode(first.value), run, lines });
    }
    let previous = '';
    try {
      while (heap.length > 0) {
        const head = pop();
        const fragment = head.fragment;
        const next = await head.lines.next();
        if (!next.done) push({ fragment: decode(next.value), run: head.run, lines: head.lines });
        yield withRows(fragment, fragment.entityId !== previous);
        previous = fragment.entityId;
      }
    } finally {
      // A publish that stops early (a failure) closes the run files still open.
      for (const head of heap) await head.lines.return(undefined);
    }
  }

  /** Forgets everything and removes the run files. */
  async close(): Promise<void> {
    this.#kept = [];
    this.#repeats.clear();
    this.#folded.clear();
    if (this.#dir) await rm(this.#dir, { recursive: true, force: true });
    this.#dir = null;
    this.#runs = [];
  }
}
