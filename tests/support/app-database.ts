// One migrated database for a test file, wired into the app's config and client:
// call `withAppDatabase()` at the top of the file instead of writing the
// beforeAll/afterAll pair by hand.
import { afterAll, beforeAll } from 'vitest';
import { setEnvironment } from '@/lib/config';
import { disconnectDb } from '@/lib/db/client';
import { createTestDatabase, type TestDatabase } from './db';

export function withAppDatabase(env: Record<string, string> = {}): { readonly url: string } {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    setEnvironment({ DATABASE_URL: database.url, ...env });
  });
  afterAll(async () => {
    await disconnectDb();
    await database?.drop();
  });
  return {
    get url() {
      if (!database) throw new Error('the test database exists only inside tests');
      return database.url;
    },
  };
}
