// Clinic data controls against a real database, real local storage, the real
// worker for exports and the fake Stripe API: a clinic seeded with rows in
// every clinic-scoped model (enumerated from the Prisma schema, so a new model
// without a seed fails here) is exported (every record and file of that clinic,
// none of another's, no secrets), scheduled for deletion, restored, deleted
// after the grace period (zero rows in every table, no stored files, the other
// clinic untouched, one pseudonymised record kept), and retention purges only
// old raw files of clinics that set a period.
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { recordAudit } from '@/lib/audit/record';
import { deleteAccount } from '@/lib/auth/delete-account';
import { verifyAuditChains } from '@/lib/audit/verify';
import type { Actor, Role } from '@/lib/auth/authorize';
import { stripe } from '@/lib/billing/stripe';
import { setEnvironment } from '@/lib/config';
import { eraseClinic, deleteDueClinics, clinicPseudonym, restoreClinic, scheduleClinicDeletion, DELETION_GRACE_DAYS } from '@/lib/data-controls/deletion';
import { clinicDeletionJob, clinicExportJob, dataRetentionJob } from '@/lib/data-controls/jobs';
import { jobHandlers } from '@/lib/jobs/handlers';
import { expireClinicExports, listClinicExports, openClinicExportDownload, requestClinicExport, runClinicExport } from '@/lib/data-controls/export';
import { purgeExpiredRawFiles, setRetentionDays } from '@/lib/data-controls/retention';
import { getClinicDeletionState } from '@/lib/data-controls/state';
import { recordingChunkKey } from '@/lib/data-controls/stored-files';
import { db } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/generated/client';
import { closeSharedListeners } from '@/lib/jobs/listener';
import { stopJobQueue } from '@/lib/jobs/queue';
import { submitAnalysisJob } from '@/lib/jobs/submit';
import { startWorker, type RunningWorker } from '@/lib/jobs/worker';
import { createLogger } from '@/lib/logger';
import { chunkKey } from '@/lib/recordings';
import { getStorage } from '@/lib/storage';
import { withAppDatabase } from '../support/app-database';
import { loadDmmf } from '../support/drift';
import { appError } from '../support/errors';
import { startFakeStripe, type FakeStripe } from '../support/fake-stripe';
import { addMember, createClinic, createUser, TEST_PASSWORD } from '../support/factories';
import { key as idempotencyKey, SAMPLE_NOTE } from '../support/jobs';

const BILLING = {
  STRIPE_SECRET_KEY: 'sk_test_data_controls',
  STRIPE_WEBHOOK_SECRET: 'whsec_data_controls',
  STRIPE_PRICE_BASIC: 'price_basic',
  STRIPE_PRICE_PROFESSIONAL: 'price_professional',
  STRIPE_PRICE_ENTERPRISE: 'price_enterprise',
};
const dataDir = mkdtempSync(path.join(tmpdir(), 'maneiro-data-controls-'));
const uploadsDir = path.join(dataDir, 'uploads');
const database = withAppDatabase({ ...BILLING, DATA_DIR: dataDir });
const silent = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });
const ctx = { ip: '203.0.113.7', userAgent: 'vitest' };
const DAY = 24 * 60 * 60 * 1000;

let fake: FakeStripe;
let worker: RunningWorker;
beforeAll(async () => {
  fake = await startFakeStripe();
  setEnvironment({ ...BILLING, STRIPE_API_URL: fake.url });
  worker = await startWorker({ connectionString: database.url, handlers: [clinicExportJob], concurrency: 1, batchSize: 1, pollSeconds: 0.5, notifyPollSeconds: 0.5, log: silent });
});
afterAll(async () => {
  await worker?.stop();
  await Promise.all([stopJobQueue(), closeSharedListeners()]);
  await fake?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------
// The schema's clinic-scoped models, from the Prisma schema itself.

const dmmf = loadDmmf();
const CLINIC_MODELS = dmmf.datamodel.models
  .filter((m) => m.fields.some((f) => f.name === 'organizationId'))
  .map((m) => ({ model: m.name, table: m.dbName ?? m.name, column: m.fields.find((f) => f.name === 'organizationId')!.dbName ?? 'organizationId' }));

async function rowsOf(table: string, column: string, organizationId: string): Promise<Record<string, unknown>[]> {
  return db().$queryRawUnsafe<Record<string, unknown>[]>(`SELECT * FROM "${table}" WHERE "${column}" = $1::uuid`, organizationId);
}

async function countsOf(organizationId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { model, table, column } of CLINIC_MODELS) counts[model] = (await rowsOf(table, column, organizationId)).length;
  return counts;
}

/** The primary key columns of a table, from the catalog. */
async function keyColumns(table: string): Promise<string[]> {
  const rows = await db().$queryRaw<{ column_name: string }[]>`
    SELECT k.column_name FROM information_schema.table_constraints c
    JOIN information_schema.key_column_usage k ON k.constraint_name = c.constraint_name AND k.table_schema = c.table_schema AND k.table_name = c.table_name
    WHERE c.table_schema = current_schema() AND c.table_name = ${table} AND c.constraint_type = 'PRIMARY KEY'
    ORDER BY k.ordinal_position`;
  return rows.map((r) => r.column_name);
}

/** Each row of the clinic in every clinic-scoped table, by primary key (values as the export writes them). */
async function identities(organizationId: string): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const { table, column } of CLINIC_MODELS) {
    const keys = await keyColumns(table);
    out.set(table, new Set((await rowsOf(table, column, organizationId)).map((row) => identity(row, keys))));
  }
  return out;
}

