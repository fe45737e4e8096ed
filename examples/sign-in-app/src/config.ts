/** Everything this app is told, from the environment only (`npm run try` sets it all). */
export interface AppConfig {
  /** The auth-service's AUTH_ISSUER: discovery starts from it. */
  issuer: URL;
  clientId: string;
  /** A web app with a server keeps a secret: it is a confidential client. */
  clientSecret: string;
  /** The protected route the "Call the resource-service" button reads with the access token. */
  resourceUrl: URL;
  port: number;
  /** Where the browser reaches this app: the redirect URIs are under it. */
  appUrl: string;
}

/** Reads AUTH_ISSUER, CLIENT_ID, CLIENT_SECRET, RESOURCE_URL and PORT; throws naming the variable when one is unusable. */
export function appConfig(env: NodeJS.ProcessEnv): AppConfig {
  // It talks plain http to a development auth-service and keeps its sessions in memory: a demo only.
  if (env.NODE_ENV === 'production')
    throw new Error('this example is not for production (NODE_ENV=production): it talks plain http and keeps sessions in memory');
  const port = Number(env.PORT || 3002);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT must be a port number, got ${JSON.stringify(env.PORT)}`);
  if (!env.CLIENT_SECRET) throw new Error('CLIENT_SECRET is required: the secret `npm run cli -- clients add` printed (npm run try passes it)');
  return {
    issuer: url('AUTH_ISSUER', env.AUTH_ISSUER || 'http://localhost:3000'),
    clientId: env.CLIENT_ID || 'sign-in-app',
    clientSecret: env.CLIENT_SECRET,
    resourceUrl: url('RESOURCE_URL', env.RESOURCE_URL || 'http://localhost:3001/resource/protected'),
    port,
    appUrl: `http://localhost:${port}`,
  };
}

function url(name: string, value: string): URL {
  if (!/^https?:\/\/[^/]/.test(value)) throw new Error(`${name} must be an http(s) URL, got ${JSON.stringify(value)}`);
  return new URL(value);
}
