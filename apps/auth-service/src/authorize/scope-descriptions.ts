/** What the consent page says each scope lets the app do. */
const DESCRIPTIONS: Record<string, string> = {
  openid: 'Know who you are when you sign in',
  profile: 'See your username',
  offline_access: 'Stay signed in when you are away',
  'resource:read': 'Read your data in the resource service',
  'resource:admin': 'Administer the resource service for you',
};

export function describeScopes(scope: readonly string[]): { name: string; description: string }[] {
  return scope.map((name) => ({ name, description: DESCRIPTIONS[name] ?? `Use the ${name} permission` }));
}
