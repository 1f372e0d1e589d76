/**
 * True when a concrete path fits an API Gateway route path (`{name}` = one non-empty segment,
 * `{name+}` = the rest), segment for segment as API Gateway matches: `/v1/me/` and `//v1/me` are
 * not `/v1/me`.
 */
export function pathMatches(routePath: string, path: string): boolean {
  const routeParts = routePath.split('/').slice(1);
  const parts = path.split('/').slice(1);
  for (let i = 0; i < routeParts.length; i++) {
    const routePart = routeParts[i] ?? '';
    if (/^\{[^}]+\+\}$/.test(routePart)) return parts.slice(i).join('/') !== '';
    const part = parts[i];
    if (part === undefined) return false;
    if (/^\{[^}]+\}$/.test(routePart)) {
      if (part === '') return false;
    } else if (routePart !== part) return false;
  }
  return routeParts.length === parts.length;
}
