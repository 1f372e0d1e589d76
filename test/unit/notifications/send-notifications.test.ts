import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';

const sendPending = vi.hoisted(() => {
  // The job logs its counts; keep them out of the test output.
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  return vi.fn();
});
vi.mock('../../../shared/notifications/sender.ts', () => ({ sendPending }));

const { handler } = await import('../../../functions/scheduled/send-notifications.ts');

const context = {
  functionName: 'SendNotifications',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

describe('SendNotifications job', () => {
  it('runs the sender once and returns its counts', async () => {
    // Prepare
    sendPending.mockResolvedValueOnce({ sent: 2, failed: 1, givenUp: 0 });

    // Act
    const result = await handler({ job: 'SendNotifications' }, context);

    // Assess
    expect(result).toEqual({ sent: 2, failed: 1, givenUp: 0 });
    expect(sendPending).toHaveBeenCalledTimes(1);
  });

  it('fails the invocation when the outbox cannot be read, so the schedule retries', async () => {
    // Prepare
    sendPending.mockRejectedValueOnce(new Error('TABLE_NAME is not set'));

    // Act
    const running = handler({ job: 'SendNotifications' }, context);

    // Assess
    await expect(running).rejects.toThrow('TABLE_NAME is not set');
  });
});
