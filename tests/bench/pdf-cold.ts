// Child process for ./pdf.ts: renders the sample two-page letter (PNG logo and
// signature) and prints one line of JSON.
//   cold (default): a fresh process imports the renderer and renders once; the time
//                   covers the import, font registration and loading, and the render.
//   warm:           three renders to warm up, then as many as fit in WARM_SECONDS.
// The renderer imports 'server-only', which plain Node refuses and Next resolves under
// the react-server condition; that condition would also give react-pdf React's server
// build, which cannot render. So, as vitest does, 'server-only' is resolved to an
// empty module here instead.
//   node --import tsx tests/bench/pdf-cold.ts [cold|warm]
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'server-only') return { url: 'data:text/javascript,export {}', shortCircuit: true };
    return nextResolve(specifier, context);
  },
});

const WARM_SECONDS = 3;

export interface PdfChildResult {
  mode: 'cold' | 'warm';
  importMs: number;
  firstRenderMs: number;
  renders: number;
  seconds: number;
  pageCount: number;
  bytes: number;
}

async function main(mode: 'cold' | 'warm'): Promise<PdfChildResult> {
  const { logoImage, sampleLetterInput, signatureImage } = await import('../fixtures/letter-pdf-input');
  const input = sampleLetterInput({
    clinic: { ...sampleLetterInput().clinic, logo: logoImage('png') },
    signature: { image: signatureImage(), name: 'Dr. Maria Souza, OD' },
  });

  const t0 = performance.now();
  const { renderLetterPdf } = await import('@/lib/pdf/letter-pdf');
  const t1 = performance.now();
  const first = await renderLetterPdf(input);
  const t2 = performance.now();
  const result: PdfChildResult = { mode, importMs: t1 - t0, firstRenderMs: t2 - t1, renders: 0, seconds: 0, pageCount: first.pageCount, bytes: first.bytes.length };
  if (mode === 'cold') return result;

  for (let i = 0; i < 3; i++) await renderLetterPdf(input);
  const start = performance.now();
  let renders = 0;
  while ((performance.now() - start) / 1000 < WARM_SECONDS || renders < 3) {
    const pdf = await renderLetterPdf(input);
    // A sanity check that every render is the whole, identical document.
    if (pdf.sha256 !== first.sha256) throw new Error('PDF benchmark: a render differed from the first one');
    renders++;
  }
  return { ...result, renders, seconds: (performance.now() - start) / 1000 };
}

const mode = process.argv[2] === 'warm' ? 'warm' : 'cold';
console.log(JSON.stringify(await main(mode)));
