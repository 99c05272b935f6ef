/** Only same-site paths may be used as a post-sign-in destination (no open redirects). */
export function safeNextPath(value: string | null | undefined, fallback = '/dashboard'): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  if (value.startsWith('/login') || value.startsWith('/signup') || value.startsWith('/api/')) return fallback;
  return value;
}
