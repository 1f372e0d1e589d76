import { describe, expect, it } from 'vitest';
import {
  InvalidNotificationError,
  type NotificationInput,
  notificationIdFor,
  outboxPut,
} from '../../../shared/notifications/outbox.ts';
import { MissingTemplateParamError } from '../../../shared/notifications/templates.ts';

const assigned: NotificationInput = {
  template: 'task-assigned',
  recipient: { kind: 'queue', role: 'caseworker', scope: 'D:330502' },
  caseId: 'SC-0123456789AB',
  taskId: 'T-abc',
  params: { taskType: 'confirm-enrollment', dueAt: '2026-03-05T09:00:00.000Z' },
};
const createdAt = new Date('2026-03-01T02:03:04.005Z');

describe('outboxPut', () => {
  it('files a pending notification under its day, in the pending index', () => {
    // Act
    const entry = outboxPut(assigned, createdAt, 'shanyu-table');

    // Assess
    const id = notificationIdFor(assigned);
    expect(id).toMatch(/^N-[A-Za-z0-9_-]{22}$/);
    expect(entry).toEqual({
      Put: {
        TableName: 'shanyu-table',
        ConditionExpression: 'attribute_not_exists(pk)',
        Item: {
          pk: 'OUTBOX#2026-03-01',
          sk: `2026-03-01T02:03:04.005Z#${id}`,
          gsi4pk: 'OUTBOX#PENDING',
          gsi4sk: `2026-03-01T02:03:04.005Z#${id}`,
          entity: 'Notification',
          notificationId: id,
          template: 'task-assigned',
          recipient: { kind: 'queue', role: 'caseworker', scope: 'D:330502' },
          caseId: 'SC-0123456789AB',
          taskId: 'T-abc',
          params: { taskType: 'confirm-enrollment', dueAt: '2026-03-05T09:00:00.000Z' },
          createdAt: '2026-03-01T02:03:04.005Z',
          status: 'pending',
          attempts: 0,
        },
      },
    });
  });

  it('leaves taskId out when there is none', () => {
    // Prepare
    const input: NotificationInput = {
      template: 'case-approved',
      recipient: { kind: 'applicant', sub: 'family-1' },
      caseId: 'SC-0123456789AB',
      params: { caseType: 'subsidy-claim' },
    };

    // Act
    const { Item } = outboxPut(input, createdAt, 't').Put;

    // Assess
    expect(Object.keys(Item)).not.toContain('taskId');
    expect(Item.recipient).toEqual({ kind: 'applicant', sub: 'family-1' });
  });

  it('gives the same notification the same id whenever and however it is filed', () => {
    // Prepare: same content, different property order and time
    const reordered: NotificationInput = {
      params: { dueAt: '2026-03-05T09:00:00.000Z', taskType: 'confirm-enrollment' },
      taskId: 'T-abc',
      caseId: 'SC-0123456789AB',
      recipient: { scope: 'D:330502', role: 'caseworker', kind: 'queue' },
      template: 'task-assigned',
    };

    // Act
    const first = outboxPut(assigned, createdAt, 't').Put.Item.notificationId;
    const second = outboxPut(reordered, new Date('2026-03-02T00:00:00Z'), 't').Put.Item
      .notificationId;

    // Assess
    expect(second).toBe(first);
  });

  it.each<[string, Partial<NotificationInput>]>([
    ['template', { template: 'task-reminder' }],
    ['recipient', { recipient: { kind: 'queue', role: 'supervisor', scope: 'D:330502' } }],
    ['scope', { recipient: { kind: 'queue', role: 'caseworker', scope: 'D:330503' } }],
    [
      'holder',
      { recipient: { kind: 'queue', role: 'caseworker', scope: 'D:330502', holder: 'cw-1' } },
    ],
    ['case', { caseId: 'SC-ZZZZZZZZZZZZ' }],
    ['task', { taskId: 'T-other' }],
    ['dedupe key', { params: { ...assigned.params, dedupeKey: 'reminder-2' } }],
  ])('gives a different id when the %s differs', (_what, change) => {
    // Prepare
    const other = { ...assigned, ...change };

    // Act
    const ids = [notificationIdFor(assigned), notificationIdFor(other)];

    // Assess
    expect(ids[1]).not.toBe(ids[0]);
  });

  it('tells apart the same message to the holders of a task, one after another', () => {
    // Prepare: the task was claimed by one caseworker, then reassigned to another
    const toHolder = (holder: string): NotificationInput => ({
      ...assigned,
      recipient: { kind: 'queue', role: 'caseworker', scope: 'D:330502', holder },
    });

    // Act
    const ids = [notificationIdFor(toHolder('cw-1')), notificationIdFor(toHolder('cw-2'))];

    // Assess
    expect(ids[1]).not.toBe(ids[0]);
    expect(notificationIdFor(toHolder('cw-1'))).toBe(ids[0]);
  });

  it("keeps a queue recipient's holder on the filed notification", () => {
    // Prepare
    const recipient = {
      kind: 'queue',
      role: 'caseworker',
      scope: 'D:330502',
      holder: 'cw-1',
    } as const;

    // Act
    const { Item } = outboxPut({ ...assigned, recipient }, createdAt, 't').Put;

    // Assess
    expect(Item.recipient).toEqual(recipient);
  });

  it('ignores params other than the dedupe key in the id', () => {
    // Prepare
    const other = { ...assigned, params: { ...assigned.params, dueAt: '2026-03-06T09:00:00Z' } };

    // Act
    const ids = [notificationIdFor(assigned), notificationIdFor(other)];

    // Assess
    expect(ids[1]).toBe(ids[0]);
  });

  it('throws when the template lacks a parameter, before anything is written', () => {
    // Prepare
    const input = { ...assigned, params: { taskType: 'confirm-enrollment' } };

    // Act
    const file = () => outboxPut(input, createdAt, 't');

    // Assess
    expect(file).toThrow(MissingTemplateParamError);
  });

  it.each<[string, NotificationInput['recipient']]>([
    ['an applicant without sub', { kind: 'applicant', sub: '' }],
    ['a queue with a malformed scope', { kind: 'queue', role: 'caseworker', scope: '330502' }],
    [
      'a queue with an empty holder',
      { kind: 'queue', role: 'caseworker', scope: 'D:1', holder: '' },
    ],
    [
      'a queue with an unknown role',
      { kind: 'queue', role: 'janitor' as 'caseworker', scope: 'D:1' },
    ],
  ])('rejects %s', (_case, recipient) => {
    // Prepare
    const input = { ...assigned, recipient };

    // Act
    const file = () => outboxPut(input, createdAt, 't');

    // Assess
    expect(file).toThrow(InvalidNotificationError);
  });
});
