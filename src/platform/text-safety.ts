/**
 * Text that may be stored and shown: the one rule for what input is refused and how stored text is
 * written to a terminal. Refused everywhere (request bodies, query strings, path parameters, imports):
 * C0 control characters other than tab, line feed and carriage return (NUL among them: PostgreSQL
 * cannot store it), DEL and the C1 controls (0x9B opens a terminal escape sequence like ESC [ does),
 * the bidirectional embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069 (they make a
 * name or a file title read differently from what it is: "Trojan Source"), and broken UTF-16.
 */

const UNSAFE =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Tab, line feed and carriage return too: for one-line values (names, titles, identifiers). */
const UNSAFE_ONE_LINE = /[\t\n\r]/;

/** The first character of `value` that is refused, or undefined. */
export function unsafeCharacter(value: string, oneLine = false): string | undefined {
  const match = UNSAFE.exec(value) ?? (oneLine ? UNSAFE_ONE_LINE.exec(value) : null);
  return match?.[0];
}

/** How a refused character is named in an error message: `U+0000`. */
export function describeCharacter(character: string): string {
  return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The first string inside `value` (walking objects and arrays) that holds a refused character, with its
 * path (`name`, `properties.name.0`); undefined when all are safe.
 */
export function findUnsafeText(
  value: unknown,
  path: string[] = [],
): { path: string; character: string } | undefined {
  if (typeof value === 'string') {
    const character = unsafeCharacter(value);
    return character ? { path: path.join('.'), character } : undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnsafeText(value[i], [...path, String(i)]);
      if (found) return found;
    }
    return undefined;
  }
  // Data objects only (JSON bodies, parsed query strings): never walk a stream, a buffer or a date.
  if (
    value &&
    typeof value === 'object' &&
    !(value instanceof Date) &&
    !ArrayBuffer.isView(value) &&
    typeof (value as { pipe?: unknown }).pipe !== 'function'
  ) {
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      const found = findUnsafeText(key, [...path, '(key)']) ?? findUnsafeText(inner, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

const TERMINAL_UNSAFE =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

/**
 * Stored text as a terminal may show it: every control character (carriage return included, which
 * could overwrite a line), C1 control and bidirectional control becomes a visible `\u{…}` escape, so a
 * name cannot move the cursor, recolour the screen, set the window title or reorder what is printed.
 * Tab and line feed are kept.
 */
export function terminalSafe(text: string): string {
  return text.replace(TERMINAL_UNSAFE, (character) => `\\u{${character.codePointAt(0)!.toString(16)}}`);
}
