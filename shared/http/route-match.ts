/** True when a concrete path fits an API Gateway route path (`{name}` = one segment, `{name+}` = the rest). */
export function pathMatches(routePath: string, path: string): boolean {
  const routeParts = routePath.split('/').filter(Boolean);
  const parts = path.split('/').filter(Boolean);
  for (let i = 0; i < routeParts.length; i++) {
    const routePart = routeParts[i] ?? '';
    if (/^\{[^}]+\+\}$/.test(routePart)) return parts.length > i;
    const part = parts[i];
    if (part === undefined) return false;
    if (!/^\{[^}]+\}$/.test(routePart) && routePart !== part) return false;
  }
  return routeParts.length === parts.length;
}
