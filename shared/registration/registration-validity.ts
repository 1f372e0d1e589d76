/** How long a registration runs before it must be renewed; 3 years unless configured. */
export const defaultRegistrationValidityYears = 3;

/** `REGISTRATION_VALIDITY_YEARS` from the deployment's configuration (1–10), else the default. */
export function registrationValidityYears(
  environment: Readonly<Record<string, string | undefined>> = process.env,
): number {
  const configured = Number(environment.REGISTRATION_VALIDITY_YEARS);
  return Number.isInteger(configured) && configured >= 1 && configured <= 10
    ? configured
    : defaultRegistrationValidityYears;
}
