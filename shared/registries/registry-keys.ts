import { idKey } from '../privacy/id-key.ts';

/**
 * Table keys of the local registries. A resident is keyed by {@link idKey}, never by the ID
 * number itself: keys end up in logs, metrics and index projections.
 */
export const registryKeys = {
  resident: (idNumber: string) => ({
    pk: `REGISTRY#RESIDENT#${idKey(normaliseCode(idNumber))}`,
    sk: 'RESIDENT',
  }),
  enterprise: (uscc: string) => ({
    pk: `REGISTRY#ENTERPRISE#${normaliseCode(uscc)}`,
    sk: 'ENTERPRISE',
  }),
} as const;

/** ID numbers and USCCs are compared trimmed and upper-cased (a lowercase check `x` is common). */
export function normaliseCode(value: string): string {
  return value.trim().toUpperCase();
}
