// Every audit event the product records (DOMAIN.md "Audit events"). Metadata
// holds ids, counts and flags only: never PHI, never secrets.

export const AUDIT_EVENTS = [
  'user.registered',
  'user.imported',
  'user.login',
  'user.login_failed',
  'user.logout',
  'user.signed_out_everywhere',
  'user.password_changed',
  'user.password_reset_requested',
  'user.password_reset',
  'user.email_verified',
  'user.email_change_requested',
  'user.profile_updated',
  'user.deleted',
  'member.invited',
  'member.invitation_resent',
  'member.invitation_revoked',
  'member.joined',
  'member.removed',
  'member.role_changed',
  'clinic.switched',
  'clinic.settings_changed',
  'clinic.file_uploaded',
  'clinic.file_deleted',
  'clinic.deleted',
  'clinic.deletion_scheduled',
  'clinic.restored',
  'audit.exported',
  'data.export_requested',
  'data.exported',
  'data.export_downloaded',
  'data.retention_changed',
  'file.uploaded',
  'file.downloaded',
  'file.deleted',
  'job.started',
  'job.completed',
  'job.failed',
  'job.canceled',
  'job.retried',
  'job.viewed',
  'transcript.edited',
  'triage.task_updated',
  'recording.discarded',
  'letter.viewed',
  'letter.edited',
  'letter.restored',
  'letter.duplicated',
  'letter.deleted',
  'pdf.exported',
  'pdf.downloaded',
  'api_key.created',
  'api_key.revoked',
  'webhook.endpoint_created',
  'webhook.endpoint_updated',
  'webhook.endpoint_deleted',
  'webhook.secret_rotated',
  'webhook.endpoint_disabled',
  'webhook.delivery_resent',
  'subscription.checkout_started',
  'subscription.created',
  'subscription.changed',
  'subscription.canceled',
  'operator.viewed',
  'operator.job_retried',
  'operator.clinic_paused',
  'operator.clinic_resumed',
] as const;

export type AuditEvent = (typeof AUDIT_EVENTS)[number];
export type AuditOutcome = 'success' | 'failure' | 'denied';
export type AuditMetadata = Record<string, string | number | boolean | null>;

/** Human labels for the audit page and CSV export. */
export function auditEventLabel(event: AuditEvent): string {
  const [subject = '', verb = ''] = event.split('.');
  const noun: Record<string, string> = { user: 'User', member: 'Member', clinic: 'Clinic', audit: 'Audit log', data: 'Data', file: 'File', job: 'Job', transcript: 'Transcript', triage: 'Triage', recording: 'Recording', letter: 'Letter', pdf: 'PDF', api_key: 'API key' };
  return `${noun[subject] ?? subject.replace(/_/g, ' ').replace(/^\w/, (c) => c.toUpperCase())} ${verb.replace(/_/g, ' ')}`;
}
