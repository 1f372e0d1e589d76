import { describe, expect, it } from 'vitest';
import {
  publicProviderView,
  publicProviderViewSchema,
} from '../../../shared/providers/provider-view.ts';
import { fullProvider, seededProvider } from './fixtures.ts';

describe('publicProviderView', () => {
  it('shows exactly the public fields, with the district named in Chinese', () => {
    // Prepare
    const record = {
      ...fullProvider,
      status: 'suspended' as const,
      statusReason: '消防检查未通过',
    };

    // Act
    const view = publicProviderView(record);

    // Assess
    expect(view).toEqual({
      providerId: 'P-WX-0042',
      name: '吴兴区小橡树托育园',
      uscc: fullProvider.uscc,
      district: 'wuxing',
      districtName: '吴兴区',
      address: '湖州市吴兴区爱山街道人民路 1 号',
      inclusive: true,
      status: 'suspended',
      capacity: 55,
      capacityByClass: { infant: 10, toddler: 15, preschool: 20, mixed: 10 },
      monthlyFeeYuan: 2200,
      registeredFrom: '2026-11-28',
      registeredUntil: '2029-11-27',
    });
    expect(publicProviderViewSchema.safeParse(view).success).toBe(true);
  });

  it('never shows staff figures, the case, the reason or the version', () => {
    // Prepare
    const record = { ...fullProvider, status: 'revoked' as const, statusReason: '机构已注销' };

    // Act
    const text = JSON.stringify(publicProviderView(record));

    // Assess
    for (const hidden of [
      'staffSummary',
      'registrationCaseId',
      'statusReason',
      'version',
      'registeredAt',
    ]) {
      expect(text).not.toContain(hidden);
    }
    expect(text).not.toContain('机构已注销');
  });

  it('leaves out what an old seed does not have', () => {
    // Act
    const view = publicProviderView(seededProvider);

    // Assess
    expect(Object.keys(view).sort()).toEqual(
      [
        'capacity',
        'district',
        'districtName',
        'inclusive',
        'name',
        'providerId',
        'registeredFrom',
        'status',
      ].sort(),
    );
    expect(view.districtName).toBe('安吉县');
  });
});
