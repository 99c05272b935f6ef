import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetConfig, setEnvironment } from '@/lib/config';
import { AppError } from '@/lib/errors';
import { getStorage, isSafeKey, localStorage, s3Storage, UnsafeStorageKeyError } from '@/lib/storage';
import { checkImage, detectImageType, IMAGE_SIZE_LIMITS } from '@/lib/storage/images';

/** A real 1×1 PNG. */
const PNG = new Uint8Array(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'));
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0'), 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);
const WEBP = new Uint8Array([...Buffer.from('RIFF'), 0x1a, 0x00, 0x00, 0x00, ...Buffer.from('WEBPVP8L'), 0x0d, 0x00, 0x00, 0x00, 0x2f, 0x00, 0x00, 0x00, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07, 0x00]);
const GIF = new Uint8Array(Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'));
const SVG = new Uint8Array(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'));
const TEXT = new Uint8Array(Buffer.from('Patient notes, definitely not an image.\n'));

const roots: string[] = [];
function tempRoot(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maneiro-storage-'));
  roots.push(dir);
  return dir;
}
afterAll(() => roots.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

describe('local storage', () => {
  it('stores, reads back and deletes an object with its content type', async () => {
    const root = tempRoot();
    const storage = localStorage(root);
    await storage.put('clinics/abc/logo-1.png', PNG, 'image/png');
    const stored = await storage.get('clinics/abc/logo-1.png');
    expect(stored?.contentType).toBe('image/png');
    expect(Buffer.from(stored!.bytes).equals(Buffer.from(PNG))).toBe(true);
    expect(fs.existsSync(path.join(root, 'clinics', 'abc', 'logo-1.png'))).toBe(true);
    // Only the object and its hidden type file: no temporary files are left behind.
    expect(fs.readdirSync(path.join(root, 'clinics', 'abc')).sort()).toEqual(['.logo-1.png.type', 'logo-1.png']);

    await storage.delete('clinics/abc/logo-1.png');
    expect(await storage.get('clinics/abc/logo-1.png')).toBeNull();
    expect(fs.readdirSync(path.join(root, 'clinics', 'abc'))).toEqual([]);
    await expect(storage.delete('clinics/abc/logo-1.png')).resolves.toBeUndefined();
  });

  it('answers null for a key that was never stored', async () => {
    expect(await localStorage(tempRoot()).get('clinics/none/logo-x.png')).toBeNull();
  });

  it('overwrites an object under the same key', async () => {
    const storage = localStorage(tempRoot());
    await storage.put('a/b.bin', PNG, 'image/png');
    await storage.put('a/b.bin', JPEG, 'image/jpeg');
    const stored = await storage.get('a/b.bin');
    expect(stored?.contentType).toBe('image/jpeg');
    expect(stored?.bytes.byteLength).toBe(JPEG.byteLength);
  });

  it.each([
    '../outside.png',
    'clinics/../../outside.png',
    'clinics/..',
    '..',
    '/etc/passwd',
    'clinics//logo.png',
    'clinics/logo.png/',
    '.hidden',
    'clinics/.logo.png.type',
    'clinics\\..\\outside.png',
    'clinics/lo go.png',
    'clinics/logo..png',
    '',
    'a/'.repeat(300) + 'b',
  ])('refuses the unsafe key %j and touches nothing outside the root', async (key) => {
    const parent = tempRoot();
    const root = path.join(parent, 'uploads');
    const storage = localStorage(root);
    expect(isSafeKey(key)).toBe(false);
    await expect(storage.put(key, PNG, 'image/png')).rejects.toBeInstanceOf(UnsafeStorageKeyError);
    await expect(storage.get(key)).rejects.toBeInstanceOf(UnsafeStorageKeyError);
    await expect(storage.delete(key)).rejects.toBeInstanceOf(UnsafeStorageKeyError);
    expect(fs.readdirSync(parent)).toEqual([]);
  });

  it('accepts the keys the app generates', () => {
    expect(isSafeKey('clinics/0b8f6c1e-9d3a-4f57-8a61-2f4a3c5d6e7f/signature-8c1d2e3f4a5b6c7d8e9f0a1b.webp')).toBe(true);
  });
});

describe('S3 storage', () => {
  const s3 = mockClient(S3Client);
  beforeEach(() => s3.reset());

  it('writes with SSE-S3 (AES256) and the content type', async () => {
    s3.on(PutObjectCommand).resolves({});
    const storage = s3Storage({ bucket: 'maneiro-uploads', region: 'eu-west-1', client: new S3Client({ region: 'eu-west-1' }) });
    await storage.put('clinics/x/logo-1.png', PNG, 'image/png');
    const calls = s3.commandCalls(PutObjectCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toMatchObject({
      Bucket: 'maneiro-uploads',
      Key: 'clinics/x/logo-1.png',
      ContentType: 'image/png',
      ServerSideEncryption: 'AES256',
    });
  });

  it('answers null for a missing object and deletes by key', async () => {
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } }));
    s3.on(DeleteObjectCommand).resolves({});
    const storage = s3Storage({ bucket: 'b', region: 'us-east-1', client: new S3Client({ region: 'us-east-1' }) });
    expect(await storage.get('clinics/x/logo-1.png')).toBeNull();
    await storage.delete('clinics/x/logo-1.png');
    expect(s3.commandCalls(DeleteObjectCommand)[0]!.args[0].input).toEqual({ Bucket: 'b', Key: 'clinics/x/logo-1.png' });
  });

  it('refuses unsafe keys before calling S3', async () => {
    const storage = s3Storage({ bucket: 'b', region: 'us-east-1', client: new S3Client({ region: 'us-east-1' }) });
    await expect(storage.put('../x', PNG, 'image/png')).rejects.toBeInstanceOf(UnsafeStorageKeyError);
    expect(s3.calls()).toHaveLength(0);
  });
});

describe('choosing the storage', () => {
  const saved = { S3_BUCKET: process.env.S3_BUCKET, DATA_DIR: process.env.DATA_DIR };
  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    resetConfig();
  });

  it('uses the local disk under DATA_DIR/uploads without S3_BUCKET, and S3 with it', async () => {
    const dataDir = tempRoot();
    delete process.env.S3_BUCKET;
    setEnvironment({ DATA_DIR: dataDir });
    await getStorage().put('probe/one.txt', TEXT, 'text/plain');
    expect(fs.existsSync(path.join(dataDir, 'uploads', 'probe', 'one.txt'))).toBe(true);

    const s3 = mockClient(S3Client);
    s3.on(PutObjectCommand).resolves({});
    setEnvironment({ S3_BUCKET: 'maneiro-test-bucket' });
    await getStorage().put('probe/two.txt', TEXT, 'text/plain');
    expect(s3.commandCalls(PutObjectCommand)[0]!.args[0].input).toMatchObject({ Bucket: 'maneiro-test-bucket', ServerSideEncryption: 'AES256' });
    expect(fs.existsSync(path.join(dataDir, 'uploads', 'probe', 'two.txt'))).toBe(false);
    s3.restore();
  });
});

