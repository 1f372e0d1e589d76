import * as z from 'zod';
import type { CaseRecord } from '../cases/case-record.ts';
import {
  applyRegistrationChanges,
  type RegistrationChanges,
  type RegistrationForm,
  registrationFormSchema,
} from './registration-form.ts';

/** A first filing, or a change to a registered provider's filing. */
export const filingSchema = z.object({
  kind: z.enum(['new', 'change']),
  /** For a change: the parts it changes (`classes`, `organisation.address`, `documents:fire-safety`…). */
  changedParts: z.array(z.string()).optional(),
  /** For a change: the case whose form it changes. */
  baseCaseId: z.string().optional(),
});
export type Filing = z.infer<typeof filingSchema>;

/** What a registration case stores as its form: the full filing and what kind of filing it is. */
export const registrationCaseFormSchema = registrationFormSchema.extend({ filing: filingSchema });
export type RegistrationCaseForm = z.output<typeof registrationCaseFormSchema>;

/** The filing of a registration case; throws on a case that is not one (a definition bug). */
export function registrationFormOf(record: Pick<CaseRecord, 'caseId' | 'caseType' | 'form'>): {
  form: RegistrationForm;
  filing: Filing;
} {
  if (record.caseType !== 'provider-registration') {
    throw new Error(`Case ${record.caseId} is not a provider registration`);
  }
  const { filing, ...form } = registrationCaseFormSchema.parse(record.form);
  return { form, filing };
}

/** Which people look at a filing: the three departments, and the on-site inspection. */
export interface ReviewsNeeded {
  readonly health: boolean;
  readonly fire: boolean;
  readonly market: boolean;
  readonly inspection: boolean;
}

/** The parts a change filing changes, named as `reviewsNeeded` reads them. */
export function changedPartsOf(changes: RegistrationChanges): string[] {
  const parts: string[] = [];
  for (const [part, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    if (part === 'organisation') {
      for (const [field, fieldValue] of Object.entries(value as object)) {
        if (fieldValue !== undefined) parts.push(`organisation.${field}`);
      }
    } else if (part === 'documents') {
      const documents = changes.documents ?? [];
      // Withdrawing every document is a change too: the standards check will say what is missing.
      if (documents.length === 0) parts.push('documents');
      for (const document of documents) parts.push(`documents:${document.kind}`);
    } else {
      parts.push(part);
    }
  }
  return [...new Set(parts)].sort();
}

/**
 * Who must look at a change, by what it touches: new premises (address, premises) go to every
 * department and a visit; places and classes to health and a visit; staff, fees and the 普惠 flag
 * to health; the organisation's name and legal representative to market supervision; a replaced
 * document to the department that issues or judges it. A first filing needs everyone.
 */
export function reviewsNeeded(filing: Filing): ReviewsNeeded {
  if (filing.kind === 'new') return { health: true, fire: true, market: true, inspection: true };
  const needed = { health: false, fire: false, market: false, inspection: false };
  for (const part of filing.changedParts ?? []) {
    if (
      part === 'organisation.address' ||
      part === 'organisation.district' ||
      part === 'premises'
    ) {
      Object.assign(needed, { health: true, fire: true, market: true, inspection: true });
    } else if (part === 'classes' || part === 'providesMeals') {
      Object.assign(needed, { health: true, inspection: true });
    } else if (part === 'organisation.name' || part === 'organisation.legalRepresentative') {
      needed.market = true;
    } else if (part === 'documents:fire-safety') {
      needed.fire = true;
    } else if (part === 'documents:business-license' || part === 'documents:food-license') {
      // Market supervision issues both the business licence and the food business licence.
      needed.market = true;
    } else {
      needed.health = true;
    }
  }
  return needed;
}

/**
 * A filing after the provider's amendment: the changed parts applied, and — for a change filing —
 * the amendment's parts added to what the change touches, so that whoever they concern reviews
 * them too.
 */
export function amendFiling(
  form: RegistrationForm,
  filing: Filing,
  changes: RegistrationChanges | undefined,
): { form: RegistrationForm; filing: Filing; changedParts: string[] } {
  if (!changes) return { form, filing, changedParts: [] };
  const changedParts = changedPartsOf(changes);
  const amended = applyRegistrationChanges(form, changes);
  if (filing.kind !== 'change') return { form: amended, filing, changedParts };
  const all = [...new Set([...(filing.changedParts ?? []), ...changedParts])].sort();
  return { form: amended, filing: { ...filing, changedParts: all }, changedParts };
}
