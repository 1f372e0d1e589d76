import { maskIdNumber } from '../validation/id-number.ts';
import { maskMobile } from '../validation/phone.ts';
import type { CaseEvent, CaseRecord } from './case-record.ts';

/** Masks 身份证 and phone numbers wherever they sit in a form: views never need them whole. */
export function maskForm(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (/idnumber$/i.test(key)) return maskIdNumber(value);
    if (/(phone|mobile)$/i.test(key)) return maskMobile(value);
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => maskForm(item, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskForm(v, k)]));
  }
  return value;
}

/** What GET /v1/cases/{caseId} shows: the case, its form masked, and its audit trail. */
export function caseView(record: CaseRecord, events: readonly CaseEvent[]) {
  return {
    caseId: record.caseId,
    caseType: record.caseType,
    status: record.status,
    district: record.district,
    providerId: record.providerId,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    form: maskForm(record.form),
    history: events.map((event) => ({
      at: event.at,
      type: event.type,
      fromStatus: event.fromStatus,
      toStatus: event.toStatus,
      actor:
        event.actor.kind === 'person' ? { kind: 'person', roles: event.actor.roles } : event.actor,
    })),
  };
}
