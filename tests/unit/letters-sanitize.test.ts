// The letter pipeline with a scripted writer: markup in a draft ends up as plain
// text (scripts dropped with their contents, other tags stripped, entities
// decoded once), codes are removed for readers who must not see them, a
// malformed draft is repaired once, and an unusable one fails clearly.
import { describe, expect, it } from 'vitest';
import { AnalysisFailure } from '@/lib/analysis/errors';
import { MAX_RUN_LENGTH, letterContentSchema, plainText, toHtml } from '@/lib/letters/content';
import type { LetterLanguage, LetterRequest } from '@/lib/letters/options';
import type { LetterProvider, WrittenLetter } from '@/lib/letters/provider';
import { writeLetter } from '@/lib/letters/run';
import { draftInput, glaucomaAnalysis, letterRequest } from '@/tests/fixtures/letters';

function scripted(output: unknown, language: LetterLanguage = 'en'): LetterProvider {
  return {
    name: 'openai',
    async write(_input, context) {
      await context.onStage('drafting');
      return { output, model: 'gpt-test', promptVersion: 'letter-test-1', language };
    },
  };
}

const ctx = () => ({ signal: new AbortController().signal, onStage: () => {} });

async function run(output: unknown, request: LetterRequest = letterRequest('referral', 'specialist'), language: LetterLanguage = 'en'): Promise<WrittenLetter> {
  return writeLetter(draftInput(glaucomaAnalysis(), request), ctx(), scripted(output, language));
}

const draft = (sections: unknown, extra: Record<string, unknown> = {}) => ({
  subject: 'Referral for glaucoma evaluation',
  salutation: 'Dear Dr. Silva,',
  sections,
  closing: 'With kind regards,',
  ...extra,
});

const texts = (letter: WrittenLetter) =>
  letter.content.blocks.flatMap((b) => (b.type === 'list' ? b.items.flatMap((i) => i.map((r) => r.text)) : b.runs.map((r) => r.text)));

describe('sanitising a draft', () => {
  it('keeps the text of markup and drops scripts, images and handlers', async () => {
    const letter = await run(
      draft(
        [
          {
            heading: '<h1>Exam <em>findings</em></h1>',
            paragraphs: [
              'Pressure <script>alert(1)</script>was high, IOP &lt; 30 &amp; rising.',
              '<img src=x onerror=alert(1)>Vision stable.',
              '<style>p { color: red }</style><p onclick="steal()">Discs <b>bold</b> and <a href="javascript:alert(1)">linked</a></p>',
            ],
            bullets: ['<b>bold</b> item', '- dash item', '2. numbered item', '&lt;script&gt;alert(2)&lt;/script&gt;kept', '**Markdown** bold'],
          },
        ],
        { subject: 'Referral <b>glaucoma</b> <script>alert(1)</script>', salutation: 'Dear <i>Dr. Silva</i>,' },
      ),
    );
    expect(letterContentSchema.safeParse(letter.content).success).toBe(true);
    const all = [letter.subject, ...texts(letter)].join('\n');
    expect(all).not.toMatch(/<script|<img|<style|<\/?[a-z][^>]*>/i);
    expect(all).not.toMatch(/alert|onerror|onclick|color: red|javascript:/);
    expect(letter.subject).toBe('Referral glaucoma');
    expect(texts(letter)).toEqual([
      'Dear Dr. Silva,',
      'Exam findings',
      'Pressure was high, IOP < 30 & rising.',
      'Vision stable.',
      'Discs bold and linked',
      'bold item',
      'dash item',
      'numbered item',
      'kept',
      'Markdown bold',
      'With kind regards,',
    ]);
    const html = toHtml(letter.content);
    expect(html).toContain('<p>Pressure was high, IOP &lt; 30 &amp; rising.</p>');
    expect(html).not.toMatch(/<script|<img|onerror|<b>|<style/);
    expect(letter.meta.repaired).toBe(false);
  });

  it('keeps a literal "<" that is not a tag, and escapes it in HTML', async () => {
    const letter = await run(draft([{ heading: null, paragraphs: ['Target pressure is < 18 & > 10 mmHg; 5<7.'], bullets: [] }]));
    expect(texts(letter)).toContain('Target pressure is < 18 & > 10 mmHg; 5<7.');
    expect(toHtml(letter.content)).toContain('Target pressure is &lt; 18 &amp; &gt; 10 mmHg; 5&lt;7.');
  });

  it('decodes entities only once, so double-encoded markup stays harmless text', async () => {
    const letter = await run(draft([{ heading: null, paragraphs: ['Shown as &amp;lt;b&amp;gt; text'], bullets: [] }]));
    expect(texts(letter)).toContain('Shown as &lt;b&gt; text');
    expect(toHtml(letter.content)).toContain('Shown as &amp;lt;b&amp;gt; text');
  });

  it('ends at the sign-off: a signature under it is the PDF’s', async () => {
    const letter = await run(draft([{ heading: null, paragraphs: ['Thank you.'], bullets: [] }], { closing: 'With kind regards,\nDr. Ana Ribeiro\nLakeside Eye Clinic' }));
    expect(texts(letter).at(-1)).toBe('With kind regards,');
    const br = await run(draft([{ heading: null, paragraphs: ['Thank you.'], bullets: [] }], { closing: 'Sincerely,<br/>Dr. Ana Ribeiro' }));
    expect(texts(br).at(-1)).toBe('Sincerely,');
  });

  it('splits a paragraph longer than a run may be', async () => {
    const long = 'The pressure has been reviewed again. '.repeat(400).trim();
    const letter = await run(draft([{ heading: null, paragraphs: [long], bullets: [] }]));
    expect(letterContentSchema.safeParse(letter.content).success).toBe(true);
    for (const text of texts(letter)) expect(text.length).toBeLessThanOrEqual(MAX_RUN_LENGTH);
    expect(texts(letter).join(' ').replace(/\s+/g, ' ')).toContain(long.slice(0, 200));
  });

  it('removes ICD-10 codes from letters for patients and other readers, and keeps them for physicians', async () => {
    const sections = [{ heading: null, paragraphs: ['You have glaucoma (H40.1131) and a cataract (ICD-10: H25.11). Your pressure is treated (H40.9, H401131).'], bullets: ['Glaucoma H40.1131 in both eyes'] }];
    const patient = await run(draft(sections, { subject: 'Your visit (H40.1131)' }), letterRequest('patient_summary', 'patient'));
    const all = [patient.subject, ...texts(patient)].join('\n');
    expect(all).not.toMatch(/H40|H25|H401131|ICD/);
    expect(texts(patient)).toContain('You have glaucoma and a cataract. Your pressure is treated.');
    expect(texts(patient)).toContain('Glaucoma in both eyes');
    expect(patient.subject).toBe('Your visit');
    const specialist = await run(draft(sections), letterRequest('referral', 'specialist'));
    expect(texts(specialist).join('\n')).toContain('glaucoma (H40.1131)');
  });
});

