// npm run db:generate — generates the Prisma client offline. The Prisma CLI wants
// to download its schema engine at start even though `generate` never runs it;
// pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file satisfies that check.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { childEnvironment } from '@/lib/config';

const prisma = path.join(process.cwd(), 'node_modules', 'prisma', 'build', 'index.js');
const result = spawnSync(process.execPath, [prisma, 'generate'], {
  stdio: 'inherit',
  env: childEnvironment({
    PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
  }),
});
process.exit(result.status ?? 1);
