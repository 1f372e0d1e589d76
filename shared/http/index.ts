export * from './api-handler.ts';
export * from './response.ts';
export * from './types.ts';
