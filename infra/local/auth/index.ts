export { InvalidTokenError } from './invalid-token-error.ts';
export {
  createLocalIssuer,
  DEFAULT_AUDIENCE,
  DEFAULT_ISSUER,
  type IssueTokenInput,
  type LocalIssuer,
  type LocalIssuerOptions,
} from './local-issuer.ts';
export { SIGNING_KEY_FILE, SigningKeyFileError } from './signing-key-store.ts';
