import { canonicalJson, sha256Hex } from './json.ts';

export function parametersHash(parameters: unknown): string {
  return sha256Hex(canonicalJson(parameters));
}

/**
 * Names each Task entry of one run of an execution: `${stateName}#${hash}#${n}`, where n counts
 * the earlier entries with the same state and parameters (loops and retries re-enter a state
 * with the same parameters). A replay from the start allocates the same keys in the same order.
 */
export class JournalKeyAllocator {
  readonly #seen = new Map<string, number>();

  public next(stateName: string, parameters: unknown): string {
    const base = `${stateName}#${parametersHash(parameters)}`;
    const n = this.#seen.get(base) ?? 0;
    this.#seen.set(base, n + 1);
    return `${base}#${n}`;
  }
}