function identity(row: Record<string, unknown>, keys: string[]): string {
  return JSON.stringify(keys.map((k) => (row[k] instanceof Date ? (row[k] as Date).toISOString() : String(row[k]))));
}

/** Every table with an organization_id column, whatever the schema file says (a table added by raw SQL included). */
async function tablesWithClinicColumn(): Promise<string[]> {
  const rows = await db().$queryRaw<{ table_name: string }[]>`
    SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'organization_id' ORDER BY table_name`;
  return rows.map((r) => r.table_name);
}

// ---------------------------------------------------------------------------
// A clinic with at least one row in every clinic-scoped model and files in storage.

interface Seeded {
  id: string;
  name: string;
  marker: string;
  owner: { id: string; email: string };
  actor: (role: Role) => Actor;
  members: Record<'owner' | 'admin' | 'clinician', string>;
  subscriptionId: string;
  /** Storage key → the bytes stored there. */
  files: Map<string, Buffer>;
  /** Where each file should appear in the export zip → its bytes. */
  zipFiles: Map<string, Buffer>;
  secrets: string[];
}

const text = (s: string) => Buffer.from(s, 'utf8');

async function put(seeded: Seeded, key: string, bytes: Buffer, contentType: string, zipPath: string | null) {
  await getStorage().put(key, bytes, contentType);
  seeded.files.set(key, bytes);
  if (zipPath) seeded.zipFiles.set(zipPath, bytes);
}

