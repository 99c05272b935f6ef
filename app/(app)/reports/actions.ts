'use server';

import { headers } from 'next/headers';
import { db } from '@/lib/db/client';
import { requestContextFrom } from '@/lib/http/request-context';
import type { LetterContent } from '@/lib/letters/content';
import { deleteLetter, duplicateLetter, letterFiltersSchema, listLetters, restoreLetterVersion, saveLetterVersion, type LetterList } from '@/lib/letters/letters';
import { exportLetterPdf } from '@/lib/letters/pdf';
import { submitLetterJob } from '@/lib/letters/submit';
import { getStorage } from '@/lib/storage';
import { runAction, type ActionResult } from '@/lib/web/action';
import { requireMembership } from '@/lib/web/session';

const context = async () => requestContextFrom(await headers());

// Every action resolves the member's clinic and role from the session; the
// letter functions check the role (staff: patient and insurance letters only)
// and answer another clinic's ids as not found.

export async function submitLetterAction(input: unknown): Promise<ActionResult<{ jobId: string; letterId: string }>> {
  return runAction('submitLetter', async () => {
    const actor = await requireMembership(null);
    const { jobId, letterId } = await submitLetterJob(db(), actor, input, await context());
    return { jobId, letterId };
  });
}

export async function saveLetterAction(input: { letterId: string; baseVersion: number; content: LetterContent }): Promise<ActionResult<{ version: number; savedAt: string }>> {
  return runAction('saveLetter', async () => {
    const actor = await requireMembership(null);
    const saved = await saveLetterVersion(db(), actor, input, await context());
    return { version: saved.version, savedAt: saved.savedAt.toISOString() };
  });
}

export async function restoreLetterAction(input: { letterId: string; version: number; baseVersion: number }): Promise<ActionResult<{ version: number }>> {
  return runAction('restoreLetter', async () => {
    const actor = await requireMembership(null);
    return restoreLetterVersion(db(), actor, { letterId: String(input?.letterId), version: Number(input?.version), baseVersion: Number(input?.baseVersion) }, await context());
  });
}

export async function duplicateLetterAction(letterId: string): Promise<ActionResult<{ letterId: string }>> {
  return runAction('duplicateLetter', async () => {
    const actor = await requireMembership(null);
    return duplicateLetter(db(), actor, String(letterId), await context());
  });
}

export async function deleteLetterAction(letterId: string): Promise<ActionResult> {
  return runAction('deleteLetter', async () => {
    const actor = await requireMembership(null);
    await deleteLetter(db(), actor, String(letterId), await context());
    return null;
  });
}

/** Renders and stores the PDF of the current version (the download route serves it). */
export async function exportLetterAction(letterId: string): Promise<ActionResult<{ pdfId: string; created: boolean; pageCount: number }>> {
  return runAction('exportLetter', async () => {
    const actor = await requireMembership(null);
    const { record, created } = await exportLetterPdf(db(), getStorage(), actor, String(letterId), await context());
    return { pdfId: record.id, created, pageCount: record.pageCount };
  });
}

/** The list with a search term: posted, so patient names never reach a URL or an access log. */
export async function searchLettersAction(input: { q: string; filters: Record<string, string | undefined> }): Promise<ActionResult<LetterList>> {
  return runAction('searchLetters', async () => {
    const actor = await requireMembership(null);
    const filters = letterFiltersSchema.parse(input?.filters ?? {});
    return listLetters(db(), actor, { ...filters, q: typeof input?.q === 'string' ? input.q : undefined });
  });
}
