// A real OpenID Connect provider for the test suite, built on the npm `oidc-provider` package.
//
// It stands in for NHS England Applications (Okta in production): one confidential client, the
// authorization code flow (PKCE allowed), RS256-signed ID tokens, the scopes openid, email and
// profile, and the custom claim `ods_code` (released with the profile scope, as the production
// authorization server adds the organisation claim to the profile). Sign-in uses the package's
// built-in development interactions: the login field is the account id (`sub`) and any password
// is accepted; a consent page follows.
//
// Everything runs offline: the signing key is generated at start-up, nothing is fetched.
//
// Configuration, by environment variable or `--name=value` argument (arguments win):
//   OIDC_PROVIDER_PORT    / --port=            TCP port on 127.0.0.1; 0 (default) picks a free one
//   OIDC_CLIENT_ID        / --client-id=       default "lfpse-test"
//   OIDC_CLIENT_SECRET    / --client-secret=   default "lfpse-test-secret"
//   OIDC_REDIRECT_URIS    / --redirect-uris=   JSON array or comma-separated list (required)
//   OIDC_ACCOUNTS         / --accounts=        JSON array of {sub, email, email_verified,
//                                              given_name, family_name, ods_code}
//   OIDC_TOKEN_AUTH_METHOD/ --token-auth-method= client_secret_post (default) or client_secret_basic
//
// Once listening it prints `READY <issuer>` as the first line of stdout, e.g.
// `READY http://127.0.0.1:41234`. It stops on SIGTERM or SIGINT.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import process from 'node:process';

import Provider from 'oidc-provider';

function option(name, envName, fallback) {
  const prefix = `--${name}=`;
  const arg = process.argv.slice(2).find((value) => value.startsWith(prefix));
  if (arg !== undefined) return arg.slice(prefix.length);
  if (process.env[envName] !== undefined && process.env[envName] !== '') return process.env[envName];
  return fallback;
}

function fail(message) {
  process.stderr.write(`oidc test provider: ${message}\n`);
  process.exit(2);
}

function parseList(value) {
  const text = value.trim();
  if (text.startsWith('[')) return JSON.parse(text);
  return text.split(',').map((item) => item.trim()).filter(Boolean);
}

const port = Number.parseInt(option('port', 'OIDC_PROVIDER_PORT', '0'), 10);
const clientId = option('client-id', 'OIDC_CLIENT_ID', 'lfpse-test');
const clientSecret = option('client-secret', 'OIDC_CLIENT_SECRET', 'lfpse-test-secret');
const tokenAuthMethod = option('token-auth-method', 'OIDC_TOKEN_AUTH_METHOD', 'client_secret_post');
let redirectUris;
let accounts;
try {
  redirectUris = parseList(option('redirect-uris', 'OIDC_REDIRECT_URIS', ''));
  accounts = JSON.parse(option('accounts', 'OIDC_ACCOUNTS', '[]'));
} catch (error) {
  fail(`could not parse the configuration: ${error.message}`);
}
if (!Number.isInteger(port) || port < 0 || port > 65535) fail('the port must be a number from 0 to 65535');
if (redirectUris.length === 0) fail('give at least one redirect URI (OIDC_REDIRECT_URIS)');
if (!Array.isArray(accounts)) fail('OIDC_ACCOUNTS must be a JSON array');

const accountsBySub = new Map();
for (const account of accounts) {
  if (!account || typeof account.sub !== 'string' || account.sub === '') {
    fail(`every account needs a non-empty string "sub": ${JSON.stringify(account)}`);
  }
  accountsBySub.set(account.sub, account);
}

// A fresh RS256 signing key for this run; the relying party reads it from the JWKS endpoint.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = {
  ...privateKey.export({ format: 'jwk' }),
  kid: `test-${randomBytes(6).toString('hex')}`,
  alg: 'RS256',
  use: 'sig',
};

const server = http.createServer();
server.listen(port, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: tokenAuthMethod,
        id_token_signed_response_alg: 'RS256',
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    // The custom organisation claim travels with the profile scope.
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['given_name', 'family_name', 'ods_code'],
    },
    // PKCE is allowed (and checked when sent) but a confidential client need not use it.
    pkce: { required: () => false },
    features: {
      devInteractions: { enabled: true },
      userinfo: { enabled: true },
    },
    async findAccount(ctx, id) {
      const account = accountsBySub.get(id);
      if (account === undefined) return undefined;
      return {
        accountId: account.sub,
        async claims() {
          const claims = { sub: account.sub };
          for (const name of ['email', 'email_verified', 'given_name', 'family_name', 'ods_code']) {
            if (account[name] !== undefined && account[name] !== null) claims[name] = account[name];
          }
          return claims;
        },
      };
    },
    renderError(ctx, out) {
      ctx.type = 'html';
      const text = Object.entries(out)
        .map(([key, value]) => `<p><strong>${key}</strong>: ${String(value).replace(/[<>&"]/g, '')}</p>`)
        .join('');
      ctx.body = `<!DOCTYPE html><html lang="en"><head><title>Provider error</title></head><body><h1>Provider error</h1>${text}</body></html>`;
    },
  });
  provider.on('server_error', (ctx, error) => {
    process.stderr.write(`oidc test provider: server error: ${error.stack || error}\n`);
  });

  // Keep the development pages offline: their stylesheet @imports a Google font, and browsers ask
  // for /favicon.ico. Neither may reach the network (or show up as a console error) in tests.
  provider.use(async (ctx, next) => {
    if (ctx.path === '/favicon.ico') {
      ctx.status = 204;
      return;
    }
    await next();
    if (typeof ctx.body === 'string' && ctx.response.is('html')) {
      ctx.body = ctx.body.replace(/@import url\(https?:[^)]*\);?/g, '');
    }
  });

  server.on('request', provider.callback());
  process.stdout.write(`READY ${issuer}\n`);
});
server.on('error', (error) => fail(`could not listen: ${error.message}`));

function stop() {
  server.close();
  server.closeAllConnections?.();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
