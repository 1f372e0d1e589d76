/**
 * Key builders of the payment items. Access patterns (to be listed with the others in
 * infra/stacks/data-stack.ts):
 *
 * ```
 * 14. Payments of a case ......................... table pk=PAYMENT#<caseId>  sk=MONTH#<month>#<benefit>
 * 15. Payments of a month and district, by status  gsi3  gsi3pk=PAYMENTS#<month>#<district>
 *                                                         gsi3sk=<status>#<caseId>#<benefit>
 * 16. The disbursement batch of a month and district  table pk=PAYBATCH#<month>#<district>  sk=BATCH
 * ```
 *
 * gsi3 already holds `DISTRICT#…` and `INBOX#…` partitions; `PAYMENTS#` cannot be mistaken for
 * either, and the status leads the sort key so that pending payments are one `begins_with` away.
 */
export const paymentKeys = {
  payment: (caseId: string, month: string, benefit: string) => ({
    pk: `PAYMENT#${caseId}`,
    sk: `MONTH#${month}#${benefit}`,
  }),
  casePaymentsPartition: (caseId: string) => `PAYMENT#${caseId}`,
  monthlyPayments: (
    month: string,
    district: string,
    status: string,
    caseId: string,
    benefit: string,
  ) => ({
    gsi3pk: `PAYMENTS#${month}#${district}`,
    gsi3sk: `${status}#${caseId}#${benefit}`,
  }),
  monthlyPaymentsPartition: (month: string, district: string) => `PAYMENTS#${month}#${district}`,
  /** What every sort key of one status begins with. */
  statusPrefix: (status: string) => `${status}#`,
  batch: (month: string, district: string) => ({
    pk: `PAYBATCH#${month}#${district}`,
    sk: 'BATCH',
  }),
} as const;

/** Deterministic: the same child-month of the same case and benefit is always the same payment. */
export const paymentIdFor = (caseId: string, month: string, benefit: string) =>
  `${caseId}-${month}-${benefit}`;

/** One batch per month and district: its id says which. */
export const batchIdFor = (month: string, district: string) => `B-${month}-${district}`;
