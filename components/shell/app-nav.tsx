'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { BarChart3, ClipboardList, Mic, FileText, Inbox, LayoutDashboard, ScrollText, Settings, type LucideIcon } from 'lucide-react';
import { Logo } from '@/components/logo';
import { MenuToggle, useMenuDisclosure } from '@/components/ui/menu-toggle';
import { cn } from '@/lib/utils';

export interface AppNavItem {
  href: string;
  label: string;
  icon: LucideIcon;
}

export const APP_NAV: readonly AppNavItem[] = [
  { href: '/dashboard', label: 'Dashboard', icon: LayoutDashboard },
  { href: '/jobs', label: 'Jobs', icon: ClipboardList },
  { href: '/transcribe', label: 'Transcribe', icon: Mic },
  { href: '/triage', label: 'Triage', icon: Inbox },
  { href: '/reports', label: 'Reports', icon: FileText },
  { href: '/usage', label: 'Usage', icon: BarChart3 },
  { href: '/audit', label: 'Audit', icon: ScrollText },
  { href: '/settings', label: 'Settings', icon: Settings },
];

const MENU_ID = 'app-mobile-menu';

/** True for the item's own page and for any page below it (/jobs/123 keeps Jobs active). */
export function isActivePath(pathname: string, href: string): boolean {
  return pathname === href || pathname.startsWith(`${href}/`);
}

function NavLinks({ onNavigate }: { onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <ul className="space-y-1">
      {APP_NAV.map(({ href, label, icon: Icon }) => {
        const active = isActivePath(pathname, href);
        return (
          <li key={href}>
            <Link
              href={href}
              onClick={onNavigate}
              aria-current={active ? 'page' : undefined}
              className={cn(
                'flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium transition-colors',
                active ? 'bg-brand-50 text-brand-800' : 'text-slate-700 hover:bg-slate-100 hover:text-slate-950',
              )}
            >
              <Icon className={cn('size-5 shrink-0', active ? 'text-brand-700' : 'text-slate-500')} aria-hidden="true" />
              {label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

/**
 * Navigation of the signed-in app: a fixed sidebar on large screens; on smaller ones a
 * top bar whose menu button slides the same links down (Escape closes it).
 */
export function AppNav({ account }: { account: React.ReactNode }) {
  const { open, close, toggle, buttonRef, onKeyDown } = useMenuDisclosure();

  return (
    <>
      <aside className="hidden w-64 shrink-0 border-r border-slate-200 bg-white lg:block">
        <div className="sticky top-0 flex h-dvh flex-col gap-8 overflow-y-auto p-4">
          <Link href="/dashboard" className="self-start rounded-md px-2 pt-2" aria-label="Maneiro dashboard">
            <Logo />
          </Link>
          <nav aria-label="Main">
            <NavLinks />
          </nav>
          <div className="mt-auto border-t border-slate-200 pt-4">{account}</div>
        </div>
      </aside>

      <div
        className="sticky top-0 z-30 border-b border-slate-200 bg-white lg:hidden"
        onKeyDown={onKeyDown}
      >
        <div className="flex h-14 items-center justify-between px-4">
          <Link href="/dashboard" className="rounded-md" aria-label="Maneiro dashboard">
            <Logo />
          </Link>
          <MenuToggle open={open} controls={MENU_ID} onToggle={toggle} buttonRef={buttonRef} />
        </div>
        {/* Slides open by animating the grid row; `inert` keeps closed links out of the tab order and the accessibility tree. */}
        <div
          className={cn(
            'grid transition-[grid-template-rows] duration-200 ease-out motion-reduce:transition-none',
            open ? 'grid-rows-[1fr]' : 'grid-rows-[0fr]',
          )}
        >
          <div className="overflow-hidden">
            <nav id={MENU_ID} aria-label="Main" inert={!open} className={cn('border-t border-slate-200 px-4 py-3', !open && 'invisible')}>
              <NavLinks onNavigate={close} />
              <div className="mt-3 border-t border-slate-200 pt-3">{account}</div>
            </nav>
          </div>
        </div>
      </div>
    </>
  );
}
