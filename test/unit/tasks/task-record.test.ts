import { describe, expect, it } from 'vitest';
import {
  createTaskInputSchema,
  scheduledTaskTypes,
  waitsOnApplicant,
} from '../../../shared/tasks/task-record.ts';

describe('waitsOnApplicant', () => {
  it.each([
    ['citizen', 'subsidy-claim', true],
    ['citizen', 'tuition-waiver', true],
    ['provider', 'provider-registration', true],
    // The provider confirming a family's enrolment is not who filed the claim.
    ['provider', 'subsidy-claim', false],
    ['caseworker', 'provider-registration', false],
    ['fire', 'provider-registration', false],
    ['supervisor', 'subsidy-claim', false],
  ] as const)('a %s task on a %s case waits on the applicant: %s', (role, caseType, expected) => {
    // Prepare
    const task = { role, caseType };

    // Act
    const waits = waitsOnApplicant(task);

    // Assess
    expect(waits).toBe(expected);
  });
});

describe('scheduledTaskTypes', () => {
  it('asks only the on-site inspection for a date when it is claimed', () => {
    // Prepare
    const types = ['on-site-inspection', 'health-review', 'city-confirmation', 'district-review'];

    // Act
    const scheduled = types.filter((type) => scheduledTaskTypes.includes(type));

    // Assess
    expect(scheduled).toEqual(['on-site-inspection']);
  });
});

describe('createTaskInputSchema', () => {
  const input = {
    taskToken: 'token-1',
    caseId: 'PR-7K3M9Q2X4B8N',
    taskType: 'city-confirmation',
    role: 'supervisor',
    dueInWorkingDays: 5,
  };

  it.each([
    ['city', true],
    ['wuxing', true],
    [undefined, true],
    ['hangzhou', false],
  ])('accepts district %j: %s', (district, valid) => {
    // Prepare
    const payload = district === undefined ? input : { ...input, district };

    // Act
    const result = createTaskInputSchema.safeParse(payload);

    // Assess
    expect(result.success).toBe(valid);
  });

  it('keeps the district a city-level step names', () => {
    // Prepare
    const payload = { ...input, district: 'city' };

    // Act
    const parsed = createTaskInputSchema.parse(payload);

    // Assess
    expect(parsed.district).toBe('city');
  });

  it.each(['fire', 'market'])('accepts the %s department as a task role', (role) => {
    // Prepare
    const payload = { ...input, taskType: `${role}-review`, role };

    // Act
    const result = createTaskInputSchema.safeParse(payload);

    // Assess
    expect(result.success).toBe(true);
  });
});
