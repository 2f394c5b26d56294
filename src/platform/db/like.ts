/** Text search helpers shared by the stores. */

/** A LIKE/ILIKE pattern that matches `text` literally anywhere (%, _ and \ escaped). */
export function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Whether decrypted text contains `text`, as `containing` with ILIKE would say of a plain column (case
 * ignored): how areas search their encrypted columns after opening them.
 */
export function includesText(value: string | null | undefined, text: string): boolean {
  return !!value && value.toLocaleLowerCase().includes(text.toLocaleLowerCase());
}