async function seedClinic(label: string): Promise<Seeded> {
  const marker = `${label}-${randomBytes(4).toString('hex')}`;
  const clinic = await createClinic({ name: `Clinic ${marker}` });
  const organizationId = clinic.id;
  const owner = await createUser({ name: `Owner ${marker}` });
  const admin = await createUser({ name: `Admin ${marker}` });
  const clinician = await createUser({ name: `Clinician ${marker}` });
  await addMember(organizationId, owner.id, 'owner');
  await addMember(organizationId, admin.id, 'admin');
  await addMember(organizationId, clinician.id, 'clinician');
  const members = { owner: owner.id, admin: admin.id, clinician: clinician.id };
  const actor = (role: Role): Actor => ({ userId: role === 'owner' ? owner.id : role === 'admin' ? admin.id : clinician.id, organizationId, role });
  const seeded: Seeded = {
    id: organizationId,
    name: clinic.name,
    marker,
    owner: { id: owner.id, email: owner.email },
    actor,
    members,
    subscriptionId: '',
    files: new Map(),
    zipFiles: new Map(),
    secrets: [],
  };
  const hash = await db().user.findUniqueOrThrow({ where: { id: owner.id }, select: { passwordHash: true } });
  seeded.secrets.push(hash.passwordHash!);

  // Letterhead images.
  const logoKey = `clinics/${organizationId}/logo-${randomBytes(6).toString('hex')}.png`;
  const signatureKey = `clinics/${organizationId}/signature-${randomBytes(6).toString('hex')}.png`;
  await put(seeded, logoKey, text(`logo of ${marker}`), 'image/png', 'files/clinic/logo.png');
  await put(seeded, signatureKey, text(`signature of ${marker}`), 'image/png', 'files/clinic/signature.png');
  await db().organization.update({ where: { id: organizationId }, data: { logoKey, signatureKey } });

  const tokenHash = randomBytes(32).toString('hex');
  seeded.secrets.push(tokenHash);
  await db().invitation.create({ data: { organizationId, email: `invitee-${marker}@example.test`, role: 'staff', tokenHash, invitedById: owner.id, expiresAt: new Date(Date.now() + 7 * DAY) } });

  // Billing: a real subscription at the fake Stripe, mirrored in our table, and one processed event.
  const customer = await stripe().customers.create({ name: clinic.name });
  const session = await stripe().checkout.sessions.create({
    mode: 'subscription',
    customer: customer.id,
    line_items: [{ price: BILLING.STRIPE_PRICE_BASIC, quantity: 1 }],
    success_url: 'http://localhost/ok',
    cancel_url: 'http://localhost/no',
  });
  const sub = fake.completeCheckout(session.id);
  seeded.subscriptionId = sub.id;
  await db().organization.update({ where: { id: organizationId }, data: { stripeCustomerId: customer.id } });
  const periodStart = new Date(sub.items.data[0]!.current_period_start * 1000);
  await db().subscription.create({
    data: {
      id: sub.id,
      organizationId,
      customerId: customer.id,
      status: 'active',
      plan: 'basic',
      priceId: BILLING.STRIPE_PRICE_BASIC,
      currentPeriodStart: periodStart,
      currentPeriodEnd: new Date(sub.items.data[0]!.current_period_end * 1000),
      stripeCreatedAt: periodStart,
      syncedAt: new Date(),
    },
  });
  await db().stripeEvent.create({ data: { id: `evt_${randomBytes(8).toString('hex')}`, type: 'customer.subscription.created', organizationId, outcome: 'applied', eventCreatedAt: new Date() } });

  await db().usageCounter.create({ data: { organizationId, periodStart, periodEnd: new Date(periodStart.getTime() + 30 * DAY), used: 3 } });

  // A note upload and an audio upload, with their bytes.
  const noteKey = `${organizationId}/${randomUUID()}`;
  const note = await db().upload.create({
    data: { organizationId, uploadedById: clinician.id, storageKey: noteKey, originalName: `note ${marker}.txt`, kind: 'txt', contentType: 'text/plain', byteSize: 20, sha256: randomBytes(32).toString('hex') },
  });
  await put(seeded, noteKey, text(`Patient note of ${marker}: IOP 26 mmHg.`), 'text/plain', `files/uploads/${note.id}.txt`);
  const audioKey = `${organizationId}/${randomUUID()}`;
  const audio = await db().upload.create({
    data: { organizationId, uploadedById: clinician.id, storageKey: audioKey, originalName: `dictation ${marker}.webm`, kind: 'webm', contentType: 'audio/webm', byteSize: 20, sha256: randomBytes(32).toString('hex'), durationMs: 4000 },
  });
  await put(seeded, audioKey, text(`audio bytes of ${marker}`), 'audio/webm', `files/uploads/${audio.id}.webm`);

  // Jobs: an analysis with a result, a transcription with its transcript, a triage with a ticked task, a letter.
  const analysis = await db().job.create({
    data: { organizationId, createdById: clinician.id, type: 'analysis', status: 'succeeded', stage: 'complete', progress: 100, title: `Analysis ${marker}`, uploadId: note.id, result: { marker, diagnoses: [] } as Prisma.InputJsonValue },
  });
  await db().jobEvent.create({ data: { jobId: analysis.id, organizationId, status: 'succeeded', stage: 'complete', progress: 100 } });
  await db().usageRecord.create({ data: { organizationId, periodStart, jobType: 'analysis', userId: clinician.id, jobId: analysis.id, state: 'committed' } });
  const transcription = await db().job.create({ data: { organizationId, createdById: clinician.id, type: 'transcription', status: 'succeeded', stage: 'complete', progress: 100, uploadId: audio.id } });
  await db().transcriptVersion.create({ data: { jobId: transcription.id, organizationId, version: 1, segments: [{ startMs: 0, endMs: 4000, speaker: null, text: `Dictation ${marker}` }], text: `Dictation ${marker}` } });
  await db().transcriptionChunk.create({ data: { jobId: transcription.id, organizationId, index: 0, startMs: 0, endMs: 4000, status: 'done', segments: [] } });
  const triage = await db().job.create({ data: { organizationId, createdById: clinician.id, type: 'triage', status: 'succeeded', stage: 'complete', progress: 100, inputText: `Fax ${marker}` } });
  await db().triageTaskState.create({ data: { jobId: triage.id, organizationId, taskKey: 'front_desk:0', doneById: clinician.id } });

  // An unfinished recording with two chunks in storage.
  const recording = await db().recording.create({ data: { organizationId, userId: clinician.id, contentType: 'audio/webm', status: 'recording', byteSize: 10, chunkCount: 2 } });
  for (const index of [0, 1]) {
    await put(seeded, recordingChunkKey(recording, index), text(`chunk ${index} of ${marker}`), 'audio/webm', `files/recordings/${recording.id}/${index}`);
  }

  // A letter with a version and an exported PDF.
  const letterJob = await db().job.create({ data: { organizationId, createdById: clinician.id, type: 'letter', status: 'succeeded', stage: 'complete', progress: 100, sourceJobId: analysis.id } });
  const letter = await db().letter.create({
    data: {
      organizationId,
      jobId: letterJob.id,
      analysisJobId: analysis.id,
      createdById: clinician.id,
      template: 'referral',
      recipientType: 'specialist',
      language: 'en',
      request: { marker },
      toLine: `Dr. Recipient ${marker}`,
      fromLine: 'Dr. Sender',
      letterDate: new Date('2026-11-30'),
      status: 'exported',
      currentVersion: 1,
    },
  });
  await db().letterVersion.create({ data: { letterId: letter.id, organizationId, version: 1, content: { blocks: [] }, source: 'generated' } });
  const pdfKey = `${organizationId}/letters/${letter.id}/${randomBytes(32).toString('hex')}.pdf`;
  const pdf = await db().letterPdf.create({
    data: {
      letterId: letter.id,
      organizationId,
      version: 1,
      renderKey: randomBytes(8).toString('hex'),
      sha256: randomBytes(32).toString('hex'),
      storageKey: pdfKey,
      byteSize: 20,
      pageCount: 1,
      pageSize: 'letter',
      whiteLabel: false,
      fileName: `letter-${marker}.pdf`,
      provider: 'offline',
      model: 'offline',
      promptVersion: 'test',
      createdById: clinician.id,
    },
  });
  await put(seeded, pdfKey, text(`%PDF-1.7 letter of ${marker}`), 'application/pdf', `files/letter-pdfs/${pdf.id}.pdf`);

  // An earlier export, its zip still in storage (deleted with the clinic, never exported itself).
  const earlier = await db().clinicExport.create({ data: { organizationId, requestedById: owner.id, status: 'ready', progress: 100, completedAt: new Date(), expiresAt: new Date(Date.now() + DAY) } });
  const earlierKey = `${organizationId}/exports/${earlier.id}.zip`;
  await put(seeded, earlierKey, text(`old export of ${marker}`), 'application/zip', null);
  await db().clinicExport.update({ where: { id: earlier.id }, data: { storageKey: earlierKey } });

  // REST API key and webhooks (Enterprise features), with their secrets.
  const apiKeyHash = randomBytes(32).toString('hex');
  seeded.secrets.push(apiKeyHash);
  await db().apiKey.create({ data: { organizationId, createdById: owner.id, name: `Key ${marker}`, prefix: `mk_test_${randomBytes(6).toString('hex')}`, hash: apiKeyHash, scopes: ['jobs:read'] } });
  const secretCiphertext = `cipher-${randomBytes(16).toString('hex')}`;
  seeded.secrets.push(secretCiphertext);
  const endpoint = await db().webhookEndpoint.create({
    data: { organizationId, url: `https://hooks.example.test/${marker}`, events: ['job.completed'], secretCiphertext, secretHint: 'whsec_…abcd' },
  });
  await db().webhookDelivery.create({ data: { endpointId: endpoint.id, organizationId, event: 'job.completed', eventId: randomUUID(), payload: { jobId: analysis.id } } });

  await db().$transaction((tx) => recordAudit(tx, { organizationId, actorUserId: clinician.id, event: 'job.viewed', targetType: 'job', targetId: analysis.id, request: ctx }));
  return seeded;
}

