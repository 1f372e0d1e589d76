import type { ProviderRecord } from '../../../shared/providers/provider-record.ts';
import { withUsccCheck } from '../validation/check-characters.ts';

/** A provider as a registration approval writes it: every optional field filled. */
export const fullProvider: ProviderRecord = {
  providerId: 'P-WX-0042',
  name: '吴兴区小橡树托育园',
  district: 'wuxing',
  inclusive: true,
  status: 'registered',
  capacity: 55,
  registeredFrom: '2026-11-28',
  registeredUntil: '2029-11-27',
  uscc: withUsccCheck('91330502MA2B3C4D5'),
  address: '湖州市吴兴区爱山街道人民路 1 号',
  monthlyFeeYuan: 2200,
  capacityByClass: { infant: 10, toddler: 15, preschool: 20, mixed: 10 },
  staffSummary: {
    staffCount: 12,
    caregiverCount: 8,
    certifiedCaregiverCount: 6,
    certificationRate: 0.75,
  },
  registeredAt: '2026-11-28T02:00:00.000Z',
  registrationCaseId: 'PR-0123456789AB',
  version: 1,
};

/** A provider as the demo seeds write it: no version, none of the registration's fields. */
export const seededProvider: ProviderRecord = {
  providerId: 'P-AJ-0001',
  name: '安吉县竹乡托育中心',
  district: 'anji',
  inclusive: true,
  status: 'registered',
  capacity: 45,
  registeredFrom: '2024-01-01',
};
