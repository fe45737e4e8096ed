/**
 * `base` and `path` joined by exactly one `/`, whatever slashes either brings: the issuer's URLs
 * are derived from AUTH_ISSUER, which is used verbatim as `iss` (docs/configuration.md), trailing
 * slash or not. `joinUrl('https://a.example/', '/x')` and `joinUrl('https://a.example', 'x')` are
 * both `https://a.example/x`; a base with a path keeps it (`https://a.example/tenant/` + `x`).
 */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