async function zipEntries(bytes: Buffer): Promise<Map<string, Buffer>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, file) => (error ? reject(error) : resolve(file))),
  );
  const entries = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', resolve);
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        buffer(stream).then((data) => {
          entries.set(entry.fileName, data);
          zip.readEntry();
        }, reject);
      });
    });
    zip.readEntry();
  });
  return entries;
}

/** Every file under the storage root whose key starts with one of the prefixes. */
function filesUnder(prefixes: string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (!entry.name.startsWith('.')) found.push(path.relative(uploadsDir, full).split(path.sep).join('/'));
    }
  };
  walk(uploadsDir);
  return found.filter((key) => prefixes.some((p) => key.startsWith(p)));
}

// ---------------------------------------------------------------------------

describe('the seed', () => {
  it('covers every clinic-scoped model of the schema, and the schema every clinic-scoped table', async () => {
    const seeded = await seedClinic('coverage');
    const counts = await countsOf(seeded.id);
    const empty = Object.entries(counts).filter(([, n]) => n === 0).map(([model]) => model);
    // A model added with an organizationId needs a row in seedClinic (and its secrets, if any, listed).
    expect(empty).toEqual([]);
    expect(CLINIC_MODELS.length).toBeGreaterThanOrEqual(20);
    expect((await tablesWithClinicColumn()).sort()).toEqual(CLINIC_MODELS.map((m) => m.table).sort());
  });

  it('stores recording chunks where lib/recordings does', () => {
    const recording = { id: randomUUID(), organizationId: randomUUID() };
    expect(recordingChunkKey(recording, 3)).toBe(chunkKey(recording, 3));
  });
});

describe('the worker', () => {
  it('serves the export queue and keeps the nightly retention and hourly deletion schedules', async () => {
    expect(jobHandlers).toEqual(expect.arrayContaining([clinicExportJob, dataRetentionJob, clinicDeletionJob]));
    const scheduler = await startWorker({ connectionString: database.url, handlers: [dataRetentionJob, clinicDeletionJob], concurrency: 1, batchSize: 1, pollSeconds: 5, log: silent });
    try {
      expect(await scheduler.boss.getSchedules('data.retention')).toEqual([expect.objectContaining({ cron: '30 2 * * *', timezone: 'UTC' })]);
      expect(await scheduler.boss.getSchedules('clinic.deletion')).toEqual([expect.objectContaining({ cron: '15 * * * *', timezone: 'UTC' })]);
    } finally {
      await scheduler.stop();
    }
  });
});

