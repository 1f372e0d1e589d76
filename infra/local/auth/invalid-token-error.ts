/**
 * A bearer token the local issuer will not vouch for: bad signature, foreign key or algorithm,
 * wrong issuer or audience, expired, or malformed. `reason` is for logs only; callers answer every
 * case with the same 401 so a client learns nothing about which check failed.
 */
export class InvalidTokenError extends Error {
  public readonly reason: string;

  public constructor(reason: string, options?: ErrorOptions) {
    super(`Invalid token: ${reason}`, options);
    this.name = 'InvalidTokenError';
    this.reason = reason;
  }
}
