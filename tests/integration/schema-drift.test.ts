import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDrift } from '../support/drift';
import { createTestDatabase, type TestDatabase } from '../support/db';

async function exec(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('schema drift', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('finds no difference between schema.prisma and the migrated database', async () => {
    expect(await findDrift(database.url)).toEqual([]);
  });

  describe('detects each kind of difference', () => {
    let scratch: TestDatabase;
    beforeAll(async () => {
      scratch = await createTestDatabase();
      await exec(
        scratch.url,
        `ALTER TABLE users DROP COLUMN email_verified_at;
         ALTER TABLE users ADD COLUMN nickname TEXT;
         ALTER TABLE users ALTER COLUMN name DROP NOT NULL;
         ALTER TABLE users ALTER COLUMN session_version SET DEFAULT 2;
         ALTER TABLE organizations ALTER COLUMN slug TYPE VARCHAR(80);
         DROP INDEX memberships_user_id_idx;
         DROP INDEX organizations_slug_key;
         CREATE INDEX users_name_idx ON users(name);
         ALTER TYPE "Role" ADD VALUE 'auditor';
         ALTER TABLE memberships DROP CONSTRAINT memberships_user_id_fkey;
         CREATE TABLE leftovers (id int);`,
      );
    });
    afterAll(() => scratch.drop());

    it('reports every change', async () => {
      const drift = await findDrift(scratch.url);
      expect(drift).toEqual(
        expect.arrayContaining([
          'missing column users.email_verified_at',
          'extra column users.nickname',
          'nullability of users.name: schema NOT NULL, database NULL',
          'default of users.session_version: schema 1, database 2',
          'type of organizations.slug: schema text, database varchar',
          'missing index memberships(user_id)',
          'missing unique organizations(slug)',
          'extra index users(name)',
          'extra value auditor in enum Role',
          'missing foreign key memberships(user_id) -> users(id) on delete Cascade',
          'extra table leftovers',
        ]),
      );
      expect(drift).toHaveLength(11);
    });
  });
});
