/**
 * A BagIt (RFC 8493) validator for a bag on disk: what archives and courts run on our export packages, written
 * here so the tests (and anyone with the source) can check a bag without other tools. It reports every problem
 * found, never throws for a bad bag: `bagit.txt` (version and encoding), a `data/` payload, every
 * `manifest-<alg>.txt` (each listed file present with that digest, every payload file listed, no path outside
 * `data/`), `Payload-Oxum` in `bag-info.txt`, and every `tagmanifest-<alg>.txt`.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ALGORITHMS = ['sha256', 'sha512', 'sha384', 'sha224', 'sha1', 'md5'] as const;

async function digest(file: string, algorithm: string): Promise<string> {
  const hash = createHash(algorithm);
  for await (const piece of createReadStream(file)) hash.update(piece as Buffer);
  return hash.digest('hex');
}

/** Every regular file under `dir`, as bag-relative paths with forward slashes. */
function filesUnder(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...filesUnder(root, relative));
    else out.push(relative);
  }
  return out;
}

/** A manifest line's path, percent-decoded as RFC 8493 §2.1.3 asks (only %0A, %0D and %25 are encoded). */
function decodePath(value: string): string {
  return value.replace(/%(0A|0D|25)/gi, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** Reads a manifest: digest → path pairs, with problems for malformed lines. */
function readManifest(
  bag: string,
  name: string,
  problems: string[],
): Array<{ digest: string; path: string; line: number }> {
  const entries: Array<{ digest: string; path: string; line: number }> = [];
  readFileSync(path.join(bag, name), 'utf8')
    .split(/\r?\n/)
    .forEach((line, index) => {
      if (line === '') return;
      const match = /^([0-9a-fA-F]+)[ \t]+\*?(.+)$/.exec(line);
      if (!match) problems.push(`${name} line ${index + 1}: not "<digest> <path>"`);
      else entries.push({ digest: match[1]!.toLowerCase(), path: decodePath(match[2]!), line: index + 1 });
    });
  return entries;
}

/** Validates the bag at `bag`; an empty list means valid. */
export async function validateBag(bag: string): Promise<string[]> {
  const problems: string[] = [];
  const declaration = path.join(bag, 'bagit.txt');
  if (!existsSync(declaration)) return ['bagit.txt is missing'];
  const lines = readFileSync(declaration, 'utf8').split(/\r?\n/).filter(Boolean);
  if (!/^BagIt-Version: \d+\.\d+$/.test(lines[0] ?? ''))
    problems.push('bagit.txt: first line is not BagIt-Version');
  if (lines[1] !== 'Tag-File-Character-Encoding: UTF-8')
    problems.push('bagit.txt: second line is not Tag-File-Character-Encoding: UTF-8');
  if (!existsSync(path.join(bag, 'data')) || !statSync(path.join(bag, 'data')).isDirectory())
    return [...problems, 'data/ is missing'];
  const payload = filesUnder(bag, 'data');
  const top = readdirSync(bag);

  const manifests = ALGORITHMS.filter((a) => top.includes(`manifest-${a}.txt`));
  if (manifests.length === 0) problems.push('no payload manifest (manifest-<algorithm>.txt)');
  for (const algorithm of manifests) {
    const name = `manifest-${algorithm}.txt`;
    const entries = readManifest(bag, name, problems);
    const listed = new Set<string>();
    for (const entry of entries) {
      listed.add(entry.path);
      const normalized = path.posix.normalize(entry.path);
      if (!normalized.startsWith('data/') || normalized.includes('../')) {
        problems.push(`${name} line ${entry.line}: ${entry.path} is outside data/`);
        continue;
      }
      const file = path.join(bag, normalized);
      if (!existsSync(file)) problems.push(`${name}: ${entry.path} is missing`);
      else if ((await digest(file, algorithm)) !== entry.digest)
        problems.push(`${name}: ${entry.path} does not match its ${algorithm}`);
    }
    for (const file of payload)
      if (!listed.has(file)) problems.push(`${name}: payload file ${file} is not listed`);
  }

  const infoFile = path.join(bag, 'bag-info.txt');
  if (existsSync(infoFile)) {
    const oxum = /^Payload-Oxum: (\d+)\.(\d+)$/m.exec(readFileSync(infoFile, 'utf8'));
    if (oxum) {
      const octets = payload.reduce((total, file) => total + statSync(path.join(bag, file)).size, 0);
      if (Number(oxum[1]) !== octets || Number(oxum[2]) !== payload.length)
        problems.push(
          `bag-info.txt: Payload-Oxum ${oxum[1]}.${oxum[2]} but the payload is ${octets}.${payload.length}`,
        );
    }
  }

  for (const algorithm of ALGORITHMS.filter((a) => top.includes(`tagmanifest-${a}.txt`))) {
    const name = `tagmanifest-${algorithm}.txt`;
    for (const entry of readManifest(bag, name, problems)) {
      if (entry.path.startsWith('data/')) problems.push(`${name}: lists payload file ${entry.path}`);
      else if (!existsSync(path.join(bag, entry.path))) problems.push(`${name}: ${entry.path} is missing`);
      else if ((await digest(path.join(bag, entry.path), algorithm)) !== entry.digest)
        problems.push(`${name}: ${entry.path} does not match its ${algorithm}`);
    }
  }
  return problems;
}
