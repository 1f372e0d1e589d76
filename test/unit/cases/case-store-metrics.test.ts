import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaseRecord } from '../../../shared/cases/case-record.ts';
import { changeCase } from '../../../shared/cases/case-store.ts';
import { documentClient } from '../../../shared/db/client.ts';
import { countCaseEnded } from '../../../shared/observability/business-metrics.ts';

// The table stays out of it: the case is read from, and the change written to, this stand-in.
vi.mock('../../../shared/db/client.ts', () => ({
  documentClient: { send: vi.fn() },
  tableName: () => 'shanyu-test',
}));
vi.mock('../../../shared/observability/business-metrics.ts', () => ({
  countCaseEnded: vi.fn(),
  countCaseSubmitted: vi.fn(),
  countTasksOverdue: vi.fn(),
}));

const send = vi.mocked(documentClient.send) as unknown as ReturnType<typeof vi.fn>;

const stored: CaseRecord = {
  caseId: 'SC-7K3M9Q2X4B8N',
  caseType: 'subsidy-claim',
  status: 'in-review',
  applicantSub: 'family-1',
  district: 'anji',
  fingerprint: 'f',
  form: {},
  createdAt: '2026-11-20T02:00:00.000Z',
  updatedAt: '2026-11-20T02:00:00.000Z',
  version: 4,
};

beforeEach(() => {
  send.mockReset();
  vi.mocked(countCaseEnded).mockReset();
  send.mockImplementation(async (command: unknown) => {
    if (command instanceof QueryCommand) return { Items: [{ sk: 'CASE', ...stored }] };
    if (command instanceof TransactWriteCommand) return {};
    throw new Error('unexpected command');
  });
});

describe('changeCase counts how cases end', () => {
  it('counts a change that moves the case to a new status, by case type and district', async () => {
    // Act
    await changeCase(stored.caseId, () => ({
      type: 'case.approved',
      actor: { kind: 'system', component: 'workflow' },
      status: 'approved',
    }));

    // Assess
    expect(countCaseEnded).toHaveBeenCalledWith('subsidy-claim', 'anji', 'approved');
  });

  it('counts nothing for a change that keeps the status (a task claimed, a reminder)', async () => {
    // Act
    await changeCase(stored.caseId, () => ({
      type: 'task.claimed',
      actor: { kind: 'system', component: 'workflow' },
    }));

    // Assess
    expect(countCaseEnded).not.toHaveBeenCalled();
  });

  it('counts nothing when the change is not written', async () => {
    // Prepare
    send.mockImplementation(async (command: unknown) => {
      if (command instanceof QueryCommand) return { Items: [{ sk: 'CASE', ...stored }] };
      throw Object.assign(new Error('boom'), { name: 'InternalServerError' });
    });

    // Act
    const failed = await changeCase(stored.caseId, () => ({
      type: 'case.rejected',
      actor: { kind: 'system', component: 'workflow' },
      status: 'rejected',
    })).catch((error: unknown) => error);

    // Assess
    expect(failed).toBeInstanceOf(Error);
    expect(countCaseEnded).not.toHaveBeenCalled();
  });
});
