import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../../functions/http/list-tasks.ts';
import { listEscalated } from '../../../shared/tasks/escalations.ts';
import { listInbox } from '../../../shared/tasks/inbox.ts';
import { getCaller } from '../../support/api-get.ts';
import { escalatedTaskRecord } from './fixtures.ts';

// The table stays out of it: both lists come from these stand-ins.
vi.mock('../../../shared/tasks/escalations.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../shared/tasks/escalations.ts')>()),
  listEscalated: vi.fn(),
}));
vi.mock('../../../shared/tasks/inbox.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../shared/tasks/inbox.ts')>()),
  listInbox: vi.fn(),
}));

const call = getCaller(handler, '/v1/tasks', 'staff-1');

const escalated = { status: 'escalated' };
const anjiSupervisor = { 'cognito:groups': '[supervisor]', 'custom:district': 'anji' };

beforeEach(() => {
  vi.stubEnv('TABLE_NAME', 't');
  vi.mocked(listEscalated).mockResolvedValue({ items: [], consumedReadUnits: 0 });
  vi.mocked(listInbox).mockResolvedValue({ items: [], consumedReadUnits: 0, itemsRead: 0 });
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetAllMocks();
});

describe('GET /v1/tasks?status=escalated', () => {
  it("gives a district's supervisor their district's escalated tasks, marked escalated", async () => {
    // Prepare: the entry may outlive the escalation flag for a moment; the list still marks it
    vi.mocked(listEscalated).mockResolvedValue({
      items: [
        escalatedTaskRecord(),
        escalatedTaskRecord({ taskId: 'T-late', escalatedAt: undefined }),
      ],
      cursor: 'next-page',
      consumedReadUnits: 1,
    });

    // Act
    const response = await call({ ...escalated, limit: '10', cursor: 'this-page' }, anjiSupervisor);

    // Assess
    expect(response.status).toBe(200);
    expect(vi.mocked(listEscalated).mock.calls).toEqual([
      ['anji', { limit: 10, cursor: 'this-page' }],
    ]);
    expect(listInbox).not.toHaveBeenCalled();
    expect(response.body.cursor).toBe('next-page');
    expect(response.body.items).toEqual([
      expect.objectContaining({
        taskId: 'T-review',
        caseId: 'SC-7K3M9Q2X4B8N',
        status: 'claimed',
        claimedBy: 'anji-cw-7',
        dueAt: '2026-12-04T09:30:00.000Z',
        overdue: true,
        escalated: true,
      }),
      expect.objectContaining({ taskId: 'T-late', escalated: true }),
    ]);
  });

  it("gives a city supervisor the whole city's list", async () => {
    // Prepare
    const claims = { 'cognito:groups': '[supervisor]', 'custom:district': 'city' };

    // Act
    const response = await call(escalated, claims);

    // Assess
    expect(response.status).toBe(200);
    expect(vi.mocked(listEscalated).mock.calls).toEqual([['city', { limit: 20 }]]);
    expect(response.body).toEqual({ items: [] });
  });

  it("gives an admin the whole city's list", async () => {
    // Prepare
    const claims = { 'cognito:groups': '[admin]' };

    // Act
    const response = await call(escalated, claims);

    // Assess
    expect(response.status).toBe(200);
    expect(vi.mocked(listEscalated).mock.calls).toEqual([['city', { limit: 20 }]]);
  });

  it.each([
    ['a caseworker', { 'cognito:groups': '[caseworker]', 'custom:district': 'anji' }],
    ['a provider', { 'cognito:groups': '[provider]', 'custom:providerId': 'P-1' }],
    ['a family', { 'cognito:groups': '[citizen]' }],
    ['a supervisor without a district', { 'cognito:groups': '[supervisor]' }],
  ])('refuses %s, reading nothing', async (_name, claims) => {
    // Prepare
    const query = escalated;

    // Act
    const response = await call(query, claims);

    // Assess
    expect(response.status).toBe(403);
    expect(listEscalated).not.toHaveBeenCalled();
    expect(listInbox).not.toHaveBeenCalled();
  });
});

describe('GET /v1/tasks', () => {
  it("still lists a supervisor's own queue for the other statuses", async () => {
    // Prepare
    vi.mocked(listInbox).mockResolvedValue({
      items: [escalatedTaskRecord({ role: 'supervisor', escalatedAt: undefined })],
      consumedReadUnits: 1,
      itemsRead: 1,
    });

    // Act
    const response = await call({ status: 'claimed' }, anjiSupervisor);

    // Assess
    expect(response.status).toBe(200);
    expect(listEscalated).not.toHaveBeenCalled();
    expect(vi.mocked(listInbox).mock.calls[0]?.[0]).toMatchObject({
      queues: ['supervisor#D:anji'],
      status: 'claimed',
    });
    expect(response.body.items).toEqual([
      expect.objectContaining({ taskId: 'T-review', overdue: true, escalated: false }),
    ]);
  });
});
