// Start-up of every process (web server, worker, dev launcher, scripts): load the
// config once (SSM included) and turn a failure into a clear message and exit 1.
import { ConfigError, loadConfig, type Config } from './index';

/** Why start-up failed, in words: variable names and problems, never setting values. */
export function startupFailureMessage(error: unknown): string {
  if (error instanceof ConfigError) return `\n${error.message}\n\nSee the Configuration section of README.md.\n`;
  return `Start-up failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
}

export function exitWith(error: unknown): never {
  console.error(startupFailureMessage(error));
  process.exit(1);
}

export async function bootConfig(): Promise<Config> {
  try {
    return await loadConfig({
      onIgnoredParameters: (names) =>
        console.warn(`Ignored SSM parameters whose names are not variable names: ${names.join(', ')}`),
    });
  } catch (error) {
    exitWith(error);
  }
}
