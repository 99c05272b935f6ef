// Runs once when a Next.js server process starts, before it serves requests:
// settings (and SSM parameters) are loaded and validated here, and the process
// exits with a list of offending variables if they are invalid.
export async function register(): Promise<void> {
  // NEXT_RUNTIME is a build-time constant, not a setting: it keeps Node-only code out of edge bundles.
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { bootServer } = await import('./lib/boot-server');
  await bootServer();
}
