export const REQUEST_ID_HEADER = 'x-request-id';

/** Accepts a caller's id when it looks like one (load balancers set it), else makes a new one. */
export function requestIdFrom(headers: Headers): string {
  const incoming = headers.get(REQUEST_ID_HEADER);
  return incoming && /^[\w.:-]{8,128}$/.test(incoming) ? incoming : crypto.randomUUID();
}
