/**
 * No import cycles in src/ and web/src/, type imports included (STYLE.md 21): areas depend on
 * interfaces in src/platform/, the composition root is imported by nobody, and a page never imports
 * the layout that imports it. Counts every static `import`/`export … from` (with `import type`), and the
 * web app's aliases into the server's files; a dynamic `import()` is left out, because it is how code is
 * loaded lazily (the CLI, the runtime's areas) and makes no cycle at load time.
 *
 * Its own small walker instead of madge: the project's TypeScript (7, native) has no compiler API to
 * build on, and the import forms this code base uses are few.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const aliases: Record<string, string> = {
  '@platform/': 'src/platform/',
  '@evidence/': 'src/evidence/',
  '@incidents/': 'src/incidents/',
  '@bot/': 'src/bot/',
};

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) files.push(...sourceFiles(relative));
    else if (/\.tsx?$/.test(entry.name) && !/\.(test|d)\.tsx?$/.test(entry.name)) files.push(relative);
  }
  return files;
}

/** The static import specifiers of a module (not those in comments: they start a line with `*`). */
function importsOf(text: string): string[] {
  const found: string[] = [];
  const statement =
    /^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm;
  for (const match of text.matchAll(statement)) found.push((match[1] ?? match[2])!);
  return found;
}

function resolve(from: string, specifier: string): string | undefined {
  let target: string;
  const alias = Object.keys(aliases).find((prefix) => specifier.startsWith(prefix));
  if (alias) target = aliases[alias] + specifier.slice(alias.length);
  else if (specifier.startsWith('.')) target = path.posix.join(path.posix.dirname(from), specifier);
  else return undefined; // a package
  const bare = target.replace(/\.(js|jsx|ts|tsx)$/, '');
  for (const candidate of [`${bare}.ts`, `${bare}.tsx`, `${bare}/index.ts`, `${bare}/index.tsx`])
    if (existsSync(path.join(root, candidate)) && statSync(path.join(root, candidate)).isFile())
      return candidate;
  return undefined; // JSON, CSS, assets
}

/** Strongly connected components of more than one module (or a module importing itself). */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)?.includes(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of [...sourceFiles('src'), ...sourceFiles('web/src')]) {
    const text = readFileSync(path.join(root, file), 'utf8');
    graph.set(
      file,
      importsOf(text)
        .map((specifier) => resolve(file, specifier))
        .filter((target): target is string => target !== undefined),
    );
  }
  return graph;
}

describe('import graph', () => {
  it('reads every static import form, type imports included, and no dynamic or commented one', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      'import {',
      '  c,',
      '  type D,',
      "} from './c.js';",
      "export { e } from './e.js';",
      "export type * from './f.js';",
      "import './side-effect.js';",
      " * import { g } from './comment.js';",
      "const lazy = () => import('./lazy.js');",
    ].join('\n');
    expect(importsOf(text)).toEqual(['./a.js', '../b.js', './c.js', './e.js', './f.js', './side-effect.js']);
  });

  it('has no cycle in src/ and web/src/', () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(300);
    expect(cycles(graph)).toEqual([]);
  });

  it('reaches src/names only through its entry point from outside it (one public name API)', () => {
    const graph = importGraph();
    const inside = (file: string) => file.startsWith('src/names/');
    const offending = [...graph.entries()].flatMap(([file, targets]) =>
      inside(file) || file.endsWith('.test.ts')
        ? []
        : targets.filter((t) => inside(t) && t !== 'src/names/index.ts').map((t) => `${file} → ${t}`),
    );
    expect(offending).toEqual([]);
  });
});
