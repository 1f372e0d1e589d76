import type { Language } from '../errors/localized.ts';
import type { Enterprise } from '../registries/registry-records.ts';
import { type Finding, finding } from './findings.ts';
import type { ClassType, RegistrationForm } from './registration-form.ts';
import { requiredDocumentKinds, standardsPolicy } from './standards-policy.ts';

/*
 * The automatic standards check of a 托育机构备案 filing. 一次性告知: every shortcoming is reported
 * in one pass, so a provider fixes everything in one amendment instead of learning of problems one
 * at a time.
 */

/** What the check needs besides the form; looked up by the caller so the check stays pure. */
export interface StandardsFacts {
  /** The market-supervision record for the filing's uscc; undefined when there is none. */
  readonly enterprise: Enterprise | undefined;
  /** The refs uploaded so far; when given, a document whose ref is not in it is reported. */
  readonly uploadedRefs?: ReadonlySet<string>;
}

/** Every finding, in the order a provider should read them: organisation, classes, staff, premises, documents. */
export function standardsFindings(form: RegistrationForm, facts: StandardsFacts): Finding[] {
  return [
    ...organisationFindings(form, facts.enterprise),
    ...classFindings(form),
    ...staffFindings(form),
    ...premisesFindings(form),
    ...documentFindings(form, facts.uploadedRefs),
  ];
}

function organisationFindings(
  form: RegistrationForm,
  enterprise: Enterprise | undefined,
): Finding[] {
  const { uscc, name } = form.organisation;
  if (enterprise === undefined) {
    return [finding('ENTERPRISE_NOT_FOUND', { uscc }, ['organisation', 'uscc'])];
  }
  const findings: Finding[] = [];
  if (enterprise.status !== 'active') {
    findings.push(
      finding('ENTERPRISE_NOT_ACTIVE', { uscc, status: enterprise.status }, [
        'organisation',
        'uscc',
      ]),
    );
  }
  const registeredName = enterprise.name.trim();
  const filedName = name.trim();
  if (registeredName !== filedName) {
    findings.push(
      finding('ENTERPRISE_NAME_MISMATCH', { registeredName, filedName }, ['organisation', 'name']),
    );
  }
  return findings;
}

function classFindings(form: RegistrationForm): Finding[] {
  return form.classes.flatMap((group, index) => {
    const max = standardsPolicy.classes[group.type].maxPlaces;
    return group.placesPerClass > max
      ? [
          finding('CLASS_TOO_LARGE', { classType: group.type, max, actual: group.placesPerClass }, [
            'classes',
            index,
            'placesPerClass',
          ]),
        ]
      : [];
  });
}

/** Caregivers the classes need: each class on its own, at its filed size (rounded up per class). */
export function requiredCaregivers(classes: RegistrationForm['classes']): number {
  return classes.reduce((total, group) => {
    const perCaregiver = standardsPolicy.classes[group.type].childrenPerCaregiver;
    return total + group.count * Math.ceil(group.placesPerClass / perCaregiver);
  }, 0);
}

function staffFindings(form: RegistrationForm): Finding[] {
  const findings: Finding[] = [];
  const required = requiredCaregivers(form.classes);
  const actual = form.staff.filter((member) => member.role === 'caregiver').length;
  if (actual < required) {
    const classTypes = [...new Set<ClassType>(form.classes.map((group) => group.type))];
    const ratios = classTypes.map((classType) => ({
      classType,
      childrenPerCaregiver: standardsPolicy.classes[classType].childrenPerCaregiver,
    }));
    findings.push(finding('STAFF_RATIO_LOW', { required, actual, ratios }, ['staff']));
  }
  if (!form.staff.some((member) => member.role === 'director')) {
    findings.push(finding('NO_DIRECTOR', {}, ['staff']));
  }
  if (!form.staff.some((member) => member.role === 'health')) {
    findings.push(finding('NO_HEALTH_STAFF', {}, ['staff']));
  }
  form.staff.forEach((member, index) => {
    if (member.healthCertified) return;
    findings.push(
      finding('STAFF_NOT_HEALTH_CERTIFIED', { role: member.role, name: member.name }, [
        'staff',
        index,
        'healthCertified',
      ]),
    );
  });
  return findings;
}

function premisesFindings(form: RegistrationForm): Finding[] {
  const required = standardsPolicy.minLeaseYears;
  const actual = form.premises.leaseYears;
  return actual < required
    ? [finding('LEASE_TOO_SHORT', { required, actual }, ['premises', 'leaseYears'])]
    : [];
}

function documentFindings(
  form: RegistrationForm,
  uploadedRefs: ReadonlySet<string> | undefined,
): Finding[] {
  const filed = new Set(form.documents.map((document) => document.kind));
  const mealKinds = new Set<string>(standardsPolicy.mealDocuments);
  const missing = requiredDocumentKinds(form.providesMeals)
    .filter((kind) => !filed.has(kind))
    .map((kind) =>
      finding('MISSING_DOCUMENT', { kind, becauseOfMeals: mealKinds.has(kind) }, ['documents']),
    );
  if (uploadedRefs === undefined) return missing;
  // One finding per ref: a file given for two kinds was still never uploaded just once.
  const reported = new Set<string>();
  const notUploaded: Finding[] = [];
  form.documents.forEach(({ kind, ref }, index) => {
    if (uploadedRefs.has(ref) || reported.has(ref)) return;
    reported.add(ref);
    notUploaded.push(finding('DOCUMENT_NOT_UPLOADED', { kind, ref }, ['documents', index, 'ref']));
  });
  return [...missing, ...notUploaded];
}

/** Longest note a task may carry (shared/tasks/task-record.ts). */
const NOTE_MAX_CHARS = 1000;

/**
 * Every finding, numbered, one per line, for the provider's task note: 「1. …\n2. …」. A note
 * that would be longer than a task note may be keeps the leading findings that fit and ends with
 * 「…等N项」 (N: all findings), so the provider knows there is more to read on the case.
 */
export function findingsNote(
  findings: readonly Finding[],
  language: Language = 'zh-CN',
  maxChars = NOTE_MAX_CHARS,
): string {
  const lines = findings.map((item, index) => `${index + 1}. ${item.message[language]}`);
  const full = lines.join('\n');
  if (full.length <= maxChars) return full;
  const suffix =
    language === 'zh-CN' ? `…等${findings.length}项` : `… ${findings.length} findings in all`;
  const kept: string[] = [];
  let length = suffix.length;
  for (const line of lines) {
    if (length + line.length + 1 > maxChars) break;
    kept.push(line);
    length += line.length + 1;
  }
  // Not even the first finding fits whole: show as much of it as there is room for.
  if (kept.length === 0) {
    return `${(lines[0] ?? '').slice(0, Math.max(0, maxChars - suffix.length - 1))}\n${suffix}`;
  }
  return `${kept.join('\n')}\n${suffix}`;
}
