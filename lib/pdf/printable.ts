// Text as the letter fonts can print it. react-pdf sets a character Geist has no
// glyph for (CJK, Greek, emoji, ✓) in Helvetica with a Latin-1 encoding, which
// prints a different, wrong character: a misspelt name in a clinical letter. So
// such characters become "?", spaces Geist lacks become ordinary spaces, and
// invisible formatting characters are dropped.
import type { GlyphCoverage } from './fonts';
import type { LetterPdfInput } from './letter-pdf';

const SPACE = /^\s$/u;
// Zero-width and other format characters, variation selectors, and marks with no base left.
const INVISIBLE = /^[\p{Cf}\p{M}\u{FE00}-\u{FE0F}\u{E0100}-\u{E01EF}]$/u;

export function printableText(text: string, covers: GlyphCoverage): string {
  let out = '';
  // NFC first, so "a" + combining tilde is the precomposed "ã" the font has.
  for (const char of text.normalize('NFC')) {
    const codePoint = char.codePointAt(0) ?? 0;
    if (covers(codePoint)) out += char;
    else if (SPACE.test(char)) out += ' ';
    else if (!INVISIBLE.test(char)) out += '?';
  }
  return out;
}

/** Every string the letter prints, made printable (the metadata title is left as it is: it needs no font). */
export function printableInput(input: LetterPdfInput, covers: GlyphCoverage): LetterPdfInput {
  const p = (text: string) => printableText(text, covers);
  const maybe = (text: string | null) => (text === null ? null : p(text));
  return {
    ...input,
    // The address keeps its line breaks (the letterhead prints one line each).
    clinic: { ...input.clinic, name: p(input.clinic.name), address: input.clinic.address === null ? null : input.clinic.address.split('\n').map(p).join('\n'), phone: maybe(input.clinic.phone), fax: maybe(input.clinic.fax) },
    header: { to: p(input.header.to), from: p(input.header.from), date: p(input.header.date), re: p(input.header.re) },
    patient: {
      name: maybe(input.patient.name),
      dateOfBirth: maybe(input.patient.dateOfBirth),
      identifiers: input.patient.identifiers.map((id) => ({ kind: p(id.kind), value: p(id.value) })),
    },
    content: {
      blocks: input.content.blocks.map((block) =>
        block.type === 'list'
          ? { ...block, items: block.items.map((item) => item.map((run) => ({ ...run, text: p(run.text) }))) }
          : { ...block, runs: block.runs.map((run) => ({ ...run, text: p(run.text) })) },
      ),
    },
    signature: { ...input.signature, name: p(input.signature.name) },
  };
}
