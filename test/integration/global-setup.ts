import { sharedCloudSetup } from '../support/shared-cloud-setup.ts';

/**
 * Integration tests share one local cloud, started once. Tests that need their own cloud (the
 * restart test) reuse its assembly.
 */
export default sharedCloudSetup({ name: 'test' });
