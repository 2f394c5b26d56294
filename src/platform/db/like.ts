/** Text search helpers shared by the stores. */

/** A LIKE/ILIKE pattern that matches `text` literally anywhere (%, _ and \ escaped). */
export function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
