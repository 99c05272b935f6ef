// Turns extracted or transcribed text into lines the other stages can read.
// Some sources replace every line break with a comma ("PLAN:,1.  Continue…",
// "…stable.,EXAM:"), so breaks are restored at those boundaries; whitespace and
// bullets are made uniform.

/** Restores probable line breaks and tidies whitespace; the result always uses "\n". */
export function normalizeText(raw: string): string {
  let text = raw.replace(/\r\n?/g, '\n').replace(/\u00a0/g, ' ').replace(/[\u2022\u25cf\u25aa]/g, '-');
  // Comma-for-newline damage: ":," after a heading, ".," after a sentence, and a
  // comma directly before a numbered item or an upper-case heading.
  text = text
    .replace(/:\s*,\s*/g, ':\n')
    .replace(/([.?!)])\s*,(?=\s*\S)/g, '$1\n')
    .replace(/,\s*(?=\d{1,2}[.)]\s+[A-Za-z])/g, '\n')
    .replace(/,\s*(?=[A-Z][A-Z/&\- ]{2,40}:)/g, '\n')
    // A heading run into the previous sentence ("…pneumonia. Past medical history: asthma").
    .replace(/([.!?])\s+(?=(?:[A-Z][A-Za-z/&-]*)(?: [A-Za-z/&-]+){0,4}:\s)/g, '$1\n');
  // Very long unbroken tokens (OCR noise, encoded blobs) would make word-boundary
  // scans quadratic; real words are never this long.
  if (text.split(/\s+/).some((w) => w.length >= 80)) text = text.replace(/\S{80,}/g, (w) => w.replace(/(\S{60})/g, '$1 '));
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .filter((line, i, all) => line !== '' || (i > 0 && all[i - 1] !== ''))
    .join('\n')
    .trim();
}

const sentenceCache = new Map<string, string[]>();

/** Splits text into sentences, keeping abbreviations such as "Dr." and decimals intact. */
export function splitSentences(text: string): string[] {
  // Several stages split the same section; a small cache keeps that to once per text.
  const cached = sentenceCache.get(text);
  if (cached) return [...cached];
  const out = splitUncached(text);
  if (sentenceCache.size >= 256) sentenceCache.delete(sentenceCache.keys().next().value!);
  sentenceCache.set(text, out);
  return [...out];
}

function splitUncached(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const parts = line.split(/(?<!\b(?:Dr|Mr|Mrs|Ms|St|vs|approx|No|p\.o|b\.i\.d|t\.i\.d|q\.i\.d|a\.m|p\.m|e\.g|i\.e|[A-Za-z]))[.?!](?=\s+[A-Z0-9(])/);
    for (const p of parts) {
      const s = p.trim().replace(/^[-*]\s*/, '');
      if (s.length > 1) out.push(s);
    }
  }
  return out;
}

/** Escapes a literal for use inside a RegExp. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Trims list markers and trailing punctuation from an extracted phrase. */
export function cleanPhrase(s: string): string {
  return s
    .replace(/^\s*(?:\d{1,2}[.)]|[-*#]|[a-z][.)])\s*/, '')
    .replace(/\s+/g, ' ')
    .replace(/[\s,;:.]+$/, '')
    .trim();
}

export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${cut.slice(0, space > max * 0.6 ? space : max).trim()}…`;
}

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
