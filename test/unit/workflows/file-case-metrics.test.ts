import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaseRecord } from '../../../shared/cases/case-record.ts';
import { createCase } from '../../../shared/cases/case-store.ts';
import { countCaseSubmitted } from '../../../shared/observability/business-metrics.ts';
import { type CaseFiling, fileCase } from '../../../shared/workflows/file-case.ts';
import { startCaseWorkflow } from '../../../shared/workflows/sfn-client.ts';

// Neither the table nor Step Functions is reached: the case store and the start are stand-ins.
vi.mock('../../../shared/cases/case-store.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../shared/cases/case-store.ts')>()),
  createCase: vi.fn(),
}));
vi.mock('../../../shared/workflows/sfn-client.ts', () => ({ startCaseWorkflow: vi.fn() }));
vi.mock('../../../shared/observability/business-metrics.ts', () => ({
  countCaseSubmitted: vi.fn(),
  countCaseEnded: vi.fn(),
  countTasksOverdue: vi.fn(),
}));

const filing: CaseFiling = {
  caseType: 'subsidy-claim',
  principal: { sub: 'family-1', roles: ['citizen'] },
  idempotencyKey: 'claim-1',
  submitted: { months: ['2026-11'] },
  form: { months: ['2026-11'] },
  district: 'anji',
  workflow: { stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:SubsidyClaim' },
  locks: () => [],
  lockRefused: async () => new Error('held'),
};

function filed(created: boolean) {
  vi.mocked(createCase).mockImplementation(async (input) => ({
    record: { ...input, status: 'submitted', version: 1 } as unknown as CaseRecord,
    created,
  }));
}

beforeEach(() => {
  vi.mocked(countCaseSubmitted).mockReset();
  vi.mocked(startCaseWorkflow).mockReset();
});

describe('fileCase counts a submission once', () => {
  it('counts a case it filed, by case type and district', async () => {
    // Prepare
    filed(true);

    // Act
    await fileCase(filing);

    // Assess
    expect(countCaseSubmitted).toHaveBeenCalledExactlyOnceWith('subsidy-claim', 'anji');
  });

  it('does not count a retry that found the case already filed, and still starts its workflow', async () => {
    // Prepare
    filed(false);

    // Act
    await fileCase(filing);

    // Assess
    expect(countCaseSubmitted).not.toHaveBeenCalled();
    expect(startCaseWorkflow).toHaveBeenCalledTimes(1);
  });
});
