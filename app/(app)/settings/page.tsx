import type { Metadata } from 'next';
import Link from 'next/link';
import { Building2, ChevronRight, CreditCard, Database, KeyRound, UserRound, Users, Webhook, type LucideIcon } from 'lucide-react';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/shell/page-header';

export const metadata: Metadata = { title: 'Settings' };

const sections: { href: string; icon: LucideIcon; title: string; body: string }[] = [
  {
    href: '/settings/profile',
    icon: UserRound,
    title: 'Profile',
    body: 'Your name, your email address and your password.',
  },
  {
    href: '/settings/team',
    icon: Users,
    title: 'Team',
    body: 'Invite colleagues and give each one a role: owner, admin, clinician or staff.',
  },
  {
    href: '/settings/clinic',
    icon: Building2,
    title: 'Clinic',
    body: 'Letterhead details: the clinic’s name, address, phone and fax, its logo and signature, and the paper size of PDFs.',
  },
  {
    href: '/settings/data',
    icon: Database,
    title: 'Data',
    body: 'Export all of the clinic’s data, choose how long raw uploads are kept, or delete the clinic.',
  },
  {
    href: '/settings/billing',
    icon: CreditCard,
    title: 'Billing',
    body: 'Your plan, its monthly job allowance, and how you pay.',
  },
  {
    href: '/settings/webhooks',
    icon: Webhook,
    title: 'Webhooks',
    body: 'Signed notifications to your own systems when jobs complete or fail and letters are ready (Enterprise).',
  },
  {
    href: '/settings/api-keys',
    icon: KeyRound,
    title: 'API keys',
    body: 'Keys for the REST API, so your own systems can start jobs and fetch results and letters (Enterprise).',
  },
];

export default function SettingsPage() {
  return (
    <>
      <PageHeader title="Settings" description="Manage your own account and how your clinic uses Maneiro." />
      <h2 className="sr-only">Sections</h2>
      <ul className="grid gap-4 sm:grid-cols-2">
        {sections.map(({ href, icon: Icon, title, body }) => (
          <li key={href}>
            {/* The whole card is clickable through the link's stretched ::after; the link text stays the title. */}
            <Card className="relative h-full transition-colors focus-within:border-brand-600 hover:border-brand-500">
              <CardHeader className="pb-5">
                <Icon className="size-6 text-brand-700" aria-hidden="true" />
                <CardTitle as="h3" className="pt-2">
                  <Link
                    href={href}
                    className="inline-flex items-center gap-1 after:absolute after:inset-0 after:rounded-lg focus-visible:outline-none focus-visible:after:outline-3 focus-visible:after:outline-offset-2 focus-visible:after:outline-focus"
                  >
                    {title}
                    <ChevronRight className="size-4 text-slate-500" aria-hidden="true" />
                  </Link>
                </CardTitle>
                <CardDescription>{body}</CardDescription>
              </CardHeader>
            </Card>
          </li>
        ))}
      </ul>
    </>
  );
}
