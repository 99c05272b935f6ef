import Link from 'next/link';
import { Logo } from '@/components/logo';
import { MARKETING_LINKS } from '@/components/marketing/links';
import { SiteHeader } from '@/components/marketing/site-header';

export default function MarketingLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col bg-white">
      <SiteHeader />
      <main id="main-content" tabIndex={-1} className="flex-1 focus:outline-none">
        {children}
      </main>
      <footer className="border-t border-slate-200 bg-slate-50">
        <div className="mx-auto grid max-w-6xl gap-8 px-4 py-10 sm:px-6 md:grid-cols-[1fr_auto]">
          <div className="max-w-md space-y-3">
            <Logo />
            <p className="text-sm text-slate-600">
              Clinical documentation for clinics: structured analysis of notes, scans and recordings, letters on your
              letterhead, and a triaged fax inbox.
            </p>
            <p className="text-sm text-slate-600">
              Everything Maneiro produces is a draft. A clinician reviews each analysis and letter and remains responsible
              for it.
            </p>
          </div>
          <nav aria-label="Footer">
            <ul className="grid grid-cols-2 gap-x-8 gap-y-2 text-sm sm:grid-cols-1">
              {MARKETING_LINKS.map((link) => (
                <li key={link.href}>
                  <Link href={link.href} className="text-slate-700 hover:text-slate-950 hover:underline">
                    {link.label}
                  </Link>
                </li>
              ))}
              <li>
                <Link href="/login" className="text-slate-700 hover:text-slate-950 hover:underline">
                  Sign in
                </Link>
              </li>
              <li>
                <Link href="/signup" className="text-slate-700 hover:text-slate-950 hover:underline">
                  Start free
                </Link>
              </li>
            </ul>
          </nav>
        </div>
      </footer>
    </div>
  );
}
