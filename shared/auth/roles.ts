import * as z from 'zod';

/**
 * Roles a principal may hold. Staff roles are scoped by district, `provider` by providerId,
 * `citizen` by ownership of their own cases.
 */
export const roleSchema = z.enum([
  'citizen',
  'provider',
  'caseworker',
  'supervisor',
  'civil-affairs',
  'fire',
  'market',
  'finance',
  'admin',
]);

export type Role = z.infer<typeof roleSchema>;

export const roles: readonly Role[] = roleSchema.options;

/** Roles whose scope is a district (`city` for city-level staff). */
export const staffRoles: readonly Role[] = [
  'caseworker',
  'supervisor',
  'civil-affairs',
  'fire',
  'market',
  'finance',
];
