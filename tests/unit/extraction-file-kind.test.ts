import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { asciiFileName, cleanFileName, contentDisposition, detectFileKind } from '@/lib/uploads';
import { docx, noteImage, noteTiff, textPdf } from '@/tests/fixtures/files/generate';

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p)))));

/** A WAV header: RIFF, size, WAVE, then a fmt chunk. */
const WAV = bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt ', [16, 0, 0, 0, 1, 0, 1, 0, 0x40, 0x1f, 0, 0, 0x80, 0x3e, 0, 0, 2, 0, 16, 0], 'data', [0, 0, 0, 0]);
/** An MP3 with an ID3v2 tag. */
const MP3 = bytes('ID3', [3, 0, 0, 0, 0, 0, 0], [0xff, 0xfb, 0x90, 0x64], new Array(64).fill(0));
/** An Ogg page carrying Vorbis. */
const OGG = bytes('OggS', [0, 2], new Array(20).fill(0), [1, 30], [1], 'vorbis', new Array(64).fill(0));
/** An ISO media file with a generic brand, as Safari records audio. */
const MP4 = bytes([0, 0, 0, 0x18], 'ftypiso5', [0, 0, 2, 0], 'iso5mp41');
/** An OLE compound file: old .doc or an encrypted .docx. */
const CFB = bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], new Array(504).fill(0));

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('unsupported_media_type');
  return error as AppError;
}

describe('file kind from the first bytes', () => {
  it.each([
    ['pdf', textPdf()],
    ['docx', docx()],
    ['png', noteImage(['x'])],
    ['jpeg', noteImage(['x'], { format: 'jpeg' })],
    ['webp', noteImage(['x'], { format: 'webp' })],
    ['tiff', noteTiff(['x'])],
    ['wav', WAV],
    ['mp3', MP3],
    ['ogg', OGG],
  ])('recognises %s whatever the name says', async (kind, data) => {
    expect(await detectFileKind(data.subarray(0, 8192), 'misleading.exe', 'application/octet-stream')).toBe(kind);
  });

  it('takes a generic MP4 as M4A audio only when the sender says it is audio', async () => {
    expect(await detectFileKind(MP4, 'recording.m4a', 'audio/mp4')).toBe('m4a');
    await refusal(detectFileKind(MP4, 'clip.mp4', 'video/mp4'));
  });

  it('accepts text only when declared as text and free of binary bytes', async () => {
    const text = bytes('Seen in clinic today.\r\n\tNo concerns.\n');
    expect(await detectFileKind(text, 'note.txt', '')).toBe('txt');
    expect(await detectFileKind(text, 'note', 'text/plain')).toBe('txt');
    await refusal(detectFileKind(text, 'note.pdf', 'application/pdf'));
    await refusal(detectFileKind(bytes('abc', [0], 'def'), 'note.txt', 'text/plain'));
  });

  it('explains old or password-protected Word files', async () => {
    expect((await refusal(detectFileKind(CFB, 'letter.doc', 'application/msword'))).userMessage).toMatch(/old Word \(\.doc\) file or a password-protected Word document/);
  });

  it('lists the accepted types when refusing', async () => {
    const error = await refusal(detectFileKind(bytes('GIF89a', new Array(32).fill(0)), 'scan.pdf', 'application/pdf'));
    expect(error.userMessage).toBe(
      'This kind of file is not supported. Upload a PDF, Word (.docx), text, PNG, JPEG, WebP or TIFF file, or an audio recording for transcription (WebM, Ogg, MP3, M4A or WAV).',
    );
  });
});

describe('file names', () => {
  it('cleans a name for storage as metadata', () => {
    expect(cleanFileName('  a\u0000b\nc.pdf  ', 'pdf')).toBe('abc.pdf');
    expect(cleanFileName('   ', 'pdf')).toBe('upload.pdf');
    expect(cleanFileName(undefined, 'txt')).toBe('upload.txt');
    // Counted in characters, so an emoji is never cut in half.
    expect(Array.from(cleanFileName('😀'.repeat(300), 'png'))).toHaveLength(255);
  });

  it('builds an attachment header with an ASCII fallback and the exact name', () => {
    expect(asciiFileName('Überweisung für Dr. Müller.pdf', 'pdf')).toBe('Uberweisung fur Dr. Muller.pdf');
    expect(asciiFileName('病历.pdf', 'pdf')).toBe('__.pdf');
    expect(asciiFileName('病历', 'pdf')).toBe('download.pdf');
    expect(asciiFileName('..\\..\\secret".txt', 'txt')).toBe('_.._secret_.txt');
    expect(contentDisposition("O'Brien (copy).pdf", 'pdf')).toBe(`attachment; filename="O_Brien _copy_.pdf"; filename*=UTF-8''O%27Brien%20%28copy%29.pdf`);
  });
});
