import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  demoEnterprises,
  demoProviders,
  demoResidents,
  seedDemoData,
} from '../../../infra/local/demo-seed.ts';
import { registeredForMonth } from '../../../shared/providers/provider-record.ts';
import { ProviderStore } from '../../../shared/providers/provider-store.ts';
import { TableRegistries } from '../../../shared/registries/table-registries.ts';
import { isValidIdNumber, parseIdNumber } from '../../../shared/validation/id-number.ts';
import { isValidUscc } from '../../../shared/validation/uscc.ts';
import { fakeTable } from '../registries/fake-table.ts';
import { withIdCheckDigit } from '../validation/check-characters.ts';

const residents = Object.values(demoResidents);

describe('demo data', () => {
  it.each(residents.map((r) => [r.name, r] as const))(
    '%s has a valid ID number whose birth date matches the record',
    (_name, resident) => {
      // Prepare
      const independentlyChecked = withIdCheckDigit(resident.idNumber.slice(0, 17));

      // Act
      const info = parseIdNumber(resident.idNumber);

      // Assess
      expect(isValidIdNumber(resident.idNumber)).toBe(true);
      expect(resident.idNumber).toBe(independentlyChecked);
      expect(info.birthDate).toBe(resident.birthDate);
    },
  );

  it('has children under 3 in 吴兴 and 安吉, a child from outside Huzhou and a guardian on 低保', () => {
    // Prepare
    const children = residents.filter(
      (r) => r.birthDate >= '2024-01-01' && r.birthDate <= '2025-12-31',
    );

    // Act
    const hukou = new Set(children.map((r) => r.hukouDistrict));
    const onDibao = residents.filter((r) => 'hardship' in r && r.hardship.category === 'dibao');

    // Assess
    expect(hukou).toEqual(new Set(['wuxing', 'anji', 'other']));
    expect(onDibao.map((r) => 'hardship' in r && r.hardship.validUntil)).toEqual(['2027-06-30']);
    expect(demoResidents.bornWuxingHukouAnji.idNumber.slice(0, 6)).toBe('330502');
  });

  it('has the four providers of the spec, registered or not as described', () => {
    // Prepare
    const month = '2026-01';

    // Act
    const summary = Object.values(demoProviders).map((p) => [
      p.providerId,
      p.district,
      p.inclusive,
      registeredForMonth(p, month),
    ]);

    // Assess
    expect(summary).toEqual([
      ['P-WX-0001', 'wuxing', true, true],
      ['P-AJ-0001', 'anji', true, true],
      ['P-DQ-0001', 'deqing', false, true],
      ['P-CX-0001', 'changxing', true, false],
    ]);
    for (const enterprise of Object.values(demoEnterprises)) {
      expect(isValidUscc(enterprise.uscc)).toBe(true);
    }
  });
});

describe('seedDemoData', () => {
  it('writes every demo record, readable through the stores, and logs one line', async () => {
    // Prepare
    const table = fakeTable();
    const lines: string[] = [];

    // Act
    await seedDemoData(table.documents, 't', (line) => lines.push(line));

    // Assess
    const registries = new TableRegistries({ documents: table.documents, tableName: 't' });
    const providers = new ProviderStore({ documents: table.documents, tableName: 't' });
    expect(await registries.findHardship(demoResidents.dibaoGuardian.idNumber)).toEqual({
      category: 'dibao',
      validUntil: '2027-06-30',
    });
    expect(await registries.findResident(demoResidents.outsideChild.idNumber)).toMatchObject({
      hukouDistrict: 'other',
    });
    expect(await registries.findEnterprise(demoEnterprises.changxingOperator.uscc)).toMatchObject({
      status: 'revoked',
    });
    expect(await providers.get('P-CX-0001')).toMatchObject({ status: 'suspended' });
    expect(table.items.size).toBe(6 + 2 + 4);
    expect(lines).toEqual(['[seed] demo data: 6 residents, 4 providers']);
    for (const key of table.items.keys()) {
      for (const resident of residents) expect(key).not.toContain(resident.idNumber);
    }
  });

  it('is safe to run again, and keeps what was changed since', async () => {
    // Prepare
    const table = fakeTable();
    await seedDemoData(table.documents, 't', () => {});
    const providers = new ProviderStore({ documents: table.documents, tableName: 't' });
    await providers.put({ ...demoProviders.wuxing, capacity: 99 });

    // Act
    await seedDemoData(table.documents, 't', () => {});

    // Assess
    expect(table.items.size).toBe(12);
    expect((await providers.get('P-WX-0001'))?.capacity).toBe(99);
    const puts = table.commands.filter((c): c is PutCommand => c instanceof PutCommand);
    const conditional = puts.filter((p) => p.input.ConditionExpression !== undefined);
    expect(conditional).toHaveLength(24);
  });
});