describe('exporting a clinic', () => {
  it('zips every record and stored file of the clinic, none of another clinic, and no secret; owners download it until it expires', async () => {
    const clinic = await seedClinic('export');
    const other = await seedClinic('other');

    for (const role of ['admin', 'clinician'] as const) {
      const denied = await appError(requestClinicExport(db(), clinic.actor(role), ctx));
      expect(denied.code).toBe('forbidden');
      expect(denied.userMessage).toBe('Only the clinic’s owners can export all of its data.');
    }

    const before = await identities(clinic.id);
    expect([...before.values()].every((set) => set.size > 0)).toBe(true);
    const first = await requestClinicExport(db(), clinic.actor('owner'), ctx);
    const again = await requestClinicExport(db(), clinic.actor('owner'), ctx);
    expect(again.export.id).toBe(first.export.id);
    expect(again.duplicate).toBe(true);

    // The worker picks it up through the clinic.export queue.
    const deadline = Date.now() + 30_000;
    let row = await db().clinicExport.findUniqueOrThrow({ where: { id: first.export.id } });
    while (row.status !== 'ready' && row.status !== 'failed' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      row = await db().clinicExport.findUniqueOrThrow({ where: { id: first.export.id } });
    }
    expect(row).toMatchObject({ status: 'ready', progress: 100, storageKey: `${clinic.id}/exports/${row.id}.zip`, fileCount: clinic.zipFiles.size });
    expect(row.expiresAt!.getTime() - row.completedAt!.getTime()).toBe(7 * DAY);
    expect(row.bossJobId).toBeTruthy();

    const [listed] = await listClinicExports(db(), clinic.actor('owner'));
    expect(listed).toMatchObject({ id: row.id, status: 'ready', downloadable: true, requestedBy: `Owner ${clinic.marker}` });

    // Download: owners of the clinic only, audited.
    expect((await appError(openClinicExportDownload(db(), getStorage(), clinic.actor('admin'), row.id, ctx))).code).toBe('forbidden');
    expect((await appError(openClinicExportDownload(db(), getStorage(), other.actor('owner'), row.id, ctx))).code).toBe('not_found');
    const download = await openClinicExportDownload(db(), getStorage(), clinic.actor('owner'), row.id, ctx);
    if (download.type !== 'stream') throw new Error('local storage streams the export');
    expect(download.fileName).toMatch(/^maneiro-clinic-export-\d{4}-\d{2}-\d{2}\.zip$/);
    const zipBytes = await buffer(download.stream);
    expect(zipBytes.length).toBe(Number(row.byteSize));
    const downloaded = await db().auditLog.findFirst({ where: { organizationId: clinic.id, event: 'data.export_downloaded', targetId: row.id } });
    expect(downloaded).toMatchObject({ actorUserId: clinic.owner.id, ip: ctx.ip });
    expect((await db().clinicExport.findUniqueOrThrow({ where: { id: row.id } })).downloadedAt).not.toBeNull();

    const entries = await zipEntries(zipBytes);
    const all = [...entries.values()].map((b) => b.toString('utf8')).join('\n');
    // Nothing of the other clinic, and no secret of either.
    expect(all).not.toContain(other.id);
    expect(all).not.toContain(other.marker);
    for (const secret of [...clinic.secrets, ...other.secrets]) expect(all).not.toContain(secret);

    // Every record of every clinic-scoped model, by its primary key.
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as {
      clinicId: string;
      tables: Record<string, { file: string; rows: number; omittedColumns: string[] }>;
      files: { path: string }[];
      missingFiles: unknown[];
    };
    expect(manifest.clinicId).toBe(clinic.id);
    const current = await identities(clinic.id);
    for (const { model, table, column } of CLINIC_MODELS) {
      const file = entries.get(`data/${table}.json`);
      expect(file, `data/${table}.json for ${model}`).toBeDefined();
      const exported = JSON.parse(file!.toString('utf8')) as Record<string, unknown>[];
      const keys = await keyColumns(table);
      const ids = new Set(exported.map((r) => identity(r, keys)));
      // Every record that existed when the export was asked for, and only records of this clinic.
      for (const id of before.get(table)!) expect(ids.has(id), `${model} ${id} exported`).toBe(true);
      for (const id of ids) expect(current.get(table)!.has(id), `${model} ${id} is the clinic's`).toBe(true);
      for (const r of exported) expect(r[column], `${model} clinic`).toBe(clinic.id);
      expect(manifest.tables[table]?.rows).toBe(exported.length);
    }
    const org = JSON.parse(entries.get('data/organization.json')!.toString('utf8')) as Record<string, unknown>;
    expect(org).toMatchObject({ id: clinic.id, name: clinic.name });

    // Shaped as the entities are described: members with names and emails, invitations without token hashes, results with jobs.
    const memberships = JSON.parse(entries.get('data/memberships.json')!.toString('utf8')) as Record<string, unknown>[];
    expect(memberships).toEqual(expect.arrayContaining([expect.objectContaining({ user_id: clinic.owner.id, role: 'owner', user_name: `Owner ${clinic.marker}`, user_email: clinic.owner.email })]));
    const invitations = JSON.parse(entries.get('data/invitations.json')!.toString('utf8')) as Record<string, unknown>[];
    expect(invitations[0]).not.toHaveProperty('token_hash');
    expect(manifest.tables.invitations!.omittedColumns).toEqual(['token_hash']);
    expect(manifest.tables.api_keys!.omittedColumns).toEqual(['hash']);
    expect(manifest.tables.audit_logs!.omittedColumns).toEqual([]);
    const jobs = JSON.parse(entries.get('data/jobs.json')!.toString('utf8')) as Record<string, unknown>[];
    expect(jobs.find((j) => j.type === 'analysis')?.result).toEqual({ marker: clinic.marker, diagnoses: [] });

    // Every stored file with its bytes, and the earlier export's zip left out.
    expect(manifest.missingFiles).toEqual([]);
    for (const [zipPath, bytes] of clinic.zipFiles) expect(entries.get(zipPath)?.equals(bytes), zipPath).toBe(true);
    const fileEntries = [...entries.keys()].filter((name) => name.startsWith('files/'));
    expect(fileEntries.sort()).toEqual([...clinic.zipFiles.keys()].sort());
    expect(manifest.files.map((f) => f.path).sort()).toEqual(fileEntries.sort());

    const requested = await db().auditLog.findMany({ where: { organizationId: clinic.id, event: { in: ['data.export_requested', 'data.exported'] } }, select: { event: true, targetId: true, outcome: true } });
    expect(requested).toEqual(
      expect.arrayContaining([
        { event: 'data.export_requested', targetId: row.id, outcome: 'success' },
        { event: 'data.exported', targetId: row.id, outcome: 'success' },
      ]),
    );

    // After 7 days the link stops working and the nightly job deletes the zip.
    const later = new Date(row.expiresAt!.getTime() + 1000);
    expect((await appError(openClinicExportDownload(db(), getStorage(), clinic.actor('owner'), row.id, ctx, later))).userMessage).toMatch(/expired/);
    const expired = await expireClinicExports(db(), getStorage(), later);
    expect(expired.expired).toBeGreaterThanOrEqual(1);
    expect(await getStorage().get(row.storageKey!)).toBeNull();
    expect(await db().clinicExport.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: 'expired', storageKey: null });
  });

  it('marks an export failed, and leaves no zip, when a stored file cannot be read', async () => {
    const clinic = await seedClinic('failing');
    const created = await requestClinicExport(db(), clinic.actor('owner'), ctx, { enqueue: async () => randomUUID() });
    const storage = getStorage();
    const broken = {
      ...storage,
      getStream: async (key: string) => {
        if (key.includes('/recordings/')) throw new Error('storage read failed');
        return storage.getStream(key);
      },
    };
    expect(await runClinicExport(db(), broken, created.export.id, { log: silent })).toBe('failed');
    expect(await db().clinicExport.findUniqueOrThrow({ where: { id: created.export.id } })).toMatchObject({ status: 'failed', errorCode: 'export_failed', storageKey: null });
    expect(await storage.get(`${clinic.id}/exports/${created.export.id}.zip`)).toBeNull();
    expect(await db().auditLog.findFirst({ where: { organizationId: clinic.id, event: 'data.exported', outcome: 'failure' } })).not.toBeNull();
    // A redelivered queue entry finds it finished and does nothing.
    expect(await runClinicExport(db(), storage, created.export.id, { log: silent })).toBeNull();
  });
});

