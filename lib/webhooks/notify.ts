// Telling a clinic's owners and admins that one of its webhook endpoints was
// disabled. Sent after the change committed; a failed email is logged (without
// addresses) and does not undo the change: the settings page shows it too.
import { getConfig } from '@/lib/config';
import type { Db } from '@/lib/db/client';
import { sendEmail } from '@/lib/email/send';
import { webhookDisabledNotice } from '@/lib/email/templates';
import { describeError } from '@/lib/errors';
import type { Logger } from '@/lib/logger';

export async function notifyEndpointDisabled(db: Db, endpointId: string, failingDays: number, log: Logger): Promise<number> {
  const endpoint = await db.webhookEndpoint.findUnique({
    where: { id: endpointId },
    select: { url: true, organization: { select: { name: true, memberships: { where: { role: { in: ['owner', 'admin'] } }, select: { user: { select: { email: true, name: true } } } } } } },
  });
  if (!endpoint) return 0;
  const url = `${getConfig().app.url}/settings/webhooks`;
  let sent = 0;
  for (const { user } of endpoint.organization.memberships) {
    try {
      await sendEmail({
        to: user.email,
        ...webhookDisabledNotice({ name: user.name, clinicName: endpoint.organization.name, endpointHost: new URL(endpoint.url).host, failingDays, url }),
      });
      sent++;
    } catch (error) {
      log.warn({ endpointId, err: describeError(error) }, 'webhook disabled notice not sent');
    }
  }
  return sent;
}
