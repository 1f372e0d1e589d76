import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';

const remindRegistrationRenewals = vi.hoisted(() => {
  // The job logs its counts; keep them out of the test output.
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  return vi.fn();
});
vi.mock('../../../shared/providers/renewal-reminders.ts', () => ({
  remindRegistrationRenewals,
}));

const { handler } = await import('../../../functions/scheduled/remind-registration-renewals.ts');
const { jobs } = await import('../../../functions/scheduled/jobs.ts');

const context = {
  functionName: 'RemindRegistrationRenewals',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 42_000,
} as unknown as Context;

describe('RemindRegistrationRenewals job', () => {
  it('runs the reminders once, with the time left, and returns their counts', async () => {
    // Prepare
    const counts = { due: 3, reminded: 2, skipped: 1, consumedReadUnits: 1.5 };
    remindRegistrationRenewals.mockResolvedValueOnce(counts);

    // Act
    const result = await handler({ job: 'RemindRegistrationRenewals' }, context);

    // Assess
    expect(result).toEqual(counts);
    expect(remindRegistrationRenewals).toHaveBeenCalledTimes(1);
    const [options] = remindRegistrationRenewals.mock.calls[0] ?? [];
    expect(options.remainingMs()).toBe(42_000);
  });

  it('fails the invocation when a reminder failed, so the schedule retries', async () => {
    // Prepare
    remindRegistrationRenewals.mockRejectedValueOnce(new Error('Renewal reminders: 1 failed'));

    // Act
    const running = handler({ job: 'RemindRegistrationRenewals' }, context);

    // Assess
    await expect(running).rejects.toThrow('1 failed');
  });

  it('is scheduled daily at 09:00 (Asia/Shanghai), the hour reminders fall due', () => {
    // Act
    const job = jobs.find((candidate) => candidate.id === 'RemindRegistrationRenewals');

    // Assess
    expect(job).toMatchObject({
      entry: 'functions/scheduled/remind-registration-renewals.ts',
      schedule: 'cron(0 9 * * ? *)',
    });
    expect(job?.timeoutSeconds).toBeUndefined();
  });
});