describe('deleting a clinic', () => {
  it('asks for the password and the clinic name, refuses new jobs during the grace period, and can be restored', async () => {
    const clinic = await seedClinic('restore');
    const owner = clinic.actor('owner');

    expect((await appError(scheduleClinicDeletion(db(), clinic.actor('admin'), { password: TEST_PASSWORD, confirmName: clinic.name }, ctx))).code).toBe('forbidden');
    const wrongPassword = await appError(scheduleClinicDeletion(db(), owner, { password: 'not it', confirmName: clinic.name }, ctx));
    expect(wrongPassword.fieldErrors).toEqual({ password: ['That password is not correct.'] });
    const wrongName = await appError(scheduleClinicDeletion(db(), owner, { password: TEST_PASSWORD, confirmName: clinic.name.toUpperCase() }, ctx));
    expect(wrongName.fieldErrors?.confirmName?.[0]).toContain(clinic.name);
    expect(await getClinicDeletionState(db(), clinic.id)).toBeNull();

    const now = new Date();
    const { scheduledAt } = await scheduleClinicDeletion(db(), owner, { password: TEST_PASSWORD, confirmName: `  ${clinic.name} ` }, ctx, { now, log: silent });
    expect(scheduledAt.getTime() - now.getTime()).toBe(DELETION_GRACE_DAYS * DAY);
    expect(await getClinicDeletionState(db(), clinic.id)).toMatchObject({ scheduledAt, requestedBy: `Owner ${clinic.marker}` });
    expect(await db().auditLog.findFirst({ where: { organizationId: clinic.id, event: 'clinic.deletion_scheduled' } })).toMatchObject({ actorUserId: clinic.owner.id });
    expect((await appError(scheduleClinicDeletion(db(), owner, { password: TEST_PASSWORD, confirmName: clinic.name }, ctx))).code).toBe('conflict');

    // Every member was told.
    const mails = await db().mailboxMessage.findMany({ where: { subject: { contains: clinic.name } } });
    expect(mails.filter((m) => m.subject.includes('will be deleted')).map((m) => m.to).length).toBe(3);

    const refused = await appError(submitAnalysisJob(db(), clinic.actor('clinician'), { text: SAMPLE_NOTE, idempotencyKey: idempotencyKey() }, ctx, { enqueue: async () => randomUUID() }));
    expect(refused.code).toBe('conflict');
    expect(refused.userMessage).toMatch(/scheduled for deletion on .*cannot start new jobs/);

    // Before the grace period ends nothing is deleted.
    expect(await eraseClinic(db(), getStorage(), clinic.id, { now: new Date(scheduledAt.getTime() - 60_000), log: silent })).toBeNull();

    expect((await appError(restoreClinic(db(), clinic.actor('clinician'), ctx))).code).toBe('forbidden');
    expect(await restoreClinic(db(), owner, ctx, { log: silent })).toEqual({ restored: true });
    expect(await restoreClinic(db(), owner, ctx, { log: silent })).toEqual({ restored: false });
    expect(await getClinicDeletionState(db(), clinic.id)).toBeNull();
    expect(await db().auditLog.count({ where: { organizationId: clinic.id, event: 'clinic.restored' } })).toBe(1);
    // Jobs start again.
    const { jobId } = await submitAnalysisJob(db(), clinic.actor('clinician'), { text: SAMPLE_NOTE, idempotencyKey: idempotencyKey() }, ctx, { enqueue: async () => randomUUID() });
    expect(jobId).toBeTruthy();
    // A restored clinic is never deleted by the hourly run.
    expect(await eraseClinic(db(), getStorage(), clinic.id, { now: new Date(scheduledAt.getTime() + DAY), log: silent })).toBeNull();
    expect(await db().organization.count({ where: { id: clinic.id } })).toBe(1);
  });

  it('after the grace period deletes every row and stored file of the clinic, cancels its subscription, leaves the other clinic alone and keeps one pseudonymised record', async () => {
    const clinic = await seedClinic('doomed');
    const other = await seedClinic('survivor');
    const otherCountsBefore = await countsOf(other.id);
    expect(filesUnder([`${clinic.id}/`, `clinics/${clinic.id}/`]).length).toBe(clinic.files.size);

    const { scheduledAt } = await scheduleClinicDeletion(db(), clinic.actor('owner'), { password: TEST_PASSWORD, confirmName: clinic.name }, ctx, { log: silent });
    // Files written during the grace period are deleted too (an export asked for in the meantime).
    const exported = await requestClinicExport(db(), clinic.actor('owner'), ctx, { enqueue: async () => randomUUID() });
    expect(await runClinicExport(db(), getStorage(), exported.export.id, { log: silent })).toBe('ready');
    expect((await appError(restoreClinic(db(), clinic.actor('owner'), ctx, { now: new Date(scheduledAt.getTime() + 1000) }))).userMessage).toMatch(/grace period is over/);

    const result = await deleteDueClinics(db(), getStorage(), { now: new Date(scheduledAt.getTime() + 60_000), log: silent });
    expect(result).toEqual({ deleted: 1, failed: 0 });

    // Zero rows of the clinic in every model and every table.
    const after = await countsOf(clinic.id);
    expect(Object.entries(after).filter(([, n]) => n > 0)).toEqual([]);
    for (const table of await tablesWithClinicColumn()) {
      expect(await db().$queryRawUnsafe<unknown[]>(`SELECT 1 FROM "${table}" WHERE organization_id = $1::uuid`, clinic.id), table).toEqual([]);
    }
    expect(await db().organization.count({ where: { id: clinic.id } })).toBe(0);

    // No stored file left, under any prefix of the clinic.
    for (const key of clinic.files.keys()) expect(await getStorage().get(key), key).toBeNull();
    expect(filesUnder([`${clinic.id}/`, `clinics/${clinic.id}/`])).toEqual([]);

    // Its subscription is canceled at Stripe; the other clinic's is not.
    expect(fake.subscriptions.get(clinic.subscriptionId)?.status).toBe('canceled');
    expect(fake.subscriptions.get(other.subscriptionId)?.status).toBe('active');

    // The other clinic is untouched: rows, files, audit chain.
    expect(await countsOf(other.id)).toEqual(otherCountsBefore);
    for (const [key, bytes] of other.files) expect((await getStorage().get(key))?.bytes && Buffer.from((await getStorage().get(key))!.bytes).equals(bytes), key).toBe(true);
    expect((await verifyAuditChains(db(), { organizationId: other.id })).broken).toEqual([]);

    // The members keep their accounts, without the clinic.
    expect(await db().user.findUnique({ where: { id: clinic.owner.id }, select: { id: true } })).not.toBeNull();
    expect(await db().membership.count({ where: { userId: clinic.owner.id } })).toBe(0);

    // One pseudonymised record: the hashed id, dates and counts, no names.
    const records = await db().auditLog.findMany({ where: { organizationId: null, event: 'clinic.deleted' } });
    const record = records.find((r) => r.targetId === clinicPseudonym(clinic.id));
    expect(record).toBeDefined();
    expect(record).toMatchObject({ targetType: 'clinic', actorUserId: null, ip: null });
    const metadata = record!.metadata as Record<string, unknown>;
    expect(metadata).toMatchObject({ scheduledFor: scheduledAt.toISOString(), subscriptionsCanceled: 1, files: clinic.files.size + 1 });
    expect(metadata['rows.jobs']).toBe(4);
    const serialized = JSON.stringify({ ...record, seq: String(record!.seq) });
    for (const identifying of [clinic.id, clinic.name, clinic.marker, clinic.owner.email]) expect(serialized).not.toContain(identifying);
    expect((await verifyAuditChains(db(), { organizationId: null })).broken).toEqual([]);

    // The audit trail is otherwise still append-only.
    await expect(db().$executeRawUnsafe('DELETE FROM audit_logs WHERE organization_id = $1::uuid', other.id)).rejects.toThrow(/append-only/);
    // A second run finds nothing to do.
    expect(await deleteDueClinics(db(), getStorage(), { now: new Date(scheduledAt.getTime() + 2 * DAY), log: silent })).toEqual({ deleted: 0, failed: 0 });
  });

  it('tries again next run when Stripe fails, before anything is deleted', async () => {
    const clinic = await seedClinic('stripe-down');
    const { scheduledAt } = await scheduleClinicDeletion(db(), clinic.actor('owner'), { password: TEST_PASSWORD, confirmName: clinic.name }, ctx, { log: silent });
    const due = new Date(scheduledAt.getTime() + 60_000);
    const down = async () => {
      throw new Error('Stripe is down');
    };
    expect(await deleteDueClinics(db(), getStorage(), { now: due, log: silent, cancelSubscription: down })).toEqual({ deleted: 0, failed: 1 });
    expect(await db().organization.count({ where: { id: clinic.id } })).toBe(1);
    for (const key of clinic.files.keys()) expect(await getStorage().get(key), key).not.toBeNull();
    expect(fake.subscriptions.get(clinic.subscriptionId)?.status).toBe('active');

    expect(await deleteDueClinics(db(), getStorage(), { now: due, log: silent })).toEqual({ deleted: 1, failed: 0 });
    expect(fake.subscriptions.get(clinic.subscriptionId)?.status).toBe('canceled');
    expect(Object.values(await countsOf(clinic.id)).every((n) => n === 0)).toBe(true);
  });
});

