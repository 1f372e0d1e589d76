import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { devOutboxRoute } from '../../../infra/local/dev-outbox.ts';
import { outboxPut } from '../../../shared/notifications/outbox.ts';

const createdAt = new Date('2026-03-01T02:00:00.000Z');
const toFamily = outboxPut(
  {
    template: 'case-approved',
    recipient: { kind: 'applicant', sub: 'family-1' },
    caseId: 'SC-FAMILY00001',
    params: { caseType: 'subsidy-claim' },
  },
  createdAt,
  'table',
).Put.Item;
const toQueue = outboxPut(
  {
    template: 'task-reminder',
    recipient: { kind: 'queue', role: 'caseworker', scope: 'D:330502' },
    caseId: 'SC-QUEUE000001',
    taskId: 'T-1',
    params: { taskType: 'district-approval', dueAt: '2026-03-05T09:00:00.000Z' },
  },
  new Date('2026-03-01T03:00:00.000Z'),
  'table',
).Put.Item;

/**
 * Serves day partitions two items a page, and a case's record and form from a map of case
 * partitions; records the day partitions asked.
 */
function fakeTable(items: Record<string, unknown>[], cases: Record<string, unknown[]>) {
  const partitions: string[] = [];
  const send = async (command: unknown) => {
    if (!(command instanceof QueryCommand)) throw new Error('unexpected command');
    const values = command.input.ExpressionAttributeValues ?? {};
    if (values[':day'] === undefined) return { Items: cases[String(values[':pk'])] ?? [] };
    const day = String(values[':day']);
    partitions.push(day);
    const inDay = items.filter((i) => i.pk === day);
    const start = Number(command.input.ExclusiveStartKey?.offset ?? 0);
    const page = inDay.slice(start, start + 2);
    return start + 2 < inDay.length
      ? { Items: page, LastEvaluatedKey: { offset: start + 2 } }
      : { Items: page };
  };
  return { partitions, client: { send } as unknown as DynamoDBDocumentClient };
}

const get = (query: string) => ({
  method: 'GET',
  path: '/dev/outbox',
  headers: {},
  body: '',
  query: new URLSearchParams(query),
});

afterEach(() => {
  vi.useRealTimers();
});

describe('devOutboxRoute', () => {
  it("lists the day's notifications with both texts, status and a masked phone", async () => {
    // Prepare
    const { client } = fakeTable([toFamily, toQueue], {
      'CASE#SC-FAMILY00001': [
        { sk: 'CASE', applicantSub: 'family-1' },
        { sk: 'CASE#FORM', form: { guardian: { phone: '13812345678' } } },
      ],
    });
    const route = devOutboxRoute(client, 'table');

    // Act
    const response = await route(get('date=2026-03-01'));

    // Assess
    expect(response.statusCode).toBe(200);
    const body = response.body as { date: string; notifications: Record<string, unknown>[] };
    expect(body.date).toBe('2026-03-01');
    expect(body.notifications).toHaveLength(2);
    expect(body.notifications[0]).toMatchObject({
      notificationId: toFamily.notificationId,
      status: 'pending',
      recipient: { kind: 'applicant', sub: 'family-1', phone: '138****5678' },
      rendered: {
        'zh-CN': { text: '【善育】您的入托补助申请（案件 SC-FAMILY00001）已审核通过。' },
        en: {
          text: '[Shanyu] Your childcare subsidy application (case SC-FAMILY00001) has been approved.',
        },
      },
    });
    expect(body.notifications[1]).toMatchObject({
      recipient: { kind: 'queue', role: 'caseworker', scope: 'D:330502' },
      rendered: { 'zh-CN': { text: expect.stringContaining('区级审核') } },
    });
    expect(JSON.stringify(body)).not.toContain('13812345678');
    expect(body.notifications[0]).not.toHaveProperty('claimToken');
  });

  it('reads every page of a busy day', async () => {
    // Prepare
    const many = Array.from({ length: 5 }, (_, i) => ({
      ...toQueue,
      sk: `${i}`,
      caseId: `SC-${i}`,
    }));
    const { client } = fakeTable(many, {});
    const route = devOutboxRoute(client, 'table');

    // Act
    const response = await route(get('date=2026-03-01'));

    // Assess
    const body = response.body as { notifications: { caseId: string }[] };
    expect(body.notifications.map((n) => n.caseId)).toEqual([
      'SC-0',
      'SC-1',
      'SC-2',
      'SC-3',
      'SC-4',
    ]);
  });

  it('defaults to today (UTC) on the local clock', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-04-10T23:30:00.000Z'));
    const { client, partitions } = fakeTable([], {});
    const route = devOutboxRoute(client, 'table');

    // Act
    const response = await route(get(''));

    // Assess
    expect(response).toEqual({
      statusCode: 200,
      body: { date: '2026-04-10', notifications: [] },
    });
    expect(partitions).toEqual(['OUTBOX#2026-04-10']);
  });

  it.each(['2026-3-1', '2026-02-30', 'yesterday'])('answers 400 to date=%s', async (date) => {
    // Prepare
    const { client, partitions } = fakeTable([], {});
    const route = devOutboxRoute(client, 'table');

    // Act
    const response = await route(get(`date=${date}`));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(partitions).toHaveLength(0);
  });
});
