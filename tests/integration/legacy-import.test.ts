import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChains } from '@/lib/audit/verify';
import {
  CsvSyntaxError,
  importLegacyUsers,
  LegacyImportError,
  parseCsv,
  validateRows,
  type LegacyUserRow,
} from '@/lib/auth/legacy-import';
import { hashPassword, verifyPassword } from '@/lib/auth/password';
import { setEnvironment } from '@/lib/config';
import { db, disconnectDb } from '@/lib/db/client';
import { createTestDatabase, type TestDatabase } from '../support/db';

function rowsOf(csv: string): LegacyUserRow[] {
  const validation = validateRows(parseCsv(csv));
  if (!validation.ok) throw new Error(JSON.stringify(validation.problems));
  return validation.rows;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runScript(file: string, databaseUrl: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join('node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/import-users.ts', file], {
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('parseCsv', () => {
  it('reads LF rows with a trailing newline, giving each record its line', () => {
    expect(parseCsv('a,b\n1,2\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ]);
  });

  it('reads CRLF rows without a trailing newline, and strips a BOM', () => {
    expect(parseCsv('\uFEFFemail,name\r\nx@y.z,Ana\r\n\r\nq@y.z,Bo')).toEqual([
      { line: 1, fields: ['email', 'name'] },
      { line: 2, fields: ['x@y.z', 'Ana'] },
      { line: 4, fields: ['q@y.z', 'Bo'] },
    ]);
  });

  it('keeps commas, doubled quotes and line breaks inside quoted fields, and counts lines across them', () => {
    const csv = 'name,clinic\n"Souza, Ana","The ""Best"" Eye Care"\n"two\r\nlines",x\n"",last\n';
    expect(parseCsv(csv)).toEqual([
      { line: 1, fields: ['name', 'clinic'] },
      { line: 2, fields: ['Souza, Ana', 'The "Best" Eye Care'] },
      { line: 3, fields: ['two\r\nlines', 'x'] },
      { line: 5, fields: ['', 'last'] },
    ]);
  });

  it('keeps empty fields, including trailing ones', () => {
    expect(parseCsv('a,,\n,b,')).toEqual([
      { line: 1, fields: ['a', '', ''] },
      { line: 2, fields: ['', 'b', ''] },
    ]);
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('\n\r\n')).toEqual([]);
  });

  it.each([
    ['an unclosed quote', 'a,b\n1,"open\n2,3\n', 2],
    ['text after a closing quote', 'a,b\n"x"y,2\n', 2],
    ['a quote inside an unquoted field', 'a,b\n1,2\nab"c,3\n', 3],
  ])('rejects %s with its line', (_label, csv, line) => {
    expect(() => parseCsv(csv)).toThrow(CsvSyntaxError);
    try {
      parseCsv(csv);
    } catch (error) {
      expect((error as CsvSyntaxError).line).toBe(line);
    }
  });
});

describe('validateRows', () => {
  const good = '$2b$04$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234';
  const other = '$2y$04$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ56789';

  it('normalises valid rows', () => {
    const csv = `Email, Name ,password_hash,clinic,ROLE\n  Ana.Souza@Example.COM ,Ana  Souza,${good}, Northside   Eye Care ,Admin\nbo@example.com,Bo,${good},Lakeview,\n`;
    expect(validateRows(parseCsv(csv))).toEqual({
      ok: true,
      rows: [
        { line: 2, email: 'ana.souza@example.com', name: 'Ana Souza', passwordHash: good, clinic: 'Northside Eye Care', role: 'admin' },
        { line: 3, email: 'bo@example.com', name: 'Bo', passwordHash: good, clinic: 'Lakeview', role: null },
      ],
    });
  });

  it('reports header problems: missing, unknown and repeated columns', () => {
    const result = validateRows(parseCsv('email,name,email,hash,clinic\n'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.line, p.column])).toEqual([
      [1, 'email'],
      [1, 'hash'],
      [1, 'password_hash'],
    ]);
    expect(validateRows([])).toMatchObject({ ok: false, problems: [{ line: 1, column: null }] });
  });

  it('reports every bad row by line and column, never quoting a hash', () => {
    const argon = '$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const csv = [
      'email,name,password_hash,clinic,role',
      `ok@example.com,Fine,${good},North,`,
      `not-an-email,Bad Email,${good},North,`,
      `empty-name@example.com,  ,${good},North,`,
      `md5@example.com,Md5,5f4dcc3b5aa765d61d8327deb882cf99,North,`,
      `argon@example.com,Argon,"${argon}",North,`,
      `role@example.com,Role,${good},North,superuser`,
      `noclinic@example.com,No Clinic,${good},,`,
      `short@example.com,Short Row`,
      `OK@example.com,Fine Again,${other},South,`,
      `ok@example.com,Fine,${good},north,staff`,
      `"two, problems",,${good},North,`,
    ].join('\n');
    const result = validateRows(parseCsv(csv));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.line, p.column])).toEqual([
      [3, 'email'],
      [4, 'name'],
      [5, 'password_hash'],
      [6, 'password_hash'],
      [7, 'role'],
      [8, 'clinic'],
      [9, null],
      [10, 'password_hash'],
      [11, 'clinic'],
      [12, 'email'],
      [12, 'name'],
    ]);
    const text = JSON.stringify(result.problems);
    for (const secret of [good, other, argon, '5f4dcc3b5aa765d61d8327deb882cf99']) expect(text).not.toContain(secret);
    expect(result.problems[0]?.message).toContain('not-an-email');
    expect(result.problems[4]?.message).toContain('superuser');
    expect(result.problems[7]?.message).toContain('line 2');
  });
});

