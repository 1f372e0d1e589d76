/**
 * Request headers as payload format 2.0 carries them: names lower-cased (Node already does) and
 * repeated headers joined with ','. `headersDistinct` is used because `headers` silently drops
 * repeats of some names (content-type, user-agent, …). Several `Cookie` headers are joined with
 * '; ' instead, as HTTP defines; the event carries them in `cookies`, not in `headers`.
 */
export function flattenHeaders(distinct: NodeJS.Dict<string[]>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(distinct)) {
    if (values !== undefined) headers[name] = values.join(name === 'cookie' ? '; ' : ',');
  }
  return headers;
}

/** Cookies for the event's `cookies`, one `name=value` per entry, from the flattened header. */
export function parseCookies(cookieHeader: string | undefined): string[] {
  if (cookieHeader === undefined) return [];
  return cookieHeader
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}
