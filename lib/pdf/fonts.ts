// Geist, embedded from the `geist` package's TTF files so a letter looks the same
// in every viewer and nothing is fetched at render time. react-pdf keeps fonts in
// one process-wide store, so they are registered once.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Font } from '@react-pdf/renderer';

export const LETTER_FONT_FAMILY = 'Geist';

const FACES = [
  { file: 'Geist-Regular.ttf', fontWeight: 400, fontStyle: 'normal' },
  { file: 'Geist-Bold.ttf', fontWeight: 700, fontStyle: 'normal' },
  { file: 'Geist-Italic.ttf', fontWeight: 400, fontStyle: 'italic' },
  { file: 'Geist-BoldItalic.ttf', fontWeight: 700, fontStyle: 'italic' },
] as const;

/**
 * The folder holding Geist Sans's TTF files. `geist` does not export its
 * package.json, so one of its exported entry points (dist/font.js) is resolved
 * and the fonts are found beside it, wherever node_modules is. A bundled server
 * build may rewrite or be unable to follow that resolution (the standalone output
 * traces only the TTF files), so node_modules under the working directory, where
 * `next start` and the standalone server run, is the fallback.
 */
export function geistFontDirectory(): string {
  const candidates: string[] = [];
  try {
    const entry = createRequire(import.meta.url).resolve('geist/font');
    candidates.push(path.join(path.dirname(entry), 'fonts', 'geist-sans'));
  } catch {
    // Not resolvable from here: try the fallback.
  }
  candidates.push(path.join(process.cwd(), 'node_modules', 'geist', 'dist', 'fonts', 'geist-sans'));
  const found = candidates.find((dir) => FACES.every((face) => fs.existsSync(path.join(dir, face.file))));
  if (!found) throw new Error('The Geist font files (node_modules/geist/dist/fonts/geist-sans) were not found');
  return found;
}

/** A word longer than this (a URL, an identifier) may be broken anywhere, so it never runs off the page. */
const LONGEST_UNBROKEN_WORD = 30;
const WORD_PIECE = 12;

let registered = false;

export function registerLetterFonts(): void {
  if (registered) return;
  const dir = geistFontDirectory();
  Font.register({
    family: LETTER_FONT_FAMILY,
    fonts: FACES.map((face) => ({ src: path.join(dir, face.file), fontWeight: face.fontWeight, fontStyle: face.fontStyle })),
  });
  // Ordinary words are never split: react-pdf's default English hyphenation breaks
  // drug names and identifiers in the middle, which misleads a reader. Only a word
  // too long for a line is cut into pieces it may break between.
  Font.registerHyphenationCallback((word) => {
    if (word.length <= LONGEST_UNBROKEN_WORD) return [word];
    const pieces: string[] = [];
    for (let i = 0; i < word.length; i += WORD_PIECE) pieces.push(word.slice(i, i + WORD_PIECE));
    return pieces;
  });
  registered = true;
}

/** Whether every Geist face has a glyph for a code point. */
export type GlyphCoverage = (codePoint: number) => boolean;

let coverage: Promise<GlyphCoverage> | null = null;

/** The letter fonts' character coverage (loads the fonts once). */
export function letterFontCoverage(): Promise<GlyphCoverage> {
  registerLetterFonts();
  coverage ??= (async () => {
    const faces = await Promise.all(
      FACES.map(async (face) => {
        const source = Font.getFont({ fontFamily: LETTER_FONT_FAMILY, fontWeight: face.fontWeight, fontStyle: face.fontStyle });
        await source.load();
        if (!source.data) throw new Error(`The letter font ${face.file} did not load`);
        return source.data;
      }),
    );
    const known = new Map<number, boolean>();
    return (codePoint: number) => {
      let has = known.get(codePoint);
      if (has === undefined) {
        has = faces.every((font) => font.hasGlyphForCodePoint(codePoint));
        known.set(codePoint, has);
      }
      return has;
    };
  })().catch((error: unknown) => {
    coverage = null;
    throw error;
  });
  return coverage;
}
