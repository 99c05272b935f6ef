// Offline ICD-10-CM lookup (FY2026 billable codes, public domain; see README.md).
// The table ships inside the project and is read lazily, once per process: the
// path is resolved from the working directory so tsx, vitest and the Next.js
// server (with the file traced into its output) all find it.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { formatIcd10 } from '../schema';

const TABLE_PATH = ['lib', 'analysis', 'icd10', 'codes.tsv.gz'];

let table: Map<string, string> | null = null;

function load(): Map<string, string> {
  if (table) return table;
  const file = path.join(process.cwd(), ...TABLE_PATH);
  const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
  const map = new Map<string, string>();
  let start = text.indexOf('\n') + 1; // skip the header
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const tab = text.indexOf('\t', start);
    if (tab > start && tab < end) map.set(text.slice(start, tab), text.slice(tab + 1, end));
    start = end + 1;
  }
  table = map;
  return map;
}

/** "h40.1131" / "H401131" → "H401131" (bare, upper case). */
export function bareIcd10(code: string): string {
  return code.trim().toUpperCase().replace('.', '');
}

/** True when the code (dotted or bare) is a billable FY2026 ICD-10-CM code. */
export function isBillableIcd10(code: string): boolean {
  return load().has(bareIcd10(code));
}

/** The official long title of a billable code, or null. */
export function icd10Title(code: string): string | null {
  return load().get(bareIcd10(code)) ?? null;
}

export interface Icd10Match {
  /** Dotted, e.g. "H40.1131". */
  code: string;
  title: string;
}

/**
 * Billable codes whose code starts with `query` (when it looks like a code) or
 * whose title contains every word of it; at most `limit`, in code order.
 */
export function searchIcd10(query: string, limit = 20): Icd10Match[] {
  const q = query.trim();
  if (!q) return [];
  const results: Icd10Match[] = [];
  const asCode = /^[A-Za-z][0-9][0-9A-Za-z]?\.?[0-9A-Za-z]*$/.test(q) ? bareIcd10(q) : null;
  const words = q.toLowerCase().split(/\s+/);
  for (const [code, title] of load()) {
    const hit = asCode ? code.startsWith(asCode) : words.every((w) => title.toLowerCase().includes(w));
    if (hit) {
      results.push({ code: formatIcd10(code), title });
      if (results.length >= limit) break;
    }
  }
  return results;
}

/** The dotted code and its title when billable, else null. */
export function validIcd10(code: string): Icd10Match | null {
  const title = icd10Title(code);
  return title ? { code: formatIcd10(bareIcd10(code)), title } : null;
}

let byTitle: Map<string, string> | null = null;

/** The billable code whose official title is exactly `title` (case-insensitive), or null. */
export function icd10ByTitle(title: string): Icd10Match | null {
  if (!byTitle) {
    byTitle = new Map();
    for (const [code, t] of load()) byTitle.set(t.toLowerCase(), code);
  }
  const code = byTitle.get(title.trim().toLowerCase());
  return code ? { code: formatIcd10(code), title: load().get(code)! } : null;
}
