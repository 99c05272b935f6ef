import type { Metadata, Viewport } from 'next';
import { GeistMono } from 'geist/font/mono';
import { GeistSans } from 'geist/font/sans';
import { connection } from 'next/server';
import { ToastProvider } from '@/components/ui/toast';
import { cn } from '@/lib/utils';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Maneiro · Clinical documentation for clinics', template: '%s · Maneiro' },
  description:
    'Maneiro turns clinical notes, scans and recordings into a structured analysis, drafts referral, patient and insurance letters on your letterhead, and helps the front desk triage incoming faxes.',
  applicationName: 'Maneiro',
  icons: { icon: [{ url: '/favicon.svg', type: 'image/svg+xml' }] },
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: '#0b8472',
  colorScheme: 'light',
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page renders per request: Next.js puts the request's CSP nonce (proxy.ts)
  // on its scripts only then, and a page prerendered at build time would carry none
  // and stay inert under the policy.
  await connection();
  return (
    <html lang="en" className={cn(GeistSans.variable, GeistMono.variable)}>
      <body className="min-h-dvh font-sans">
        {/* First stop for keyboard users: jumps past the navigation. Each layout's <main> has this id. */}
        <a
          href="#main-content"
          className="sr-only focus:not-sr-only focus:fixed focus:top-4 focus:left-4 focus:z-50 focus:rounded-md focus:bg-white focus:px-4 focus:py-2 focus:text-sm focus:font-medium focus:text-slate-950 focus:shadow-lg"
        >
          Skip to main content
        </a>
        <ToastProvider>{children}</ToastProvider>
      </body>
    </html>
  );
}
