/**
 * Registry failures with a code for programs and a message for people. Messages name the image and
 * the registry, say what happened and what to do; they never contain credentials.
 */
export type RegistryErrorCode =
  | 'unauthorized' // 401: no credentials, or rejected ones
  | 'denied' // 403, or a token without the pull scope
  | 'not-found' // 404: no such tag or repository
  | 'rate-limited' // 429 after the one retry Retry-After allows
  | 'server-error' // 5xx
  | 'bad-response' // an answer that is not a manifest, or any other status
  | 'schema1' // a schema 1 manifest: its digest cannot be pinned reliably
  | 'timeout'
  | 'refused' // connection refused
  | 'unreachable' // name does not resolve, network down, TLS failure
  | 'insecure' // credentials would have gone over plain HTTP beyond loopback
  | 'credentials' // Docker config or a credential helper failed
  | 'invalid-name' // a registry, repository or tag that would not stay inside the request's URL path
  | 'redirect' // a redirect that is not followed: to plain HTTP, to loopback, with user info, too many
  | 'cancelled';

export class RegistryError extends Error {
  constructor(
    readonly code: RegistryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}
