import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../shared/auth/principal.ts';
import {
  canAct,
  canSeeTask,
  canSupervise,
  queueOf,
  queuesOf,
} from '../../../shared/tasks/queues.ts';
import type { TaskRecord } from '../../../shared/tasks/task-record.ts';

const base: TaskRecord = {
  taskId: 'T-1',
  caseId: 'SC-1',
  caseType: 'subsidy-claim',
  taskType: 'district-approval',
  role: 'caseworker',
  district: 'anji',
  status: 'open',
  createdAt: '2026-11-28T00:00:00Z',
  dueAt: '2026-12-04T09:30:00Z',
  followUpAt: '2026-12-03T09:30:00Z',
  summary: '沈*禾',
};

describe('queues', () => {
  it.each([
    [{ ...base }, 'caseworker#D:anji'],
    [{ ...base, role: 'provider' as const, providerId: 'P-1' }, 'provider#P:P-1'],
    [{ ...base, role: 'citizen' as const, applicantSub: 'family-1' }, 'citizen#A:family-1'],
  ])('files %o under %s', (task, queue) => {
    // Prepare / Act / Assess
    expect(queueOf(task)).toBe(queue);
  });

  it('gives city staff every district and the city itself', () => {
    // Prepare
    const principal: Principal = { sub: 's', roles: ['caseworker'], district: 'city' };

    // Act
    const queues = queuesOf(principal);

    // Assess
    expect(queues).toContain('caseworker#D:city');
    expect(queues).toContain('caseworker#D:anji');
    expect(queues).toHaveLength(7);
  });

  it.each([
    ['a caseworker of the district', { sub: 's', roles: ['caseworker'], district: 'anji' }, true],
    [
      'a caseworker of another district',
      { sub: 's', roles: ['caseworker'], district: 'deqing' },
      false,
    ],
    [
      'a supervisor of the district (another role)',
      { sub: 's', roles: ['supervisor'], district: 'anji' },
      false,
    ],
    ['a provider', { sub: 'p', roles: ['provider'], providerId: 'P-1' }, false],
  ] as [string, Principal, boolean][])('%s may act: %s', (_, principal, expected) => {
    // Prepare / Act / Assess
    expect(canAct(principal, base)).toBe(expected);
  });

  it.each([
    [
      'the district’s supervisor',
      { sub: 's', roles: ['supervisor'], district: 'anji' },
      base,
      true,
    ],
    ['the city’s supervisor', { sub: 's', roles: ['supervisor'], district: 'city' }, base, true],
    [
      'another district’s supervisor',
      { sub: 's', roles: ['supervisor'], district: 'deqing' },
      base,
      false,
    ],
    [
      'a supervisor over a provider task',
      { sub: 's', roles: ['supervisor'], district: 'anji' },
      { ...base, role: 'provider', providerId: 'P-1' },
      false,
    ],
  ] as [string, Principal, TaskRecord, boolean][])(
    '%s supervises: %s',
    (_, principal, task, expected) => {
      // Prepare / Act / Assess
      expect(canSupervise(principal, task)).toBe(expected);
    },
  );

  it.each([
    [
      'the district’s supervisor: a provider task escalated to them',
      { sub: 's', roles: ['supervisor'], district: 'anji' },
      { ...base, role: 'provider', providerId: 'P-1' },
      true,
    ],
    [
      'the city’s supervisor: a provider task of any district',
      { sub: 's', roles: ['supervisor'], district: 'city' },
      { ...base, role: 'provider', providerId: 'P-1' },
      true,
    ],
    [
      'another district’s supervisor: not their provider task',
      { sub: 's', roles: ['supervisor'], district: 'deqing' },
      { ...base, role: 'provider', providerId: 'P-1' },
      false,
    ],
    [
      'a supervisor: not a family’s own task',
      { sub: 's', roles: ['supervisor'], district: 'anji' },
      { ...base, role: 'citizen', applicantSub: 'family-1' },
      false,
    ],
  ] as [string, Principal, TaskRecord, boolean][])(
    '%s may see it: %s',
    (_, principal, task, expected) => {
      // Prepare / Act / Assess
      expect(canSeeTask(principal, task)).toBe(expected);
    },
  );
});
