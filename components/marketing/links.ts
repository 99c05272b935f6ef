// Shared by the (client) header and the (server) footer, so it lives outside any 'use client' module.
export const MARKETING_LINKS = [
  { href: '/#features', label: 'Features' },
  { href: '/#pricing', label: 'Pricing' },
  { href: '/privacy', label: 'Privacy' },
] as const;
