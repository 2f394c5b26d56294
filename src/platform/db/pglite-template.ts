/**
 * A new embedded database starts as a copy of a template cluster made by the build (`npm run build`
 * writes `dist/pglite-template/` with every migration applied), instead of running initdb and every
 * migration at the first start: copying takes a fraction of a second, initdb several seconds of CPU.
 * The template is used only when it was made by the PGlite version installed now; migrations added
 * since it was made are applied at start-up as usual. Without a template, PGlite creates the cluster.
 */
import { chmodSync, cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../package-info.js';

export const templateDir = path.join(projectRoot, 'dist', 'pglite-template');

/** The installed PGlite's version (the template's cluster format follows it). */
export function pgliteVersion(): string {
  const file = path.join(projectRoot, 'node_modules', '@electric-sql', 'pglite', 'package.json');
  return JSON.parse(readFileSync(file, 'utf8')).version;
}

/** Records which PGlite made the template (called by the build once the template is complete). */
export function templateStamp(): string {
  return `${JSON.stringify({ pglite: pgliteVersion() })}\n`;
}

/**
 * Fills an absent or empty database directory `dir` from the template when one fits. Returns whether
 * it did. The copy goes to a temporary name first, so an interrupted copy never looks like a cluster.
 */
export function seedFromTemplate(dir: string, template = templateDir): boolean {
  if (existsSync(dir) && readdirSync(dir).length > 0) return false;
  const stampFile = `${template}.json`;
  try {
    if (!existsSync(stampFile)) return false;
    if (JSON.parse(readFileSync(stampFile, 'utf8')).pglite !== pgliteVersion()) return false;
  } catch {
    return false;
  }
  const partial = `${dir}.from-template`;
  rmSync(partial, { recursive: true, force: true });
  cpSync(template, partial, { recursive: true });
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  chmodSync(dir, 0o700);
  return true;
}
