// Configuration for the Prisma CLI only (generate, and `migrate deploy` where the
// schema engine is available). The application reads its settings from lib/config.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: {
    path: 'prisma/migrations',
    seed: 'tsx prisma/seed.ts',
  },
  datasource: {
    url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/maneiro',
  },
});
