// A local Bot Framework token authority: OpenID metadata and a JWKS over real HTTP, and a
// signer for channel tokens. The bot's adapter is pointed here with BotOpenIdMetadata, so its
// real token validation runs against keys we control.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { MicrosoftAppCredentials, PasswordServiceClientCredentialFactory, type ServiceClientCredentials } from 'botframework-connector';

export const CHANNEL_ISSUER = 'https://api.botframework.com';

/** The token the bot's outbound calls carry in tests. */
export const OUTBOUND_TOKEN = 'local-outbound-token';

/** The bot's outbound token source (Entra, in production), answered locally with OUTBOUND_TOKEN. */
export class LocalOutboundCredentials extends PasswordServiceClientCredentialFactory {
  override async createCredentials(): Promise<ServiceClientCredentials> {
    const credentials = new MicrosoftAppCredentials(this.appId ?? '', 'unused');
    credentials.getToken = async () => OUTBOUND_TOKEN;
    return credentials;
  }
}

export interface TokenClaims {
  aud?: string;
  iss?: string;
  serviceUrl?: string;
  /** Seconds from now; negative for a token that has already expired. */
  expiresIn?: number;
  /** Sign with a key the metadata does not publish (under the published key id). */
  foreignKey?: boolean;
  /** Seconds from now before which the token is not valid (nbf); positive for a token from the future. */
  notBeforeIn?: number;
  /** An unsigned token (`alg: none`, empty signature), the classic forgery. */
  unsigned?: boolean;
}

export interface FakeBotFrameworkAuth {
  metadataUrl: string;
  /** A `Bearer …` header value. */
  token(claims: TokenClaims): Promise<string>;
  close(): Promise<void>;
}

/** An RS256 JWT (compact form), signed with node:crypto. */
function signJwt(header: object, payload: object, key: KeyObject): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const signingInput = `${encode(header)}.${encode(payload)}`;
  return `${signingInput}.${sign('RSA-SHA256', Buffer.from(signingInput), key).toString('base64url')}`;
}

export async function startFakeBotFrameworkAuth(): Promise<FakeBotFrameworkAuth> {
  const kid = 'local-test-key';
  const published = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...published.publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256', endorsements: ['msteams'] };

  const server: Server = createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/v1/.well-known/openidconfiguration') {
      res.end(JSON.stringify({ issuer: CHANNEL_ISSUER, jwks_uri: `${base}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
    } else if (req.url === '/v1/.well-known/keys') {
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    metadataUrl: `${base}/v1/.well-known/openidconfiguration`,
    async token(claims) {
      const key: KeyObject = claims.foreignKey ? foreign.privateKey : published.privateKey;
      const now = Math.floor(Date.now() / 1000);
      const exp = now + (claims.expiresIn ?? 3600);
      const issuedAt = Math.min(now, exp - 60);
      const notBefore = claims.notBeforeIn === undefined ? issuedAt : now + claims.notBeforeIn;
      const payload = { iss: claims.iss ?? CHANNEL_ISSUER, aud: claims.aud ?? '', serviceurl: claims.serviceUrl, iat: Math.min(issuedAt, notBefore), nbf: notBefore, exp };
      if (claims.unsigned) {
        const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
        return `Bearer ${encode({ alg: 'none', kid, typ: 'JWT' })}.${encode(payload)}.`;
      }
      return `Bearer ${signJwt({ alg: 'RS256', kid, typ: 'JWT' }, payload, key)}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
