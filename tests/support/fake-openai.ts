// A scripted OpenAI chat-completions API on 127.0.0.1 for tests: the real
// `openai` SDK talks to it (OPENAI_BASE_URL = fake.url), so retries, timeouts,
// headers, aborts and error mapping run the same code as in production. Each
// request takes the next behaviour from the queue (the last one repeats when the
// queue runs dry) and is recorded for assertions.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import busboy from 'busboy';

const execFileAsync = promisify(execFile);

export type FakeOpenAIBehaviour =
  /** 200 with this object as the assistant message's JSON content. */
  | { kind: 'ok'; output: unknown; model?: string }
  /** An error status with an OpenAI-style error body. */
  | { kind: 'status'; status: number; code?: string; message?: string; headers?: Record<string, string> }
  /** Accepts the request and never answers (until the server closes). */
  | { kind: 'hang' }
  /** 200 whose content is not JSON at all. */
  | { kind: 'invalid_json' }
  /** 200 with a refusal instead of content. */
  | { kind: 'refusal'; refusal?: string }
  /** 200 with a different finish reason (e.g. 'length', 'content_filter'). */
  | { kind: 'finish'; reason: 'length' | 'content_filter'; content?: string };

export const ok = (output: unknown, model?: string): FakeOpenAIBehaviour => ({ kind: 'ok', output, model });
/** Valid JSON that fails the analysis schema. */
export const malformed = (output: unknown): FakeOpenAIBehaviour => ({ kind: 'ok', output });
export const status = (
  code: number,
  extra: Omit<Extract<FakeOpenAIBehaviour, { kind: 'status' }>, 'kind' | 'status'> = {},
): FakeOpenAIBehaviour => ({
  ...extra,
  kind: 'status',
  status: code,
  // Keeps SDK backoff in tests to milliseconds: the SDK honours retry-after-ms.
  headers: { 'retry-after-ms': '10', ...extra.headers },
});
export const hang = (): FakeOpenAIBehaviour => ({ kind: 'hang' });
export const invalidJson = (): FakeOpenAIBehaviour => ({ kind: 'invalid_json' });

export interface RecordedChatRequest {
  path: string;
  authorization: string | undefined;
  /** The SDK's retry counter header (0 on the first attempt). */
  retryCount: number;
  body: {
    model?: string;
    messages?: { role: string; content: string }[];
    response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: Record<string, unknown> } };
    [key: string]: unknown;
  };
}

/** What /v1/audio/transcriptions does with the next request (default: transcribe). */
export type FakeAudioBehaviour = { kind: 'ok' } | { kind: 'status'; status: number; code?: string; headers?: Record<string, string> } | { kind: 'hang' };

export interface RecordedAudioRequest {
  model: string;
  responseFormat: string;
  language: string | null;
  timestampGranularities: string[];
  /** sha256 of the uploaded audio: the same chunk sent twice has the same digest. */
  sha256: string;
  byteSize: number;
  /** Read with ffprobe from the uploaded bytes; null when unreadable. */
  durationMs: number | null;
  retryCount: number;
  status: number;
}

export interface FakeOpenAI {
  /** Base URL for the SDK, ending in /v1. */
  url: string;
  requests: RecordedChatRequest[];
  /** Every /v1/audio/transcriptions request, in arrival order. */
  audioRequests: RecordedAudioRequest[];
  /** Queues behaviours for the next requests, in order. */
  script(...behaviours: FakeOpenAIBehaviour[]): void;
  /** Queues behaviours for the next audio requests; when none is queued, audio requests succeed. */
  scriptAudio(...behaviours: FakeAudioBehaviour[]): void;
  close(): Promise<void>;
}

/** The deterministic text of one transcribed chunk: its ordinal (first-seen order of distinct audio) and length. */
export function fakeChunkText(ordinal: number, durationMs: number, part: 1 | 2): string {
  return `Chunk ${ordinal} part ${part} of ${(durationMs / 1000).toFixed(1)} seconds.`;
}

