// Word documents: the raw text of the body (mammoth drops styling, which the
// analysis does not need). A .docx is a zip; a broken one fails to open.
import mammoth from 'mammoth';
import { extractionErrors } from './errors';
import { normalizeText } from './text';

export async function extractDocx(bytes: Uint8Array): Promise<string> {
  try {
    const { value } = await mammoth.extractRawText({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
    return normalizeText(value);
  } catch (error) {
    throw extractionErrors.corrupt('docx', 'Word', error);
  }
}
