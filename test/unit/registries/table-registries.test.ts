import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { HttpRegistries } from '../../../shared/registries/http-registries.ts';
import { registriesFromEnvironment } from '../../../shared/registries/index.ts';
import { RegistryUnavailableError } from '../../../shared/registries/registries.ts';
import { registryKeys } from '../../../shared/registries/registry-keys.ts';
import { TableRegistries } from '../../../shared/registries/table-registries.ts';
import { withIdCheckDigit, withUsccCheck } from '../validation/check-characters.ts';
import { fakeTable } from './fake-table.ts';

const guardianId = withIdCheckDigit('33050219920511028');
const childWithX = withIdCheckDigit('33052320250108012');
const uscc = withUsccCheck('91330502MA2B3C4D5');
const guardian = {
  idNumber: guardianId,
  name: '沈秀英',
  birthDate: '1992-05-11',
  hukouDistrict: 'wuxing' as const,
};

describe('registryKeys', () => {
  it.each([guardianId, childWithX])(
    'keys a resident without any trace of the ID number %#',
    (idNumber) => {
      // Prepare
      const digits = idNumber.slice(0, 17);

      // Act
      const key = registryKeys.resident(idNumber);

      // Assess
      expect(key.sk).toBe('RESIDENT');
      expect(key.pk).toMatch(/^REGISTRY#RESIDENT#[A-Za-z0-9_-]{27}$/);
      expect(key.pk).not.toContain(idNumber);
      // Not even the birth date or the area code in the clear.
      expect(key.pk).not.toContain(digits.slice(6, 14));
      expect(key.pk).not.toContain(digits.slice(0, 6));
    },
  );

  it('keys the same person the same way however the number was typed', () => {
    // Prepare
    const typed = [childWithX, ` ${childWithX.toLowerCase()} `];

    // Act
    const keys = typed.map((idNumber) => registryKeys.resident(idNumber).pk);

    // Assess
    expect(childWithX.endsWith('X')).toBe(true);
    expect(new Set(keys).size).toBe(1);
  });

  it('keys different people differently', () => {
    // Prepare
    const other = withIdCheckDigit('33050219920511036');

    // Act
    const keys = [guardianId, other].map((idNumber) => registryKeys.resident(idNumber).pk);

    // Assess
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('keys an enterprise by its code', () => {
    // Prepare
    const code = uscc.toLowerCase();

    // Act
    const key = registryKeys.enterprise(code);

    // Assess
    expect(key).toEqual({ pk: `REGISTRY#ENTERPRISE#${uscc}`, sk: 'ENTERPRISE' });
  });
});

describe('TableRegistries', () => {
  it('finds a stored resident and their hardship separately', async () => {
    // Prepare
    const table = fakeTable();
    const registries = new TableRegistries({ documents: table.documents, tableName: 't' });
    await registries.putResident({
      ...guardian,
      hardship: { category: 'dibao', validUntil: '2027-06-30' },
    });

    // Act
    const resident = await registries.findResident(guardianId.toLowerCase());
    const hardship = await registries.findHardship(guardianId);

    // Assess
    expect(resident).toEqual(guardian);
    expect(hardship).toEqual({ category: 'dibao', validUntil: '2027-06-30' });
    const [item] = [...table.items.values()];
    expect(item?.pk).toBe(registryKeys.resident(guardianId).pk);
  });

  it('answers undefined for unknown people, people without hardship, unknown enterprises', async () => {
    // Prepare
    const table = fakeTable();
    const registries = new TableRegistries({ documents: table.documents, tableName: 't' });
    await registries.putResident(guardian);

    // Act
    const unknown = await registries.findResident(childWithX);
    const noHardship = await registries.findHardship(guardianId);
    const noEnterprise = await registries.findEnterprise(uscc);

    // Assess
    expect(unknown).toBeUndefined();
    expect(noHardship).toBeUndefined();
    expect(noEnterprise).toBeUndefined();
  });

  it('stores and finds an enterprise', async () => {
    // Prepare
    const table = fakeTable();
    const registries = new TableRegistries({ documents: table.documents, tableName: 't' });
    const enterprise = { uscc, name: '湖州吴兴禾苗托育服务有限公司', status: 'revoked' as const };

    // Act
    await registries.putEnterprise(enterprise);
    const found = await registries.findEnterprise(uscc);

    // Assess
    expect(found).toEqual(enterprise);
    const get = table.commands.find((c) => c instanceof GetCommand) as GetCommand;
    expect(get.input.TableName).toBe('t');
  });

  it('reports a failing table as an unavailable registry', async () => {
    // Prepare
    const documents = {
      send: async () => {
        throw new Error('ProvisionedThroughputExceededException');
      },
    };
    const registries = new TableRegistries({ documents, tableName: 't' });

    // Act
    const error = await registries.findHardship(guardianId).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(RegistryUnavailableError);
    expect(error).toMatchObject({ registry: 'civil-affairs', reason: 'unreachable' });
  });

  it('reports an unreadable item as an invalid response', async () => {
    // Prepare
    const table = fakeTable();
    const key = registryKeys.resident(guardianId);
    table.items.set(`${key.pk}|${key.sk}`, { ...key, name: '沈秀英' });
    const registries = new TableRegistries({ documents: table.documents, tableName: 't' });

    // Act
    const error = await registries.findResident(guardianId).catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name: 'RegistryUnavailableError', reason: 'invalid-response' });
  });
});

describe('registriesFromEnvironment', () => {
  it('serves the data platform when REGISTRY_MODE is http', () => {
    // Prepare
    const env = {
      REGISTRY_MODE: 'http',
      REGISTRY_BASE_URL: 'https://data.example.test',
      REGISTRY_API_KEY: 'k',
      TABLE_NAME: 't',
    };

    // Act
    const registries = registriesFromEnvironment(env);

    // Assess
    expect(registries).toBeInstanceOf(HttpRegistries);
  });

  it('serves the table otherwise', () => {
    // Prepare
    const env = { TABLE_NAME: 'shanyu-local' };

    // Act
    const registries = registriesFromEnvironment(env);

    // Assess
    expect(registries).toBeInstanceOf(TableRegistries);
  });

  it('needs a table name for the table', () => {
    // Prepare
    const env = { REGISTRY_MODE: 'table' };

    // Act
    const build = () => registriesFromEnvironment(env);

    // Assess
    expect(build).toThrow(/TABLE_NAME/);
  });
});