async function probeMs(bytes: Buffer): Promise<number | null> {
  const require = createRequire(import.meta.url);
  const ffprobe = (require('@ffprobe-installer/ffprobe') as { path: string }).path;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fake-openai-'));
  try {
    const file = path.join(dir, 'audio');
    await fs.writeFile(file, bytes);
    const { stdout } = await execFileAsync(ffprobe, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]);
    const seconds = Number(stdout.trim());
    return Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : null;
  } catch {
    return null;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

function readMultipart(req: http.IncomingMessage): Promise<{ fields: Record<string, string[]>; file: Buffer }> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string[]> = {};
    const parts: Buffer[] = [];
    const parser = busboy({ headers: req.headers });
    parser.on('field', (name, value) => {
      (fields[name] ??= []).push(value);
    });
    parser.on('file', (_name, stream) => {
      stream.on('data', (chunk: Buffer) => parts.push(chunk));
    });
    parser.on('error', reject);
    parser.on('close', () => resolve({ fields, file: Buffer.concat(parts) }));
    req.pipe(parser);
  });
}

function completion(model: string, message: Record<string, unknown>, finishReason: string) {
  return {
    id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', refusal: null, ...message }, finish_reason: finishReason, logprobs: null }],
    usage: { prompt_tokens: 1200, completion_tokens: 800, total_tokens: 2000 },
  };
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const queue: FakeOpenAIBehaviour[] = [];
  let last: FakeOpenAIBehaviour | undefined;
  const requests: RecordedChatRequest[] = [];
  const sockets = new Set<Socket>();

  const audioQueue: FakeAudioBehaviour[] = [];
  const audioRequests: RecordedAudioRequest[] = [];
  const ordinals = new Map<string, number>();

  async function transcribe(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const send = (code: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(code, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const { fields, file } = await readMultipart(req);
    const sha256 = createHash('sha256').update(file).digest('hex');
    const durationMs = await probeMs(file);
    const behaviour = audioQueue.shift() ?? { kind: 'ok' };
    const responseFormat = fields.response_format?.[0] ?? 'json';
    const record: RecordedAudioRequest = {
      model: fields.model?.[0] ?? 'unknown',
      responseFormat,
      language: fields.language?.[0] ?? null,
      timestampGranularities: [...(fields['timestamp_granularities[]'] ?? []), ...(fields.timestamp_granularities ?? [])],
      sha256,
      byteSize: file.length,
      durationMs,
      retryCount: Number(req.headers['x-stainless-retry-count'] ?? 0),
      status: behaviour.kind === 'status' ? behaviour.status : 200,
    };
    audioRequests.push(record);
    if (behaviour.kind === 'hang') return;
    if (behaviour.kind === 'status') {
      send(
        behaviour.status,
        { error: { message: `Scripted ${behaviour.status}`, type: 'server_error', code: behaviour.code ?? null, param: null } },
        { 'retry-after-ms': '10', ...behaviour.headers },
      );
      return;
    }
    if (durationMs === null) {
      send(400, { error: { message: 'Audio file might be corrupted or unsupported', type: 'invalid_request_error', code: 'invalid_value', param: 'file' } });
      return;
    }
    let ordinal = ordinals.get(sha256);
    if (ordinal === undefined) {
      ordinal = ordinals.size + 1;
      ordinals.set(sha256, ordinal);
    }
    const seconds = durationMs / 1000;
    const half = seconds / 2;
    const first = fakeChunkText(ordinal, durationMs, 1);
    const second = fakeChunkText(ordinal, durationMs, 2);
    const text = `${first} ${second}`;
    if (responseFormat === 'verbose_json') {
      send(200, {
        task: 'transcribe',
        language: 'english',
        duration: seconds,
        text,
        segments: [
          { id: 0, seek: 0, start: 0, end: half, text: ` ${first}`, tokens: [], temperature: 0, avg_logprob: -0.2, compression_ratio: 1.2, no_speech_prob: 0.01 },
          { id: 1, seek: 0, start: half, end: seconds, text: ` ${second}`, tokens: [], temperature: 0, avg_logprob: -0.2, compression_ratio: 1.2, no_speech_prob: 0.01 },
        ],
      });
      return;
    }
    if (responseFormat === 'diarized_json') {
      send(200, {
        task: 'transcribe',
        duration: seconds,
        text,
        segments: [
          { id: 'seg_0', type: 'transcript.text.segment', start: 0, end: half, speaker: 'A', text: first },
          { id: 'seg_1', type: 'transcript.text.segment', start: half, end: seconds, speaker: 'B', text: second },
        ],
      });
      return;
    }
    send(200, { text });
  }

  const server = http.createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/v1/audio/transcriptions') {
      transcribe(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'fake transcription failed', type: 'server_error' } }));
      });
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const send = (code: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(code, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        send(404, { error: { message: 'Unknown route', type: 'invalid_request_error', code: 'unknown_url' } });
        return;
      }
      let body: RecordedChatRequest['body'] = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RecordedChatRequest['body'];
      } catch {
        send(400, { error: { message: 'Invalid JSON body', type: 'invalid_request_error' } });
        return;
      }
      requests.push({
        path: req.url,
        authorization: req.headers.authorization,
        retryCount: Number(req.headers['x-stainless-retry-count'] ?? 0),
        body,
      });
      const behaviour = queue.shift() ?? last;
      last = behaviour;
      const model = typeof body.model === 'string' ? body.model : 'unknown';
      if (!behaviour) {
        send(500, { error: { message: 'No scripted behaviour', type: 'server_error' } });
        return;
      }
      switch (behaviour.kind) {
        case 'ok':
          send(200, completion(behaviour.model ?? model, { content: JSON.stringify(behaviour.output) }, 'stop'));
          return;
        case 'invalid_json':
          send(200, completion(model, { content: '{"documentType": "encounter_note", "diagnoses": [' }, 'stop'));
          return;
        case 'refusal':
          send(200, completion(model, { content: null, refusal: behaviour.refusal ?? 'I cannot help with that.' }, 'stop'));
          return;
        case 'finish':
          send(200, completion(model, { content: behaviour.content ?? '{"documentType":' }, behaviour.reason));
          return;
        case 'status':
          send(
            behaviour.status,
            {
              error: {
                message: behaviour.message ?? `Scripted ${behaviour.status}`,
                type: behaviour.status === 401 ? 'invalid_request_error' : 'server_error',
                code: behaviour.code ?? null,
                param: null,
              },
            },
            behaviour.headers,
          );
          return;
        case 'hang':
          return;
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    audioRequests,
    script(...behaviours) {
      queue.push(...behaviours);
    },
    scriptAudio(...behaviours) {
      audioQueue.push(...behaviours);
    },
    async close() {
      // Hanging requests keep their sockets open: end them so close() returns.
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/**
 * A complete analysis as a model would return it for a short glaucoma follow-up
 * note: every field present, links consistent, codes billable. Tests change
 * parts of it to script malformed output.
 */
export function sampleAnalysisOutput() {
  return {
    documentType: 'encounter_note',
    detectedSpecialty: 'ophthalmology',
    provider: { name: 'Dr. Ana Ribeiro', clinic: 'Lakeside Eye Clinic' },
    patient: {
      name: 'John Carter',
      dateOfBirth: '1958-03-14',
      age: 67,
      sex: 'male',
      identifiers: [{ kind: 'MRN', value: 'LX-20931' }],
      phone: null,
      address: null,
    },
    chiefComplaint: 'Glaucoma follow-up',
    summary: {
      visitContext: 'Scheduled follow-up for primary open-angle glaucoma.',
      examination: 'IOP 28 mmHg right, 18 mmHg left; cup-to-disc 0.7 right.',
      keyFindings: 'Raised right intraocular pressure despite latanoprost.',
      clinicalImpression: 'Uncontrolled primary open-angle glaucoma, right eye.',
    },
    diagnoses: [
      {
        number: 1,
        label: 'Primary open-angle glaucoma, right eye, moderate stage',
        icd10Code: 'H40.1112',
        icd10Description: 'Primary open-angle glaucoma, right eye, moderate stage',
        laterality: 'right',
        severity: 'moderate',
        urgency: 'soon',
        supporting: ['IOP 28 mmHg right eye', 'Cup-to-disc ratio 0.7 right'],
        referenceNumbers: [1],
        codingNotes: [],
      },
      {
        number: 2,
        label: 'Nuclear cataract, left eye',
        icd10Code: 'H25.12',
        icd10Description: 'Age-related nuclear cataract, left eye',
        laterality: 'left',
        severity: 'mild',
        urgency: 'routine',
        supporting: ['2+ nuclear sclerosis left eye'],
        referenceNumbers: [],
        codingNotes: [],
      },
    ],
    suggestedDiagnoses: [
      {
        label: 'Normal-tension glaucoma, left eye',
        supportingFindings: ['Cup-to-disc 0.5 left with IOP 18 mmHg'],
        reasoning: 'Disc cupping out of proportion to pressure.',
        confidence: 'low',
      },
    ],
    plan: [
      {
        number: 1,
        title: 'Intensify glaucoma treatment',
        bullets: ['Add timolol 0.5% right eye twice daily'],
        diagnosisNumbers: [1],
        timeline: 'Recheck IOP in 4 weeks',
        referenceNumbers: [1],
      },
      {
        number: 2,
        title: 'Monitor cataract',
        bullets: ['Reassess at next visit'],
        diagnosisNumbers: [2],
        timeline: null,
        referenceNumbers: [],
      },
    ],
    medications: [
      { name: 'Latanoprost 0.005%', dose: '1 drop', frequency: 'nightly', status: 'current' },
      { name: 'Timolol 0.5%', dose: '1 drop', frequency: 'twice daily', status: 'new' },
    ],
    allergies: ['Penicillin'],
    vitals: {
      bloodPressure: { systolic: 138, diastolic: 84 },
      heartRate: 72,
      respiratoryRate: null,
      temperatureC: null,
      weightKg: null,
      heightCm: null,
      bmi: null,
      spo2: null,
    },
    clinicalValues: {
      labs: [],
      imaging: [{ study: 'OCT RNFL', finding: 'Superior thinning right eye' }],
      eye: {
        visualAcuity: { right: '20/30', left: '20/25' },
        intraocularPressure: { right: 28, left: 18 },
        refraction: { right: null, left: null },
      },
      other: [{ name: 'Cup-to-disc ratio (right)', value: '0.7', unit: null, abnormal: true }],
    },
    examFindings: [{ category: 'Optic nerve', findings: [{ label: 'Cup-to-disc right', value: '0.7', abnormal: true }] }],
    warnings: [{ message: 'Intraocular pressure above 21 mmHg (right eye 28)', severity: 'urgent', basis: 'IOP 28 mmHg > 21 mmHg' }],
    unaddressedFindings: [],
    followUp: '4 weeks',
    references: [
      {
        number: 1,
        citation: 'American Academy of Ophthalmology. Primary Open-Angle Glaucoma Preferred Practice Pattern. 2020.',
        pubmedId: null,
        url: 'https://www.aao.org/preferred-practice-pattern/primary-open-angle-glaucoma-ppp',
        source: 'society_guideline',
      },
    ],
    quality: { score: 78, level: 'good', issues: ['Refraction not documented'], suggestions: ['Record refraction for both eyes'] },
  };
}
