export * from './access.ts';
export * from './principal.ts';
export * from './roles.ts';
