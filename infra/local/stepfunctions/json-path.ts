import { isPlainObject } from './json.ts';

const SEGMENT = /^(?:\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\])/;

/**
 * Evaluates the reference paths ASL allows in `TimeoutSecondsPath` and `HeartbeatSecondsPath`
 * (`$.a.b`, `$.a[0]`, `$['a b']`). The library keeps its own evaluator private, and those two
 * fields are taken out of the definition it runs, so they are read here.
 */
export function readReferencePath(path: string, document: unknown): unknown {
  if (!path.startsWith('$') || path.startsWith('$$')) return undefined;
  let rest = path.slice(1);
  let current: unknown = document;
  while (rest.length > 0) {
    const match = SEGMENT.exec(rest);
    if (!match) return undefined;
    rest = rest.slice(match[0].length);
    const index = match[2];
    if (index !== undefined) {
      if (!Array.isArray(current)) return undefined;
      current = current[Number(index)];
    } else {
      const key = match[1] ?? match[3] ?? match[4] ?? '';
      if (!isPlainObject(current) || !Object.hasOwn(current, key)) return undefined;
      current = current[key];
    }
  }
  return current;
}
