// The origin of the short-lived S3 URLs that downloads redirect to, for the
// Content-Security-Policy (the transcript player loads a recording through that
// redirect). The rules follow the AWS SDK's S3 endpoint rules for the settings
// Maneiro has (bucket, region, S3_ENDPOINT, S3_FORCE_PATH_STYLE);
// tests/unit/security-headers.test.ts checks them against the SDK's own presigner.

export interface PresignedOriginSettings {
  bucket: string | undefined;
  region: string;
  endpoint: string | undefined;
  forcePathStyle: boolean;
}

const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)){3}$/;
const BUCKET_LABEL = /^(?!-)[a-z0-9-]{3,63}(?<!-)$/;

/** Whether the SDK puts the bucket in the host name (virtual-hosted style) rather than the path. */
function hostableBucket(bucket: string, allowDots: boolean): boolean {
  if (IPV4.test(bucket)) return false;
  return (allowDots ? bucket.split('.') : [bucket]).every((label) => BUCKET_LABEL.test(label));
}

/** The scheme, host and port of presigned GET URLs; null with local storage. */
export function presignedUrlOrigin({ bucket, region, endpoint, forcePathStyle }: PresignedOriginSettings): string | null {
  if (!bucket) return null;
  if (!endpoint) {
    const host = `s3.${region}.amazonaws.com`;
    return !forcePathStyle && hostableBucket(bucket, false) ? `https://${bucket}.${host}` : `https://${host}`;
  }
  const url = new URL(endpoint);
  const ipHost = IPV4.test(url.hostname) || url.hostname.startsWith('[');
  return !forcePathStyle && !ipHost && hostableBucket(bucket, url.protocol === 'http:') ? `${url.protocol}//${bucket}.${url.host}` : url.origin;
}