describe('deleting one’s own account', () => {
  it('needs the password, and the last owner must hand over a clinic first unless it is scheduled for deletion', async () => {
    const clinic = await seedClinic('account');
    const owner = clinic.actor('owner');
    expect((await appError(deleteAccount(db(), clinic.owner.id, { password: 'not it' }, ctx))).fieldErrors).toEqual({ password: ['That password is not correct.'] });
    const blocked = await appError(deleteAccount(db(), clinic.owner.id, { password: TEST_PASSWORD }, ctx));
    expect(blocked.userMessage).toBe(`You are the only owner of ${clinic.name}. Make someone else an owner, or delete the clinic, before deleting your account.`);

    // Once the clinic is on its way out, its last owner may leave; the deletion still happens.
    const { scheduledAt } = await scheduleClinicDeletion(db(), owner, { password: TEST_PASSWORD, confirmName: clinic.name }, ctx, { log: silent });
    await deleteAccount(db(), clinic.owner.id, { password: TEST_PASSWORD }, ctx);
    expect(await db().user.count({ where: { id: clinic.owner.id } })).toBe(0);
    expect(await getClinicDeletionState(db(), clinic.id)).toMatchObject({ scheduledAt, requestedBy: null });
    expect(await eraseClinic(db(), getStorage(), clinic.id, { now: new Date(scheduledAt.getTime() + 1000), log: silent })).not.toBeNull();
    expect(await db().organization.count({ where: { id: clinic.id } })).toBe(0);
  });
});

