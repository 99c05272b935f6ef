// Import of users exported from the old Flask app (npm run users:import). The
// file is parsed and every row validated before anything is written, so bad
// input changes nothing; then each row is applied in its own transaction and
// only adds what is missing, so a re-run after an interruption continues.
import { z } from 'zod';
import { recordAudit, type Tx } from '@/lib/audit/record';
import type { Db } from '@/lib/db/client';
import { Role } from '@/lib/db/generated/enums';
import { uniqueClinicSlug } from '@/lib/orgs/slug';
import { normalizeEmail } from './normalize';
import { isBcryptHash } from './password';

// ---------------------------------------------------------------------------
// CSV (RFC 4180: quoted fields may hold commas, doubled quotes and line breaks)

export interface CsvRecord {
  /** 1-based line of the file where the record starts. */
  line: number;
  fields: string[];
}

/** A malformed file. The message names the line, never the content. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    detail: string,
  ) {
    super(`line ${line}: ${detail}`);
    this.name = 'CsvSyntaxError';
  }
}

/** Records of the file, header included; a BOM and blank lines are skipped. */
export function parseCsv(text: string): CsvRecord[] {
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let closedQuote = false; // the current field was quoted and its closing quote seen
  let line = 1;
  let recordLine = 1;

  const endField = () => {
    fields.push(field);
    field = '';
    closedQuote = false;
  };
  const endRecord = () => {
    const blank = fields.length === 0 && field === '' && !closedQuote;
    endField();
    if (!blank) records.push({ line: recordLine, fields });
    fields = [];
  };

  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (inQuotes) {
      if (c === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        inQuotes = false;
        closedQuote = true;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === ',') {
      endField();
    } else if (c === '\n' || c === '\r') {
      endRecord();
      if (c === '\r' && input[i + 1] === '\n') i++;
      line++;
      recordLine = line;
    } else if (closedQuote) {
      throw new CsvSyntaxError(line, 'unexpected text after a closing quote.');
    } else if (c === '"') {
      if (field !== '') throw new CsvSyntaxError(line, 'a quote inside an unquoted field (quote the whole field and double the quote).');
      inQuotes = true;
    } else {
      field += c;
    }
  }
  if (inQuotes) throw new CsvSyntaxError(recordLine, 'a quoted field is never closed.');
  if (fields.length > 0 || field !== '' || closedQuote) endRecord();
  return records;
}

// ---------------------------------------------------------------------------
// Validation

export const REQUIRED_COLUMNS = ['email', 'name', 'password_hash', 'clinic'] as const;
export const OPTIONAL_COLUMNS = ['role'] as const;
type Column = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];
const KNOWN_COLUMNS: readonly string[] = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];
const ROLES: readonly string[] = Object.values(Role);
const emailSchema = z.email().max(254);

export interface LegacyUserRow {
  line: number;
  /** Trimmed and lower-cased. */
  email: string;
  name: string;
  /** A bcrypt hash; never print it. */
  passwordHash: string;
  /** Trimmed, inner whitespace collapsed. */
  clinic: string;
  /** Null when the file leaves it empty: the import picks the default. */
  role: Role | null;
}

export interface RowProblem {
  line: number;
  /** Null when the problem is the whole row (a wrong number of fields). */
  column: string | null;
  message: string;
}

export type Validation = { ok: true; rows: LegacyUserRow[] } | { ok: false; problems: RowProblem[] };

function isRole(value: string): value is Role {
  return ROLES.includes(value);
}

function clinicKey(clinic: string): string {
  return clinic.toLowerCase();
}

function headerProblems(header: CsvRecord): RowProblem[] {
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const problems: RowProblem[] = [];
  names.forEach((name, index) => {
    if (!KNOWN_COLUMNS.includes(name)) {
      const message = `unknown column (expected ${KNOWN_COLUMNS.join(', ')}).`;
      problems.push({ line: header.line, column: name || `#${index + 1}`, message });
    } else if (names.indexOf(name) !== index) {
      problems.push({ line: header.line, column: name, message: 'the column appears twice.' });
    }
  });
  for (const required of REQUIRED_COLUMNS) {
    if (!names.includes(required)) problems.push({ line: header.line, column: required, message: 'required column is missing.' });
  }
  return problems;
}

