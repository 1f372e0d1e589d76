export * from './error-response.ts';
export * from './http-errors.ts';
export * from './localized.ts';
export * from './shanyu-error.ts';
export * from './validate.ts';
