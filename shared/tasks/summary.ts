import type { CaseRecord } from '../cases/case-record.ts';

/** 沈小禾 → 沈*禾, 沈明 → 沈*: enough to recognise a child in a list, not to identify one. */
export function maskPersonName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`;
}

/** The one line an inbox shows for a case's task; never an ID number or a phone number. */
export function caseSummary(record: CaseRecord): string {
  const form = record.form as {
    child?: { name?: unknown };
    months?: unknown;
    organisation?: { name?: unknown };
    filing?: { kind?: unknown };
    term?: { from?: unknown; to?: unknown };
  };
  const parts: string[] = [];
  // A provider's filing: the organisation's name is public, and whether it is a change.
  if (typeof form.organisation?.name === 'string') {
    parts.push(form.organisation.name);
    if (form.filing?.kind === 'change') parts.push('变更');
  }
  if (typeof form.child?.name === 'string') parts.push(maskPersonName(form.child.name));
  if (Array.isArray(form.months) && form.months.length > 0) {
    const months = form.months.map(String);
    parts.push(months.length > 1 ? `${months[0]}–${months.at(-1)}` : String(months[0]));
  }
  if (typeof form.term?.from === 'string' && typeof form.term.to === 'string') {
    parts.push(`${form.term.from}–${form.term.to}`);
  }
  return parts.join(' · ') || record.caseType;
}
