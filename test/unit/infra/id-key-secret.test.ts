import { isAbsolute, join, relative } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../infra/app.ts';
import { projectRoot, ShanyuFunction } from '../../../infra/constructs/shanyu-function.ts';

const idKeyModule = 'shared/privacy/id-key.ts';

interface Statement {
  Action: string | string[];
  Resource: unknown;
  Condition?: { StringEquals?: Record<string, unknown> };
}

/** The handler files whose bundle includes the ID key module, by esbuild's own analysis. */
async function entriesImportingIdKey(entries: string[]): Promise<Set<string>> {
  const result = await build({
    entryPoints: entries.map((entry) => join(projectRoot, entry)),
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    external: ['@aws-sdk/*'],
    outdir: join(projectRoot, '.shanyu', 'id-key-analysis'),
    logLevel: 'silent',
  });
  const importing = new Set<string>();
  for (const output of Object.values(result.metafile.outputs)) {
    if (output.entryPoint && Object.keys(output.inputs).some((input) => input === idKeyModule))
      importing.add(output.entryPoint);
  }
  return importing;
}

describe('the 身份证 HMAC key', () => {
  const app = buildApp({ context: { 'aws:cdk:bundling-stacks': [] } });
  const functions = app.node
    .findAll()
    .filter((construct): construct is ShanyuFunction => construct instanceof ShanyuFunction);
  const entryOf = (fn: ShanyuFunction) =>
    isAbsolute(fn.entry) ? relative(projectRoot, fn.entry) : fn.entry;
  let importing = new Set<string>();

  beforeAll(async () => {
    importing = await entriesImportingIdKey([...new Set(functions.map(entryOf))]);
  }, 60_000);

  const templates = new Map<Stack, Template>();
  /** What the synthesized template gives a function: its environment and its role's statements. */
  function deployed(fn: ShanyuFunction) {
    const stack = Stack.of(fn);
    const template = templates.get(stack) ?? Template.fromStack(stack);
    templates.set(stack, template);
    const functionId = stack.getLogicalId(fn.node.defaultChild as never);
    const roleId = stack.getLogicalId(fn.role?.node.defaultChild as CfnRole);
    const variables: Record<string, unknown> =
      template.toJSON().Resources[functionId].Properties.Environment?.Variables ?? {};
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) =>
        JSON.stringify(policy.Properties.Roles).includes(JSON.stringify({ Ref: roleId })),
      )
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
    return { variables, statements };
  }

  it('is granted to exactly the functions whose bundle keys ID numbers', () => {
    // Act
    const mismatched = functions
      .filter((fn) => fn.readsIdKey !== importing.has(entryOf(fn)))
      .map((fn) => `${fn.node.path} (${entryOf(fn)}): readsIdKey=${fn.readsIdKey}`);

    // Assess
    expect(functions.length).toBeGreaterThan(30);
    expect(importing.size).toBeGreaterThan(5);
    expect(mismatched).toEqual([]);
  });

  it('reaches a function as the secret ARN, never as its value', () => {
    for (const fn of functions) {
      // Act
      const { variables, statements } = deployed(fn);
      const secretActions = statements.flatMap((statement) =>
        [statement.Action].flat().filter((action) => action.startsWith('secretsmanager:')),
      );

      // Assess
      expect(variables, fn.node.path).not.toHaveProperty('ID_KEY_SECRET');
      expect(JSON.stringify(variables), fn.node.path).not.toContain('resolve:secretsmanager');
      if (fn.readsIdKey) {
        expect(variables, fn.node.path).toHaveProperty('ID_KEY_SECRET_ARN');
        expect(secretActions, fn.node.path).toContain('secretsmanager:GetSecretValue');
      } else {
        expect(variables, fn.node.path).not.toHaveProperty('ID_KEY_SECRET_ARN');
        expect(secretActions, fn.node.path).toEqual([]);
      }
    }
  });

  it('is decrypted for a reader only through Secrets Manager', () => {
    // Prepare
    const reader = functions.find((fn) => fn.readsIdKey);
    if (!reader) throw new Error('no function reads the ID key');

    // Act
    const kmsThroughSecretsManager = deployed(reader).statements.filter(
      (statement) =>
        [statement.Action].flat().includes('kms:Decrypt') &&
        JSON.stringify(statement.Condition ?? {}).includes('secretsmanager.'),
    );

    // Assess
    expect(kmsThroughSecretsManager).toHaveLength(1);
  });
});