/** Checks every row and reports every problem; rows come back normalised only when all are valid. */
export function validateRows(records: CsvRecord[]): Validation {
  const [header, ...body] = records;
  if (!header) return { ok: false, problems: [{ line: 1, column: null, message: 'the file is empty (a header row is required).' }] };
  const fromHeader = headerProblems(header);
  if (fromHeader.length > 0) return { ok: false, problems: fromHeader };

  const index = new Map(header.fields.map((f, i) => [f.trim().toLowerCase() as Column, i]));
  const problems: RowProblem[] = [];
  const rows: LegacyUserRow[] = [];
  const firstByEmail = new Map<string, LegacyUserRow>();
  const seenPairs = new Map<string, number>();

  for (const record of body) {
    const { line, fields } = record;
    if (fields.length !== header.fields.length) {
      problems.push({ line, column: null, message: `the row has ${fields.length} fields; the header has ${header.fields.length}.` });
      continue;
    }
    const value = (column: Column) => {
      const at = index.get(column);
      return at === undefined ? '' : (fields[at] ?? '').trim();
    };
    const rowProblems: RowProblem[] = [];
    const problem = (column: Column, message: string) => rowProblems.push({ line, column, message });

    const email = normalizeEmail(value('email'));
    if (!emailSchema.safeParse(email).success) problem('email', `${JSON.stringify(value('email'))} is not a valid email address.`);
    const name = value('name').replace(/\s+/g, ' ');
    if (name === '') problem('name', 'the name is empty.');
    const passwordHash = value('password_hash');
    if (!isBcryptHash(passwordHash)) problem('password_hash', 'not a bcrypt hash ($2a$, $2b$ or $2y$ with a cost and 53 characters).');
    const clinic = value('clinic').replace(/\s+/g, ' ');
    if (clinic === '') problem('clinic', 'the clinic is missing.');
    const roleText = value('role').toLowerCase();
    if (roleText !== '' && !isRole(roleText)) {
      problem('role', `unknown role ${JSON.stringify(value('role'))} (expected ${ROLES.join(', ')}).`);
    }

    if (rowProblems.length === 0) {
      const row: LegacyUserRow = { line, email, name, passwordHash, clinic, role: isRole(roleText) ? roleText : null };
      // One person in two clinics is two rows; they must agree on the password.
      const first = firstByEmail.get(email);
      if (first && first.passwordHash !== passwordHash) problem('password_hash', `differs from line ${first.line} for the same email.`);
      const pair = `${email}\n${clinicKey(clinic)}`;
      const earlier = seenPairs.get(pair);
      if (earlier !== undefined) problem('clinic', `${JSON.stringify(email)} is already in this clinic on line ${earlier}.`);
      if (rowProblems.length === 0) {
        if (!first) firstByEmail.set(email, row);
        seenPairs.set(pair, line);
        rows.push(row);
      }
    }
    problems.push(...rowProblems);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rows };
}

// ---------------------------------------------------------------------------
// Import

export interface ImportCounts {
  usersCreated: number;
  usersAlreadyPresent: number;
  clinicsCreated: number;
  membershipsCreated: number;
}

/** The import stopped at a row. Rows before it are committed; a re-run continues. */
export class LegacyImportError extends Error {
  constructor(
    readonly line: number | null,
    readonly counts: ImportCounts,
    detail: string,
  ) {
    super(line === null ? detail : `line ${line}: ${detail}`);
    this.name = 'LegacyImportError';
  }
}

// Raw SQL for exact case-insensitive equality: Prisma's insensitive mode uses
// ILIKE, where an "_" in an email or clinic name would match any character.
async function clinicsNamed(tx: Pick<Tx, '$queryRaw'>, clinic: string): Promise<string[]> {
  const found = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM organizations
    WHERE lower(regexp_replace(btrim(name), '\\s+', ' ', 'g')) = ${clinicKey(clinic)}
    ORDER BY created_at LIMIT 2`;
  return found.map((r) => r.id);
}

async function userIdByEmail(tx: Tx, email: string): Promise<string | null> {
  const found = await tx.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM users WHERE lower(email) = ${email} LIMIT 1`;
  return found[0]?.id ?? null;
}

