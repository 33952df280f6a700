// A real OpenID Connect provider (the npm `oidc-provider` package) for Hearth's single sign-on
// test: the council's identity provider, as Entra ID would be, with synthetic accounts.
//
//   node provider.mjs REDIRECT_URI
//
// listens on a free port of 127.0.0.1 and prints one JSON line {"issuer": "..."} when ready. It
// ends when its standard input closes (the test that started it has ended). The development
// sign-in and consent pages of oidc-provider accept any login with any password; the account's
// `roles` claim (as Entra ID's app roles) comes from the table below.
import http from 'node:http';
import Provider from 'oidc-provider';

const redirectUri = process.argv[2];
if (!redirectUri) {
  console.error('usage: node provider.mjs REDIRECT_URI');
  process.exit(2);
}

// Synthetic accounts: login -> app roles.
const ROLES = {
  'sam.sso': ['Hearth.SocialWorker'],
  'tess.sso': ['Hearth.TeamManager', 'Hearth.SocialWorker'],
  'pat.payroll': ['Payroll.Viewer'],
};

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: 'hearth',
      client_secret: 'a-synthetic-test-client-secret',
      redirect_uris: [redirectUri],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    cookies: { keys: ['a-synthetic-cookie-signing-key-for-tests'] },
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username', 'roles'],
      email: ['email'],
    },
    // As Entra ID does, put the profile claims in the ID token itself.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    async findAccount(ctx, sub) {
      return {
        accountId: sub,
        async claims() {
          return {
            sub,
            name: `${sub} (test provider)`,
            preferred_username: `${sub}@council.example`,
            email: `${sub}@council.example`,
            roles: ROLES[sub] ?? [],
          };
        },
      };
    },
  });
  server.on('request', provider.callback());
  console.log(JSON.stringify({ issuer }));
});

process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