describe('retention', () => {
  async function oldUpload(organizationId: string, daysAgo: number, kind: 'txt' | 'webm' = 'txt') {
    const storageKey = `${organizationId}/${randomUUID()}`;
    await getStorage().put(storageKey, text(`raw ${kind} ${daysAgo}`), 'application/octet-stream');
    return db().upload.create({
      data: {
        organizationId,
        storageKey,
        originalName: `raw.${kind}`,
        kind,
        contentType: 'application/octet-stream',
        byteSize: 100,
        sha256: randomBytes(32).toString('hex'),
        createdAt: new Date(Date.now() - daysAgo * DAY),
      },
    });
  }

  it('owners set the period; the nightly run purges only old raw uploads and audio of clinics with one, keeps results, and audits once per clinic', async () => {
    const clinic = await seedClinic('retention');
    const keeper = await seedClinic('keeper');

    expect((await appError(setRetentionDays(db(), clinic.actor('admin'), 30, ctx))).code).toBe('forbidden');
    expect((await appError(setRetentionDays(db(), clinic.actor('owner'), 45, ctx))).fieldErrors?.retentionDays).toBeTruthy();
    expect(await setRetentionDays(db(), clinic.actor('owner'), '30', ctx)).toEqual({ retentionDays: 30, changed: true });
    expect(await setRetentionDays(db(), clinic.actor('owner'), 30, ctx)).toEqual({ retentionDays: 30, changed: false });
    expect(await db().auditLog.findFirst({ where: { organizationId: clinic.id, event: 'data.retention_changed' }, select: { metadata: true } })).toEqual({ metadata: { from: null, to: 30 } });

    const oldNote = await oldUpload(clinic.id, 40);
    const oldAudio = await oldUpload(clinic.id, 31, 'webm');
    const recent = await oldUpload(clinic.id, 10);
    const busy = await oldUpload(clinic.id, 60);
    const analysis = await db().job.create({ data: { organizationId: clinic.id, type: 'analysis', status: 'succeeded', uploadId: oldNote.id, result: { kept: true } } });
    await db().job.create({ data: { organizationId: clinic.id, type: 'analysis', status: 'running', uploadId: busy.id } });
    const staleRecording = await db().recording.create({ data: { organizationId: clinic.id, contentType: 'audio/webm', chunkCount: 1, byteSize: 5, updatedAt: new Date(Date.now() - 35 * DAY) } });
    await getStorage().put(recordingChunkKey(staleRecording, 0), text('stale chunk'), 'audio/webm');
    const keptOld = await oldUpload(keeper.id, 400);

    const first = await purgeExpiredRawFiles(db(), getStorage(), { log: silent });
    expect(first).toMatchObject({ clinics: 1, uploads: 2, recordings: 1, failed: 0 });

    for (const upload of [oldNote, oldAudio]) {
      expect(await getStorage().get(upload.storageKey)).toBeNull();
      expect((await db().upload.findUniqueOrThrow({ where: { id: upload.id } })).deletedAt).not.toBeNull();
    }
    for (const upload of [recent, busy, keptOld]) {
      expect(await getStorage().get(upload.storageKey)).not.toBeNull();
      expect((await db().upload.findUniqueOrThrow({ where: { id: upload.id } })).deletedAt).toBeNull();
    }
    expect(await getStorage().get(recordingChunkKey(staleRecording, 0))).toBeNull();
    expect((await db().recording.findUniqueOrThrow({ where: { id: staleRecording.id } })).status).toBe('discarded');
    // The seeded clinic's own files are new, and the results made from purged files stay.
    for (const key of clinic.files.keys()) expect(await getStorage().get(key), key).not.toBeNull();
    expect((await db().job.findUniqueOrThrow({ where: { id: analysis.id } })).result).toEqual({ kept: true });
    expect(await db().transcriptVersion.count({ where: { organizationId: clinic.id } })).toBe(1);
    expect(await db().letter.count({ where: { organizationId: clinic.id } })).toBe(1);

    const events = await db().auditLog.findMany({ where: { organizationId: clinic.id, event: 'file.deleted' }, select: { actorUserId: true, metadata: true } });
    expect(events).toEqual([{ actorUserId: null, metadata: { reason: 'retention', retentionDays: 30, uploads: 2, recordings: 1, bytes: 205 } }]);
    expect(await db().auditLog.count({ where: { organizationId: keeper.id, event: 'file.deleted' } })).toBe(0);

    // Idempotent: a second run finds nothing and records nothing.
    expect(await purgeExpiredRawFiles(db(), getStorage(), { log: silent })).toMatchObject({ clinics: 0, uploads: 0, recordings: 0 });
    expect(await db().auditLog.count({ where: { organizationId: clinic.id, event: 'file.deleted' } })).toBe(1);

    // Batch-limited: one file per run here, the rest the next night.
    await db().job.updateMany({ where: { uploadId: busy.id }, data: { status: 'succeeded' } });
    const another = await oldUpload(clinic.id, 90);
    expect(await purgeExpiredRawFiles(db(), getStorage(), { limit: 1, log: silent })).toMatchObject({ uploads: 1 });
    expect(await purgeExpiredRawFiles(db(), getStorage(), { limit: 1, log: silent })).toMatchObject({ uploads: 1 });
    expect(await db().upload.count({ where: { id: { in: [busy.id, another.id] }, deletedAt: null } })).toBe(0);

    // Keeping raw files again stops the purge.
    expect(await setRetentionDays(db(), clinic.actor('owner'), null, ctx)).toEqual({ retentionDays: null, changed: true });
    const kept = await oldUpload(clinic.id, 500);
    expect(await purgeExpiredRawFiles(db(), getStorage(), { log: silent })).toMatchObject({ uploads: 0 });
    expect(await getStorage().get(kept.storageKey)).not.toBeNull();
  });
});
