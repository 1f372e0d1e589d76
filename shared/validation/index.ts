export * from './district.ts';
export * from './id-number.ts';
export * from './messages.ts';
export * from './phone.ts';
export * from './uscc.ts';
