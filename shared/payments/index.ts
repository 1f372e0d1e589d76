export * from './disbursement.ts';
export * from './payment-csv.ts';
export * from './payment-items.ts';
export * from './payment-keys.ts';
export * from './payment-list.ts';
export * from './payment-record.ts';
