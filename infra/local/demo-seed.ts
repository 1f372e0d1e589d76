import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ProviderRecord } from '../../shared/providers/provider-record.ts';
import { ProviderStore } from '../../shared/providers/provider-store.ts';
import type { Enterprise, ResidentWithHardship } from '../../shared/registries/registry-records.ts';
import { enterpriseItem, residentItem } from '../../shared/registries/table-registries.ts';
import { idNumberCheckDigit } from '../../shared/validation/id-number.ts';
import { usccCheckCharacter } from '../../shared/validation/uscc.ts';

/** A valid ID number: area code, birth date (YYYYMMDD), 3-digit sequence, computed check digit. */
function idNumber(areaCode: string, birth: string, sequence: string): string {
  const first17 = `${areaCode}${birth}${sequence}`;
  return first17 + idNumberCheckDigit(first17);
}

function uscc(first17: string): string {
  return first17 + usccCheckCharacter(first17);
}

/**
 * The demo people, by what each is for. Their numbers are made up but valid (check digits
 * computed), so every form accepts them. Remember that the first six digits are where a birth was
 * registered, not the 户籍: `bornWuxingHukouAnji` is there to show the difference.
 */
export const demoResidents = {
  /** Under 3, born and 户籍 in 吴兴区; the child of `dibaoGuardian`. */
  wuxingChild: {
    idNumber: idNumber('330502', '20240315', '012'),
    name: '沈小禾',
    birthDate: '2024-03-15',
    hukouDistrict: 'wuxing',
  },
  /** Under 3, born and 户籍 in 安吉县; the child of `anjiGuardian`. */
  anjiChild: {
    idNumber: idNumber('330523', '20250108', '021'),
    name: '吴安安',
    birthDate: '2025-01-08',
    hukouDistrict: 'anji',
  },
  /** Under 3, born in 吴兴区 but with 户籍 in 安吉县: the ID number's area code is not the 户籍. */
  bornWuxingHukouAnji: {
    idNumber: idNumber('330502', '20250322', '046'),
    name: '钱子墨',
    birthDate: '2025-03-22',
    hukouDistrict: 'anji',
  },
  /** Under 3, born in Hangzhou, 户籍 outside Huzhou: not eligible for Huzhou's subsidies. */
  outsideChild: {
    idNumber: idNumber('330106', '20240620', '031'),
    name: '林知远',
    birthDate: '2024-06-20',
    hukouDistrict: 'other',
  },
  /** A guardian on 低保 (valid until 2027-06-30), 户籍 in 吴兴区. */
  dibaoGuardian: {
    idNumber: idNumber('330502', '19920511', '028'),
    name: '沈秀英',
    birthDate: '1992-05-11',
    hukouDistrict: 'wuxing',
    hardship: { category: 'dibao', validUntil: '2027-06-30' },
  },
  /** A guardian with no hardship status, 户籍 in 安吉县. */
  anjiGuardian: {
    idNumber: idNumber('330523', '19900203', '015'),
    name: '吴建国',
    birthDate: '1990-02-03',
    hukouDistrict: 'anji',
  },
} as const satisfies Record<string, ResidentWithHardship>;

export const demoEnterprises = {
  /** Operates P-WX-0001. */
  wuxingOperator: {
    uscc: uscc('91330502MA2B3C4D5'),
    name: '湖州吴兴禾苗托育服务有限公司',
    status: 'active',
  },
  /** Operated P-CX-0001 until its licence was revoked. */
  changxingOperator: {
    uscc: uscc('91330522MA2E6F7G8'),
    name: '长兴县童乐托育有限公司',
    status: 'revoked',
  },
} as const satisfies Record<string, Enterprise>;

export const demoProviders = {
  wuxing: {
    providerId: 'P-WX-0001',
    name: '吴兴区禾苗托育园',
    district: 'wuxing',
    inclusive: true,
    status: 'registered',
    capacity: 60,
    registeredFrom: '2024-01-01',
    uscc: demoEnterprises.wuxingOperator.uscc,
  },
  anji: {
    providerId: 'P-AJ-0001',
    name: '安吉县竹乡托育中心',
    district: 'anji',
    inclusive: true,
    status: 'registered',
    capacity: 45,
    registeredFrom: '2024-01-01',
  },
  /** Registered, but not 普惠: subsidies cannot be spent here. */
  deqing: {
    providerId: 'P-DQ-0001',
    name: '德清县启明双语托育',
    district: 'deqing',
    inclusive: false,
    status: 'registered',
    capacity: 30,
    registeredFrom: '2024-01-01',
  },
  /** Suspended: its operator's licence was revoked. */
  changxing: {
    providerId: 'P-CX-0001',
    name: '长兴县童乐托育园',
    district: 'changxing',
    inclusive: true,
    status: 'suspended',
    capacity: 40,
    registeredFrom: '2024-01-01',
    uscc: demoEnterprises.changxingOperator.uscc,
  },
} as const satisfies Record<string, ProviderRecord>;

/** Writes the item unless its key exists; whatever a developer changed since is kept. */
async function putIfAbsent(
  documents: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  item: Record<string, unknown>,
): Promise<void> {
  try {
    await documents.send(
      new PutCommand({
        TableName: tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/**
 * Puts the demo residents, enterprises and providers into the table, each only if it is not
 * there yet: safe on every start, and a demo record changed through the API stays changed.
 */
export async function seedDemoData(
  documents: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  log: (line: string) => void,
): Promise<void> {
  const providers = new ProviderStore({ documents, tableName });
  const residents: readonly ResidentWithHardship[] = Object.values(demoResidents);
  const enterprises: readonly Enterprise[] = Object.values(demoEnterprises);
  const providerRecords: readonly ProviderRecord[] = Object.values(demoProviders);
  await Promise.all([
    ...residents.map((resident) => putIfAbsent(documents, tableName, residentItem(resident))),
    ...enterprises.map((enterprise) =>
      putIfAbsent(documents, tableName, enterpriseItem(enterprise)),
    ),
    ...providerRecords.map((record) => providers.create(record)),
  ]);
  log(`[seed] demo data: ${residents.length} residents, ${providerRecords.length} providers`);
}
