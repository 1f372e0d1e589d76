import type { GatewayRoute } from './types.ts';

/** A route the gateway cannot serve as written; API Gateway would reject it at deploy time too. */
export class InvalidRouteError extends Error {
  public constructor(routeKey: string, problem: string) {
    super(`Invalid route "${routeKey}": ${problem}`);
    this.name = 'InvalidRouteError';
  }
}

export interface RouteMatch {
  readonly route: GatewayRoute;
  /** `METHOD /path` as declared, e.g. `GET /v1/cases/{caseId}`. */
  readonly routeKey: string;
  /** URL-decoded; undefined when the route has no parameters. */
  readonly pathParameters: Record<string, string> | undefined;
}

export interface RouteTable {
  match(method: string, rawPath: string): RouteMatch | undefined;
}

type Segment =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'parameter'; readonly name: string }
  | { readonly kind: 'greedy'; readonly name: string };

interface CompiledRoute {
  readonly route: GatewayRoute;
  readonly method: string;
  readonly routeKey: string;
  readonly segments: readonly Segment[];
}

interface Candidate {
  readonly compiled: CompiledRoute;
  readonly pathParameters: Record<string, string>;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY']);
const PARAMETER = /^\{([A-Za-z0-9_.-]+)(\+?)\}$/;

/**
 * Selects routes the way API Gateway HTTP APIs do: the most specific path wins (a literal segment
 * beats `{name}`, which beats a greedy `{name+}`), then an exact method beats `ANY`.
 */
export function createRouteTable(routes: readonly GatewayRoute[]): RouteTable {
  const compiled = routes.map(compileRoute);
  const seen = new Set<string>();
  for (const { routeKey, method, segments } of compiled) {
    // `/a/{x}` and `/a/{y}` are the same route to API Gateway: compare shapes, not names.
    const shape = `${method} ${segments.map(segmentShape).join('/')}`;
    if (seen.has(shape)) throw new InvalidRouteError(routeKey, 'duplicates another route');
    seen.add(shape);
  }

  return {
    match(method, rawPath) {
      const pathSegments = splitPath(rawPath);
      if (pathSegments === undefined) return undefined;
      const requestMethod = method.toUpperCase();
      let best: Candidate | undefined;
      for (const route of compiled) {
        if (route.method !== requestMethod && route.method !== 'ANY') continue;
        const pathParameters = matchSegments(route.segments, pathSegments);
        if (pathParameters === undefined) continue;
        const candidate = { compiled: route, pathParameters };
        if (best === undefined || compareCandidates(candidate, best) < 0) best = candidate;
      }
      if (best === undefined) return undefined;
      const { route, routeKey } = best.compiled;
      const hasParameters = Object.keys(best.pathParameters).length > 0;
      return { route, routeKey, pathParameters: hasParameters ? best.pathParameters : undefined };
    },
  };
}

function compileRoute(route: GatewayRoute): CompiledRoute {
  const method = route.method.toUpperCase();
  const routeKey = `${method} ${route.path}`;
  if (!METHODS.has(method)) throw new InvalidRouteError(routeKey, `unknown method ${route.method}`);
  if (!route.path.startsWith('/')) throw new InvalidRouteError(routeKey, 'path must start with /');
  const segments = route.path
    .slice(1)
    .split('/')
    .map((text, index, all): Segment => {
      const parameter = PARAMETER.exec(text);
      if (parameter === null) {
        if (text.includes('{') || text.includes('}')) {
          throw new InvalidRouteError(routeKey, `malformed segment "${text}"`);
        }
        return { kind: 'literal', value: text };
      }
      const name = parameter[1] ?? '';
      if (parameter[2] !== '+') return { kind: 'parameter', name };
      if (index !== all.length - 1) {
        throw new InvalidRouteError(routeKey, 'a greedy parameter must be the last segment');
      }
      return { kind: 'greedy', name };
    });
  const names = segments.flatMap((segment) => (segment.kind === 'literal' ? [] : [segment.name]));
  if (new Set(names).size !== names.length) {
    throw new InvalidRouteError(routeKey, 'repeats a parameter name');
  }
  return { route, method, routeKey, segments };
}

/** Raw (still percent-encoded) segments; undefined for a path that is not origin-form. */
function splitPath(rawPath: string): string[] | undefined {
  if (!rawPath.startsWith('/')) return undefined;
  return rawPath.slice(1).split('/');
}

function matchSegments(
  segments: readonly Segment[],
  pathSegments: readonly string[],
): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    if (segment.kind === 'greedy') {
      const rest = pathSegments.slice(index).join('/');
      if (rest.length === 0) return undefined;
      parameters[segment.name] = decodePathText(rest);
      return parameters;
    }
    const text = pathSegments[index];
    if (text === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (decodePathText(text) !== segment.value) return undefined;
      continue;
    }
    if (text.length === 0) return undefined;
    parameters[segment.name] = decodePathText(text);
  }
  return pathSegments.length === segments.length ? parameters : undefined;
}

function compareCandidates(a: Candidate, b: Candidate): number {
  const length = Math.max(a.compiled.segments.length, b.compiled.segments.length);
  for (let index = 0; index < length; index += 1) {
    const difference =
      specificity(a.compiled.segments[index]) - specificity(b.compiled.segments[index]);
    if (difference !== 0) return difference;
  }
  return Number(a.compiled.method === 'ANY') - Number(b.compiled.method === 'ANY');
}

/** Lower is more specific. */
function specificity(segment: Segment | undefined): number {
  switch (segment?.kind) {
    case 'literal':
      return 0;
    case 'parameter':
      return 1;
    default:
      return 2;
  }
}

function segmentShape(segment: Segment): string {
  if (segment.kind === 'literal') return segment.value;
  return segment.kind === 'parameter' ? '{}' : '{+}';
}

/** Malformed escapes are passed through as sent rather than failing the request. */
export function decodePathText(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