interface RowOutcome {
  clinicCreated: boolean;
  userCreated: boolean;
  userExisted: boolean;
  membershipCreated: boolean;
}

async function importRow(tx: Tx, row: LegacyUserRow): Promise<RowOutcome> {
  const named = await clinicsNamed(tx, row.clinic);
  if (named.length > 1) throw Object.assign(new Error('ambiguous clinic'), { name: 'AmbiguousClinicName' });
  let clinicId = named[0];
  const clinicCreated = clinicId === undefined;
  if (clinicId === undefined) {
    const slug = await uniqueClinicSlug(tx, row.clinic);
    clinicId = (await tx.organization.create({ data: { name: row.clinic, slug }, select: { id: true } })).id;
  }

  let userId = await userIdByEmail(tx, row.email);
  const userExisted = userId !== null;
  if (userId === null) {
    // emailVerifiedAt stays null: the address is confirmed again at the first sign-in here.
    const data = { email: row.email, name: row.name, passwordHash: row.passwordHash };
    userId = (await tx.user.create({ data, select: { id: true } })).id;
    await recordAudit(tx, {
      organizationId: clinicId,
      actorUserId: null,
      event: 'user.imported',
      targetType: 'user',
      targetId: userId,
      metadata: { source: 'legacy_csv' },
    });
  }

  const membership = await tx.membership.findUnique({
    where: { organizationId_userId: { organizationId: clinicId, userId } },
    select: { id: true },
  });
  if (!membership) {
    const role = row.role ?? (clinicCreated ? 'owner' : 'clinician');
    await tx.membership.create({ data: { organizationId: clinicId, userId, role } });
  }
  return { clinicCreated, userCreated: !userExisted, userExisted, membershipCreated: !membership };
}

/**
 * Applies validated rows, one transaction each. Never changes an existing user
 * (their password hash included) or membership. Refuses, before writing
 * anything, a clinic name that matches more than one existing clinic.
 */
export async function importLegacyUsers(database: Db, rows: LegacyUserRow[]): Promise<ImportCounts> {
  const counts: ImportCounts = { usersCreated: 0, usersAlreadyPresent: 0, clinicsCreated: 0, membershipsCreated: 0 };
  const checked = new Set<string>();
  const ambiguous: string[] = [];
  for (const row of rows) {
    if (checked.has(clinicKey(row.clinic))) continue;
    checked.add(clinicKey(row.clinic));
    if ((await clinicsNamed(database, row.clinic)).length > 1) ambiguous.push(JSON.stringify(row.clinic));
  }
  if (ambiguous.length > 0) {
    throw new LegacyImportError(null, counts, `more than one clinic is named ${ambiguous.join(', ')}; nothing was imported.`);
  }

  const seen = new Set<string>(); // emails counted already: a person in two clinics is one user
  for (const row of rows) {
    let outcome: RowOutcome;
    try {
      outcome = await database.$transaction((tx) => importRow(tx, row));
    } catch (error) {
      // Only the error's name and code: database messages can quote the row, hash included.
      const code = typeof error === 'object' && error !== null && 'code' in error ? ` ${String(error.code)}` : '';
      const kind = error instanceof Error ? error.name : 'error';
      const detail = `the row could not be imported (${kind}${code}); earlier rows are saved and a re-run continues.`;
      throw new LegacyImportError(row.line, counts, detail);
    }
    if (outcome.clinicCreated) counts.clinicsCreated++;
    if (outcome.membershipCreated) counts.membershipsCreated++;
    if (!seen.has(row.email)) {
      seen.add(row.email);
      if (outcome.userCreated) counts.usersCreated++;
      if (outcome.userExisted) counts.usersAlreadyPresent++;
    }
  }
  return counts;
}
