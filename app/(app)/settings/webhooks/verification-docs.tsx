import { DISABLE_AFTER_FAILING_DAYS, RETRY_WINDOW_HOURS, SECRET_ROTATION_OVERLAP_HOURS } from '@/lib/webhooks/events';

const EXAMPLE_PAYLOAD = `{
  "id": "5b0c3d1e-8f1a-4c2e-9d7b-2a6f0e4c9b11",
  "type": "letter.completed",
  "createdAt": "2026-12-01T14:05:09.120Z",
  "organizationId": "0f4e…",
  "data": {
    "job": { "id": "9a1c…", "type": "letter", "status": "succeeded",
             "url": "https://app.example/jobs/9a1c…", "apiUrl": "https://app.example/api/v1/jobs/9a1c…" },
    "letter": { "id": "c27d…", "url": "https://app.example/reports/c27d…",
                "apiUrl": "https://app.example/api/v1/letters/c27d…", "pdfUrl": "https://app.example/api/v1/letters/c27d…/pdf" }
  }
}`;

const NODE_SAMPLE = `import { createHmac, timingSafeEqual } from 'node:crypto';

// rawBody: the request body exactly as received (a string, before JSON.parse).
export function isFromManeiro(secret, headers, rawBody) {
  const timestamp = headers['maneiro-webhook-timestamp'];
  // Refuse old or replayed requests: allow five minutes of clock difference.
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = createHmac('sha256', secret).update(\`\${timestamp}.\${rawBody}\`).digest();
  return (headers['maneiro-webhook-signature'] ?? '').split(' ').some((part) => {
    if (!part.startsWith('v1=')) return false;
    const given = Buffer.from(part.slice(3), 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}`;

function Code({ children, label }: { children: string; label: string }) {
  return (
    <pre tabIndex={0} aria-label={label} className="overflow-x-auto rounded-md bg-slate-950 p-4 text-xs leading-5 text-slate-100">
      <code>{children}</code>
    </pre>
  );
}

/** How a receiver checks that a request came from Maneiro, with a short sample. */
export function VerificationDocs() {
  return (
    <div className="space-y-4 text-sm text-slate-700">
      <p>Each delivery is a POST with a JSON body and these headers:</p>
      <ul className="list-disc space-y-1 pl-5">
        <li>
          <code className="font-mono">Maneiro-Webhook-Id</code>: the event’s id. It stays the same on retries and resends, so store it and ignore repeats.
        </li>
        <li>
          <code className="font-mono">Maneiro-Webhook-Timestamp</code>: when this attempt was signed, in Unix seconds.
        </li>
        <li>
          <code className="font-mono">Maneiro-Webhook-Signature</code>: <code className="font-mono">v1=</code> followed by the hex HMAC-SHA256 of{' '}
          <code className="font-mono">&lt;timestamp&gt;.&lt;body&gt;</code>, keyed with your whole signing secret (including <code className="font-mono">whsec_</code>). For{' '}
          {SECRET_ROTATION_OVERLAP_HOURS} hours after you rotate the secret there are two signatures, separated by a space: one per secret. Accept the request
          when any of them matches.
        </li>
      </ul>
      <Code label="Verifying a signature in Node.js">{NODE_SAMPLE}</Code>
      <p>
        Answer with any 2xx status within 10 seconds to acknowledge. Anything else (including redirects, which are not followed) is retried with growing
        pauses, from 30 seconds up to 3 hours, for {RETRY_WINDOW_HOURS} hours. An endpoint that has failed every attempt for {DISABLE_AFTER_FAILING_DAYS} days is
        disabled and the clinic’s owners and admins get an email.
      </p>
      <p>The body carries ids and links only, never patient details. Fetch what you need with your API key:</p>
      <Code label="Example payload">{EXAMPLE_PAYLOAD}</Code>
    </div>
  );
}
