/**
 * The "of M" in "pair N of M". The server counts the queue when the page loads it; a pair decided here
 * is hidden at once but stays in that count until the queue is loaded again. So M is the server's count
 * less the decided pairs the loaded page still holds (once reloaded without them, nothing is taken off
 * twice), and never fewer than the pairs on screen.
 */
export function queueTotal(
  page: { items: ReadonlyArray<{ id: number }>; total: number } | undefined,
  hidden: ReadonlySet<number>,
): number {
  if (!page) return 0;
  const shown = page.items.filter((pair) => !hidden.has(pair.id)).length;
  const decidedHere = page.items.length - shown;
  return Math.max(shown, page.total - decidedHere);
}
