/**
 * A streaming XML reader that hands out one record element at a time (`<sanctionEntity>`,
 * `<sdnEntry>`, `<Designation>`, ...) as a small tree, so a list of any size is read with memory
 * bounded by its largest record. saxes checks that the whole document is well formed; namespaces are
 * ignored (lists changed theirs over the years), entities other than XML's five are refused (no
 * expansion bombs), and a record or a run of text larger than a limit stops the import.
 */
import { AppError } from '../../platform/errors.js';
import '../errors.js'; // registers the SVD_SANCTIONS_* codes

export interface XmlNode {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
  text: string;
  /** Line of the start tag, for messages. */
  line: number;
}

/** What a document says outside its records: the root's name and attributes, and leaf values by name. */
export interface XmlHeader {
  root: string;
  attributes: Record<string, string>;
  values: Map<string, string>;
}

export interface XmlRecordOptions {
  file: string;
  /** Local names of the record elements. */
  records: ReadonlySet<string>;
  /** Local names the root element may have (the format check). */
  roots: readonly string[];
  /** What the format is called in messages. */
  formatLabel: string;
  header: XmlHeader;
  /** Characters one record may hold (text and attribute values); default 8 million. */
  maxRecordChars?: number;
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** The first child element with this local name. */
export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return node?.children.find((c) => c.name === name);
}

/** Every child element with this local name. */
export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  return node ? node.children.filter((c) => c.name === name) : [];
}

/** The trimmed text of the first child with this name (undefined when missing or blank). */
export function textOf(node: XmlNode | undefined, name: string): string | undefined {
  const value = child(node, name)?.text.trim();
  return value ? value : undefined;
}

/** The trimmed text of every descendant reached by a path of names (`Names/Name`). */
export function textsAt(node: XmlNode | undefined, path: string): string[] {
  let level: XmlNode[] = node ? [node] : [];
  for (const name of path.split('/')) level = level.flatMap((n) => children(n, name));
  return level.map((n) => n.text.trim()).filter(Boolean);
}

/** Every descendant reached by a path of names. */
export function nodesAt(node: XmlNode | undefined, path: string): XmlNode[] {
  let level: XmlNode[] = node ? [node] : [];
  for (const name of path.split('/')) level = level.flatMap((n) => children(n, name));
  return level;
}

/** An attribute's trimmed value (undefined when missing or blank). */
export function attr(node: XmlNode | undefined, name: string): string | undefined {
  const value = node?.attributes[name]?.trim();
  return value ? value : undefined;
}

/**
 * Record elements of an XML text stream, in document order. Throws SVD_SANCTIONS_LIST_FORMAT when the
 * root is not one of `roots`, SVD_SANCTIONS_LIST_PARSE (with file, line and column) when the document is
 * not well formed or a record is too large.
 */
export async function* xmlRecords(
  text: AsyncIterable<string>,
  options: XmlRecordOptions,
): AsyncGenerator<XmlNode> {
  const maxRecord = options.maxRecordChars ?? 8_000_000;
  const { SaxesParser } = await import('saxes');
  const parser = new SaxesParser({ xmlns: false, position: true, fileName: options.file });
  const done: XmlNode[] = [];
  const stack: XmlNode[] = [];
  let depth = 0;
  let recordChars = 0;
  let outsideLeaf: { name: string; text: string } | undefined;
  const { header } = options;

  const tooLarge = (what: string): never => {
    throw new AppError('SVD_SANCTIONS_LIST_PARSE', {
      message: `${options.file}:${parser.line}: ${what} is larger than ${maxRecord.toLocaleString('en')} characters; is this really a ${options.formatLabel} file?`,
    });
  };

  parser.on('opentag', (tag) => {
    const name = localName(tag.name);
    depth++;
    if (depth === 1) {
      header.root = name;
      if (!options.roots.includes(name))
        throw new AppError('SVD_SANCTIONS_LIST_FORMAT', {
          message: `${options.file}: the root element is <${tag.name}>, not <${options.roots[0]}> as in a ${options.formatLabel} file.`,
        });
      for (const [key, value] of Object.entries(tag.attributes)) header.attributes[localName(key)] = value;
      return;
    }
    if (stack.length === 0 && !options.records.has(name)) {
      outsideLeaf = { name, text: '' };
      return;
    }
    const attributes: Record<string, string> = {};
    for (const [key, value] of Object.entries(tag.attributes)) {
      attributes[localName(key)] = value;
      recordChars += value.length;
    }
    const node: XmlNode = { name, attributes, children: [], text: '', line: parser.line };
    if (stack.length === 0) recordChars = 0;
    else stack[stack.length - 1]!.children.push(node);
    stack.push(node);
    if (recordChars > maxRecord) tooLarge(`the record <${name}> at line ${node.line}`);
  });
  const onText = (value: string) => {
    if (stack.length > 0) {
      stack[stack.length - 1]!.text += value;
      recordChars += value.length;
      if (recordChars > maxRecord) tooLarge(`the record starting at line ${stack[0]!.line}`);
    } else if (outsideLeaf && outsideLeaf.text.length < 10_000) outsideLeaf.text += value;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    depth--;
    if (stack.length > 0) {
      const node = stack.pop()!;
      if (stack.length === 0) done.push(node);
      return;
    }
    if (outsideLeaf) {
      const value = outsideLeaf.text.trim();
      if (value && !header.values.has(outsideLeaf.name)) header.values.set(outsideLeaf.name, value);
      outsideLeaf = undefined;
    }
  });

  // A run of text without markup bounds what saxes would buffer before it can hand anything out.
  let run = 0;
  const fail = (error: unknown): never => {
    if (error instanceof AppError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new AppError('SVD_SANCTIONS_LIST_PARSE', {
      message: `${message.startsWith(options.file) ? '' : `${options.file}: `}${message.replace(/\.$/, '')} (not well-formed XML).`,
    });
  };
  try {
    for await (const chunk of text) {
      const lastMarkup = chunk.lastIndexOf('<');
      run = lastMarkup < 0 ? run + chunk.length : chunk.length - lastMarkup;
      if (run > maxRecord) tooLarge('a run of text without markup');
      try {
        parser.write(chunk);
      } catch (error) {
        fail(error);
      }
      if (done.length > 0) {
        const ready = done.splice(0, done.length);
        for (const node of ready) yield node;
      }
    }
    try {
      parser.close();
    } catch (error) {
      fail(error);
    }
    for (const node of done.splice(0, done.length)) yield node;
  } finally {
    done.length = 0;
  }
  if (header.root === '')
    throw new AppError('SVD_SANCTIONS_LIST_FORMAT', { message: `${options.file}: the file is empty.` });
}

/** A blank header to fill. */
export function emptyHeader(): XmlHeader {
  return { root: '', attributes: {}, values: new Map() };
}
