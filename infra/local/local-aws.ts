/** Region, account and dummy credentials the whole local cloud agrees on. */
export const localRegion = 'us-east-1';
export const localAccount = '000000000000';
export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
