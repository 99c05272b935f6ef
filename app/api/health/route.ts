// Liveness: the process is up. Never touches the database, never rate limited.
import { NextResponse } from 'next/server';
import { getConfig } from '@/lib/config';
import { route } from '@/lib/http/route';

export const GET = route(async () => NextResponse.json({ status: 'ok', version: getConfig().app.version }));
