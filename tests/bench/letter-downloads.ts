// 50 concurrent downloads of a letter's PDF through `GET /api/reports/[id]/pdf` on
// a production server: first of a version never exported (every request waits
// for the one render, which is stored once), then of the stored PDF. Prints the
// wall time, downloads per second, the error count and how many PDFs were stored.
import { randomBytes, randomUUID } from 'node:crypto';
import { encode } from 'next-auth/jwt';
import pg from 'pg';

const CONCURRENCY = 50;

function paragraphs(n: number): { type: 'paragraph'; runs: { text: string }[] }[] {
  const sentence = 'Intraocular pressure remained above target on two agents, with progressive inferior rim thinning on serial OCT. ';
  return Array.from({ length: n }, (_, i) => ({ type: 'paragraph', runs: [{ text: `${i + 1}. ${sentence.repeat(4)}` }] }));
}

async function arrange(databaseUrl: string): Promise<{ userId: string; letterId: string; sessionVersion: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const clinicId = randomUUID();
    const userId = randomUUID();
    const letterId = randomUUID();
    await client.query(`INSERT INTO organizations (id, name, slug, address, phone, fax, updated_at) VALUES ($1, 'Bench Eye Clinic', $2, '1 Bench Road', '555 0100', '555 0101', now())`, [
      clinicId,
      `bench-${randomBytes(4).toString('hex')}`,
    ]);
    await client.query(`INSERT INTO users (id, email, name, email_verified_at, updated_at) VALUES ($1, $2, 'Dr. Bench', now(), now())`, [userId, `bench-${randomBytes(4).toString('hex')}@bench.test`]);
    await client.query(`INSERT INTO memberships (id, organization_id, user_id, role) VALUES ($1, $2, $3, 'clinician')`, [randomUUID(), clinicId, userId]);
    await client.query(
      `INSERT INTO letters (id, organization_id, template, recipient_type, language, request, to_line, from_line, subject, letter_date, patient, patient_name, status, current_version, meta, updated_at)
       VALUES ($1, $2, 'referral', 'specialist', 'en', '{}', 'Dr. Ana Silva', 'Dr. Bench', 'Referral for glaucoma', CURRENT_DATE, $3::jsonb, 'Pat Bench', 'draft', 1, $4::jsonb, now())`,
      [letterId, clinicId, JSON.stringify({ name: 'Pat Bench', dateOfBirth: '1950-01-01', identifiers: [] }), JSON.stringify({ provider: 'offline', model: 'bench', promptVersion: 'bench-1', language: 'en', repaired: false })],
    );
    // About two pages of text.
    await client.query(`INSERT INTO letter_versions (id, letter_id, organization_id, version, content, source) VALUES ($1, $2, $3, 1, $4::jsonb, 'generated')`, [
      randomUUID(),
      letterId,
      clinicId,
      JSON.stringify({ blocks: paragraphs(14) }),
    ]);
    const { rows } = await client.query<{ session_version: number }>('SELECT session_version FROM users WHERE id = $1', [userId]);
    return { userId, letterId, sessionVersion: rows[0]?.session_version ?? 1 };
  } finally {
    await client.end();
  }
}

async function storedPdfs(databaseUrl: string, letterId: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM letter_pdfs WHERE letter_id = $1', [letterId]);
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

async function round(url: string, cookie: string): Promise<{ seconds: number; errors: number; etags: Set<string> }> {
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      try {
        const response = await fetch(url, { headers: { cookie } });
        const bytes = new Uint8Array(await response.arrayBuffer());
        const isPdf = bytes.length > 4 && String.fromCharCode(...bytes.slice(0, 5)) === '%PDF-';
        return { ok: response.status === 200 && isPdf, etag: response.headers.get('etag') ?? '' };
      } catch {
        return { ok: false, etag: '' };
      }
    }),
  );
  return {
    seconds: (performance.now() - started) / 1000,
    errors: results.filter((r) => !r.ok).length,
    etags: new Set(results.filter((r) => r.ok).map((r) => r.etag)),
  };
}

export async function benchLetterDownloads(base: string, databaseUrl: string, authSecret: string): Promise<void> {
  const { userId, letterId, sessionVersion } = await arrange(databaseUrl);
  const token = await encode({ secret: authSecret, token: { uid: userId, sv: sessionVersion } });
  const cookie = `next-auth.session-token=${token}`;
  const url = `${base}/api/reports/${letterId}/pdf`;
  const fresh = await round(url, cookie);
  const stored = await round(url, cookie);
  console.log(`PDF downloads through GET /api/reports/[id]/pdf, ${CONCURRENCY} at once (./letter-downloads.ts)`);
  console.log(
    `  never exported: ${fresh.seconds.toFixed(2)} s for all ${CONCURRENCY} (${(CONCURRENCY / fresh.seconds).toFixed(1)}/s), errors ${fresh.errors}, distinct files ${fresh.etags.size}, PDFs stored ${await storedPdfs(databaseUrl, letterId)}`,
  );
  console.log(`  stored PDF:     ${stored.seconds.toFixed(2)} s for all ${CONCURRENCY} (${(CONCURRENCY / stored.seconds).toFixed(1)}/s), errors ${stored.errors}, distinct files ${stored.etags.size}`);
  console.log(`  the first round (one render, then ${CONCURRENCY} streams) took ${(fresh.seconds / stored.seconds).toFixed(1)}× the stored round\n`);
}