describe('image type by magic bytes', () => {
  it('recognises PNG, JPEG and WebP', () => {
    expect(detectImageType(PNG)).toBe('png');
    expect(detectImageType(JPEG)).toBe('jpeg');
    expect(detectImageType(WEBP)).toBe('webp');
  });

  it('refuses anything else, whatever it would be called', () => {
    for (const bytes of [GIF, SVG, TEXT, new Uint8Array(), PNG.slice(0, 8), new Uint8Array([0xff, 0xd8, 0xff, 0xff]), WEBP.slice(0, 12)]) {
      expect(detectImageType(bytes)).toBeNull();
    }
    // A PNG signature in front of text is not enough: the IHDR chunk must follow.
    expect(detectImageType(new Uint8Array([...PNG.slice(0, 8), ...TEXT]))).toBeNull();
  });

  it('explains what is wrong with a file that is not an image, empty or too large', () => {
    expect(checkImage('logo', PNG)).toEqual({ type: 'png', contentType: 'image/png', extension: 'png' });
    expect(checkImage('signature', JPEG).extension).toBe('jpg');

    const notImage = thrown(() => checkImage('logo', TEXT));
    expect(notImage.code).toBe('unsupported_media_type');
    expect(notImage.fieldErrors?.file?.[0]).toMatch(/PNG, JPEG or WebP/);

    expect(thrown(() => checkImage('logo', new Uint8Array())).userMessage).toBe('Choose an image file for the logo.');

    const big = new Uint8Array(IMAGE_SIZE_LIMITS.signature + 1);
    big.set(PNG);
    const tooBig = thrown(() => checkImage('signature', big));
    expect(tooBig.code).toBe('payload_too_large');
    expect(tooBig.userMessage).toBe('The signature must be 2 MB or smaller; this file is 2.1 MB.');

    const exact = new Uint8Array(IMAGE_SIZE_LIMITS.logo);
    exact.set(PNG);
    expect(checkImage('logo', exact).type).toBe('png');
  });
});

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected an AppError');
}