describe('repairing a draft', () => {
  it('repairs a malformed draft once and fills missing parts from the request', async () => {
    const letter = await run({
      subject: '',
      sections: [{ title: 'Findings', paragraphs: 'Pressure 26 mmHg right eye.', items: ['Disc cupping 0.75'] }, 'A loose closing paragraph.'],
    });
    expect(letter.meta.repaired).toBe(true);
    expect(letter.notices.some((n) => n.includes('needed repair'))).toBe(true);
    expect(texts(letter)).toEqual(['Dear Dr. Silva,', 'Findings', 'Pressure 26 mmHg right eye.', 'Disc cupping 0.75', 'A loose closing paragraph.', 'With kind regards,']);
    expect(letter.subject).toBe('Referral — Primary open-angle glaucoma, bilateral, mild stage (H40.1131)');
  });

  it('accepts a body given as a plain list of paragraphs', async () => {
    const letter = await run({ salutation: 'Dear Dr. Silva,', body: ['First paragraph.', 'Second paragraph.'], closing: 'Best,' });
    expect(letter.meta.repaired).toBe(true);
    expect(plainText(letter.content)).toBe('Dear Dr. Silva,\n\nFirst paragraph.\n\nSecond paragraph.\n\nBest,');
  });

  it('uses a sign-off in the letter’s language when a draft in another language lacks one', async () => {
    const letter = await run({ subject: 'Encaminhamento', salutation: 'Cara Dra. Silva,', sections: [{ heading: null, paragraphs: ['Obrigado.'], bullets: [] }] }, letterRequest('referral', 'specialist', { language: 'pt' }), 'pt');
    expect(texts(letter).at(-1)).toBe('Com os melhores cumprimentos,');
    expect(letter.meta.language).toBe('pt');
    expect(letter.notices.some((n) => n.includes('English'))).toBe(false);
  });

  it.each([
    ['no body at all', { subject: 'x', salutation: 'Dear Dr. Silva,', closing: 'Regards,' }],
    ['a string', 'Dear Dr. Silva, here is my letter.'],
    ['null', null],
    ['empty sections', { subject: 'x', sections: [{ heading: 'Findings', paragraphs: [], bullets: [] }] }],
    ['a body that is only markup', draft([{ heading: null, paragraphs: ['<script>alert(1)</script>', '<img src=x>'], bullets: ['<br>'] }])],
    ['a letter over the size limit', draft(Array.from({ length: 40 }, () => ({ heading: null, paragraphs: ['Word '.repeat(400)], bullets: [] })))],
  ])('fails with letter_invalid for %s', async (_name, output) => {
    const error = await run(output).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnalysisFailure);
    expect(error).toMatchObject({ code: 'letter_invalid', retryable: false });
    expect((error as AnalysisFailure).userMessage).toBe('The letter came back in a form we could not read. Please try again.');
  });
});
