'use client';

import Link from 'next/link';
import { buttonClasses } from '@/components/ui/button';
import { Logo } from '@/components/logo';
import { MenuToggle, useMenuDisclosure } from '@/components/ui/menu-toggle';
import { cn } from '@/lib/utils';
import { MARKETING_LINKS } from './links';

const MENU_ID = 'site-mobile-menu';

/**
 * Public site header. On small screens the links fold into a menu that the button
 * opens and closes (aria-expanded/aria-controls); Escape closes it and returns focus.
 */
export function SiteHeader() {
  const { open, close, toggle, buttonRef, onKeyDown } = useMenuDisclosure();

  return (
    <header
      className="sticky top-0 z-30 border-b border-slate-200 bg-white/95 backdrop-blur supports-[backdrop-filter]:bg-white/85"
      onKeyDown={onKeyDown}
    >
      <div className="mx-auto flex h-16 max-w-6xl items-center justify-between gap-4 px-4 sm:px-6">
        <Link href="/" className="rounded-md" aria-label="Maneiro home">
          <Logo />
        </Link>

        <nav aria-label="Main" className="hidden md:block">
          <ul className="flex items-center gap-6">
            {MARKETING_LINKS.map((link) => (
              <li key={link.href}>
                <Link href={link.href} className="text-sm font-medium text-slate-700 hover:text-slate-950">
                  {link.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>

        <div className="hidden items-center gap-2 md:flex">
          <Link href="/login" className={buttonClasses('ghost')}>
            Sign in
          </Link>
          <Link href="/signup" className={buttonClasses('primary')}>
            Start free
          </Link>
        </div>

        <MenuToggle open={open} controls={MENU_ID} onToggle={toggle} buttonRef={buttonRef} className="md:hidden" />
      </div>

      <nav id={MENU_ID} aria-label="Main" hidden={!open} className="border-t border-slate-200 bg-white px-4 pt-2 pb-4 md:hidden">
        <ul className="space-y-1">
          {MARKETING_LINKS.map((link) => (
            <li key={link.href}>
              <Link
                href={link.href}
                onClick={close}
                className="block rounded-md px-3 py-2.5 text-base font-medium text-slate-800 hover:bg-slate-100"
              >
                {link.label}
              </Link>
            </li>
          ))}
          <li>
            <Link
              href="/login"
              onClick={close}
              className="block rounded-md px-3 py-2.5 text-base font-medium text-slate-800 hover:bg-slate-100"
            >
              Sign in
            </Link>
          </li>
          <li className="pt-2">
            <Link href="/signup" onClick={close} className={cn(buttonClasses('primary', 'lg'), 'w-full')}>
              Start free
            </Link>
          </li>
        </ul>
      </nav>
    </header>
  );
}
