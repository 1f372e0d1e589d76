/**
 * Flattens verified JWT claims the way the API Gateway HTTP API JWT authorizer hands them to
 * Lambda: every value becomes a string, arrays are rendered `[a b c]` and objects `map[k:v]`
 * (Go's `%v`, which is what the service emits), so code parsing claims locally meets the same
 * shape it will meet in AWS.
 */
export function flattenClaims(claims: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(claims).map(([name, value]) => [name, formatClaimValue(value)]),
  );
}

function formatClaimValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(formatClaimValue).join(' ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, item]) => `${key}:${formatClaimValue(item)}`);
    return `map[${entries.join(' ')}]`;
  }
  return String(value);
}
