import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  defaultRegistrationValidityYears,
  registrationValidityYears,
} from '../../../shared/registration/registration-validity.ts';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('registrationValidityYears', () => {
  it('is 3 years when nothing is configured', () => {
    // Prepare
    const environment = {};

    // Act
    const years = registrationValidityYears(environment);

    // Assess
    expect(years).toBe(3);
    expect(defaultRegistrationValidityYears).toBe(3);
  });

  it.each([
    ['1', 1],
    ['5', 5],
    ['10', 10],
  ])('takes REGISTRATION_VALIDITY_YEARS=%s as %i years', (configured, expected) => {
    // Prepare
    const environment = { REGISTRATION_VALIDITY_YEARS: configured };

    // Act
    const years = registrationValidityYears(environment);

    // Assess
    expect(years).toBe(expected);
  });

  it.each(['0', '11', '-3', '2.5', 'five', ''])(
    'falls back to the default for REGISTRATION_VALIDITY_YEARS=%j',
    (configured) => {
      // Prepare
      const environment = { REGISTRATION_VALIDITY_YEARS: configured };

      // Act
      const years = registrationValidityYears(environment);

      // Assess
      expect(years).toBe(defaultRegistrationValidityYears);
    },
  );

  it("reads the process's environment by default", () => {
    // Prepare
    vi.stubEnv('REGISTRATION_VALIDITY_YEARS', '4');

    // Act
    const years = registrationValidityYears();

    // Assess
    expect(years).toBe(4);
  });
});
