// Arranges clinics on a plan, signed-in browsers and job rows directly, for the
// job pages' tests (tests/e2e/jobs.spec.ts).
import { randomBytes, randomUUID } from 'node:crypto';
import type { BrowserContext } from '@playwright/test';
import { createClinic, sessionCookie, sql } from './session';

export type PlanId = 'free' | 'basic' | 'professional' | 'enterprise';

/** A clinic whose plan is set by an operator's override (billing is on in e2e, so new clinics are Free). */
export async function clinicOnPlan(plan: PlanId, name?: string): Promise<string> {
  const clinicId = await createClinic(name);
  await sql('UPDATE organizations SET plan_override = $2 WHERE id = $1', [clinicId, plan]);
  return clinicId;
}

/** Signs the browser in by handing it the session cookie next-auth would have set. */
export async function signInAs(context: BrowserContext, baseURL: string, userId: string): Promise<void> {
  const [name = '', ...value] = (await sessionCookie(userId)).split('=');
  await context.addCookies([{ name, value: value.join('='), url: baseURL }]);
}

export interface JobRow {
  /** A chosen id (for tests that must know it before the row exists); random otherwise. */
  id?: string;
  createdById?: string | null;
  type?: 'analysis' | 'transcription' | 'letter' | 'triage';
  status?: 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled';
  stage?: string;
  progress?: number;
  title?: string | null;
  patientName?: string | null;
  inputText?: string | null;
  errorMessage?: string | null;
  createdAt?: Date;
}

/**
 * A job row as the worker would have left it (no queue entry: it is never picked
 * up). For lists and authorization checks, not for the pipeline itself.
 */
export async function insertJob(clinicId: string, row: JobRow = {}): Promise<string> {
  const id = row.id ?? randomUUID();
  const status = row.status ?? 'succeeded';
  await sql(
    `INSERT INTO jobs (id, organization_id, created_by_id, type, status, stage, progress, title, patient_name, input_text, options,
       error_message, idempotency_key, created_at, updated_at, finished_at)
     VALUES ($1, $2, $3, $4::"JobType", $5::"JobStatus", $6, $7, $8, $9, $10, $11::jsonb, $12, $13, $14, $14,
       CASE WHEN $5 IN ('succeeded', 'failed', 'canceled') THEN $14::timestamptz ELSE NULL END)`,
    [
      id,
      clinicId,
      row.createdById ?? null,
      row.type ?? 'analysis',
      status,
      row.stage ?? (status === 'succeeded' ? 'complete' : 'received'),
      row.progress ?? (status === 'succeeded' ? 100 : 0),
      row.title ?? null,
      row.patientName ?? null,
      row.inputText ?? null,
      JSON.stringify({ specialty: 'auto', handwritten: false }),
      row.errorMessage ?? null,
      `e2e-${randomBytes(8).toString('hex')}`,
      row.createdAt ?? new Date(),
    ],
  );
  return id;
}

export interface LetterRow {
  id?: string;
  template?: 'referral' | 'urgent_referral' | 'co_management' | 'second_opinion' | 'patient_summary' | 'insurance';
  recipientType?: string;
  toLine?: string;
  patientName?: string | null;
  /** The body of version 1 as plain paragraphs. */
  paragraphs?: string[];
}

/** A letter with one written version (as the letter worker leaves it), without a job. */
export async function insertLetter(clinicId: string, row: LetterRow = {}): Promise<string> {
  const id = row.id ?? randomUUID();
  const template = row.template ?? 'referral';
  const recipient = row.recipientType ?? (template === 'patient_summary' ? 'patient' : template === 'insurance' ? 'insurance' : 'specialist');
  const patientName = row.patientName === undefined ? 'Matrix Patient' : row.patientName;
  const request = { template, recipientType: recipient, language: 'en', to: row.toLine ?? 'Dr. Matrix Recipient', from: 'Dr. Matrix Sender' };
  await sql(
    `INSERT INTO letters (id, organization_id, template, recipient_type, language, request, to_line, from_line, subject, letter_date,
       patient, patient_name, status, current_version, meta, updated_at)
     VALUES ($1, $2, $3, $4, 'en', $5::jsonb, $6, 'Dr. Matrix Sender', 'Matrix letter', CURRENT_DATE, $7::jsonb, $8, 'draft', 1, $9::jsonb, now())`,
    [
      id,
      clinicId,
      template,
      recipient,
      JSON.stringify(request),
      request.to,
      JSON.stringify({ name: patientName, dateOfBirth: null, identifiers: [] }),
      patientName,
      JSON.stringify({ provider: 'offline', model: 'matrix', promptVersion: 'matrix-1', language: 'en', repaired: false }),
    ],
  );
  const blocks = (row.paragraphs ?? ['Dear Dr. Recipient,', 'A letter for the authorization matrix.', 'With kind regards,']).map((text) => ({ type: 'paragraph', runs: [{ text }] }));
  await sql(`INSERT INTO letter_versions (id, letter_id, organization_id, version, content, source) VALUES ($1, $2, $3, 1, $4::jsonb, 'generated')`, [
    randomUUID(),
    id,
    clinicId,
    JSON.stringify({ blocks }),
  ]);
  return id;
}