describe('importLegacyUsers', () => {
  let database: TestDatabase;
  let dir: string;
  let csv: string;
  let hashes: { ana: string; bo: string; cy: string; di: string };
  const passwords = { ana: 'ana legacy password', bo: 'bo legacy password', cy: 'cy legacy password', di: 'di legacy password' };

  beforeAll(async () => {
    database = await createTestDatabase();
    setEnvironment({ DATABASE_URL: database.url });
    dir = await mkdtemp(path.join(os.tmpdir(), 'maneiro-import-'));
    const make = async (password: string, prefix: string) => (await bcrypt.hash(password, 4)).replace(/^\$2b\$/, prefix);
    hashes = {
      ana: await make(passwords.ana, '$2y$'),
      bo: await make(passwords.bo, '$2a$'),
      cy: await make(passwords.cy, '$2b$'),
      di: await make(passwords.di, '$2b$'),
    };
    csv = [
      'email,name,password_hash,clinic,role',
      `Ana@Northside.example,Ana Souza,${hashes.ana},Northside Eye Care,`,
      `bo@northside.example,"Bo, Jr.",${hashes.bo},Northside Eye Care,`,
      `cy@northside.example,Cy,${hashes.cy},northside eye care,admin`,
      `ana@northside.example,Ana Souza,${hashes.ana},"Lakeview Optometry, P.C.",staff`,
      `existing@harbor.example,Existing,${hashes.di},Harbor Vision,`,
    ].join('\r\n');

    // An existing clinic found by name, another that already holds the slug, and a user who signed up here.
    const prisma = db();
    const harbor = await prisma.organization.create({ data: { name: 'Harbor Vision', slug: 'harbor-vision' } });
    await prisma.organization.create({ data: { name: 'Northside (old account)', slug: 'northside-eye-care' } });
    const existing = await prisma.user.create({
      data: { email: 'existing@harbor.example', name: 'Already Here', passwordHash: await hashPassword('already here password') },
    });
    await prisma.membership.create({ data: { organizationId: harbor.id, userId: existing.id, role: 'owner' } });
  });

  afterAll(async () => {
    await disconnectDb();
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('imports nothing, and says why, when a row is bad', async () => {
    const file = path.join(dir, 'bad.csv');
    await writeFile(file, `${csv}\r\nbroken@example.com,Broken,not-a-hash,Northside Eye Care,\r\nnope,Nope,${hashes.cy},,\r\n`);
    const run = await runScript(file, database.url);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('line 7, password_hash');
    expect(run.stderr).toContain('line 8, email');
    expect(run.stderr).toContain('line 8, clinic');
    expect(run.stderr).toContain('Nothing was imported.');
    expect(`${run.stdout}${run.stderr}`).not.toContain('not-a-hash');
    for (const h of Object.values(hashes)) expect(`${run.stdout}${run.stderr}`).not.toContain(h);
    expect(await db().user.count()).toBe(1);
    expect(await db().organization.count()).toBe(2);
  });

  it('refuses, before writing anything, a clinic name shared by two clinics', async () => {
    const prisma = db();
    const twins = await Promise.all(
      ['twin-a', 'twin-b'].map((slug) => prisma.organization.create({ data: { name: 'Twin  Clinic', slug } })),
    );
    const rows = rowsOf(`email,name,password_hash,clinic\nfirst@x.example,First,${hashes.cy},Fresh Clinic\nsecond@x.example,Second,${hashes.cy},twin clinic\n`);
    await expect(importLegacyUsers(prisma, rows)).rejects.toThrow(LegacyImportError);
    await expect(importLegacyUsers(prisma, rows)).rejects.toThrow(/more than one clinic is named "twin clinic"; nothing was imported/);
    expect(await prisma.user.count()).toBe(1);
    expect(await prisma.organization.count({ where: { name: 'Fresh Clinic' } })).toBe(0);
    await prisma.organization.deleteMany({ where: { id: { in: twins.map((t) => t.id) } } });
  });

  it('creates clinics, users and memberships with the right roles, and audits each new user', async () => {
    const prisma = db();
    const before = await prisma.user.findUniqueOrThrow({ where: { email: 'existing@harbor.example' }, omit: { passwordHash: false } });
    const counts = await importLegacyUsers(prisma, rowsOf(csv));
    // existing@ already belongs to Harbor Vision, so its row adds nothing.
    expect(counts).toEqual({ usersCreated: 3, usersAlreadyPresent: 1, clinicsCreated: 2, membershipsCreated: 4 });

    const clinics = await prisma.organization.findMany({ orderBy: { slug: 'asc' }, select: { name: true, slug: true, planOverride: true } });
    expect(clinics).toEqual([
      { name: 'Harbor Vision', slug: 'harbor-vision', planOverride: null },
      { name: 'Lakeview Optometry, P.C.', slug: 'lakeview-optometry-p-c', planOverride: null },
      { name: 'Northside (old account)', slug: 'northside-eye-care', planOverride: null },
      { name: 'Northside Eye Care', slug: 'northside-eye-care-2', planOverride: null },
    ]);

    const memberships = await prisma.membership.findMany({
      select: { role: true, user: { select: { email: true } }, organization: { select: { slug: true } } },
    });
    const roles = memberships.map((m) => `${m.organization.slug} ${m.user.email} ${m.role}`).sort();
    expect(roles).toEqual([
      'harbor-vision existing@harbor.example owner',
      'lakeview-optometry-p-c ana@northside.example staff',
      'northside-eye-care-2 ana@northside.example owner',
      'northside-eye-care-2 bo@northside.example clinician',
      'northside-eye-care-2 cy@northside.example admin',
    ]);

    // The existing user is untouched, hash included.
    const after = await prisma.user.findUniqueOrThrow({ where: { email: 'existing@harbor.example' }, omit: { passwordHash: false } });
    expect(after).toEqual(before);

    const users = await prisma.user.findMany({
      where: { email: { endsWith: '@northside.example' } },
      orderBy: { email: 'asc' },
      omit: { passwordHash: false },
    });
    expect(users.map((u) => [u.email, u.name, u.passwordHash, u.emailVerifiedAt])).toEqual([
      ['ana@northside.example', 'Ana Souza', hashes.ana, null],
      ['bo@northside.example', 'Bo, Jr.', hashes.bo, null],
      ['cy@northside.example', 'Cy', hashes.cy, null],
    ]);

    const northside = await prisma.organization.findUniqueOrThrow({ where: { slug: 'northside-eye-care-2' } });
    const audit = await prisma.auditLog.findMany({ orderBy: { seq: 'asc' } });
    expect(audit).toEqual(
      users.map((u, i) =>
        expect.objectContaining({
          organizationId: northside.id,
          seq: BigInt(i + 1),
          actorUserId: null,
          event: 'user.imported',
          targetType: 'user',
          targetId: u.id,
          outcome: 'success',
          metadata: { source: 'legacy_csv' },
        }),
      ),
    );
    expect((await verifyAuditChains(prisma)).broken).toEqual([]);
  });

  it('lets an imported user sign in with the old password, and asks for an upgrade', async () => {
    const prisma = db();
    for (const [email, password] of [
      ['ana@northside.example', passwords.ana],
      ['bo@northside.example', passwords.bo],
    ] as const) {
      const user = await prisma.user.findUniqueOrThrow({ where: { email }, omit: { passwordHash: false } });
      expect(await verifyPassword(user.passwordHash ?? '', password)).toEqual({ ok: true, needsRehash: true });
      expect((await verifyPassword(user.passwordHash ?? '', passwords.cy)).ok).toBe(false);
    }
  });

  it('changes nothing when the same file is imported again', async () => {
    const prisma = db();
    const snapshot = async () => ({
      users: await prisma.user.findMany({ orderBy: { email: 'asc' }, omit: { passwordHash: false } }),
      clinics: await prisma.organization.findMany({ orderBy: { slug: 'asc' } }),
      memberships: await prisma.membership.findMany({ orderBy: { id: 'asc' } }),
      audit: await prisma.auditLog.count(),
    });
    const before = await snapshot();
    expect(await importLegacyUsers(prisma, rowsOf(csv))).toEqual({
      usersCreated: 0,
      usersAlreadyPresent: 4,
      clinicsCreated: 0,
      membershipsCreated: 0,
    });

    const file = path.join(dir, 'users.csv');
    await writeFile(file, `\uFEFF${csv}\r\n`);
    const run = await runScript(file, database.url);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Users created: 0');
    expect(run.stdout).toContain('Users already present (left unchanged): 4');
    expect(run.stdout).toContain('Clinics created: 0');
    expect(run.stdout).toContain('Memberships created: 0');
    expect(await snapshot()).toEqual(before);
  });
});
