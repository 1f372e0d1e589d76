import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs } from '../../../functions/scheduled/jobs.ts';
import { buildApp } from '../../../infra/app.ts';
import { type LocalCloudModel, loadCloudModel } from '../../../infra/local/cloud-assembly.ts';
import type { SchedulingStack } from '../../../infra/stacks/scheduling-stack.ts';
import type { WorkflowsStack } from '../../../infra/stacks/workflows-stack.ts';

const noBundling = { 'aws:cdk:bundling-stacks': [] };
const stackName = 'Shanyu-Dev-Scheduling';
const sesIdentityArn = 'arn:aws:ses:cn-northwest-1:123456789012:identity/shanyu.example.org';

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, unknown>;
}

function schedulingOf(app: App): { stack: SchedulingStack; template: Template } {
  const stack = app.node.findChild(stackName) as SchedulingStack;
  return { stack, template: Template.fromStack(stack) };
}

function functionLogicalId(stack: SchedulingStack, jobId: string): string {
  const fn = stack.jobFunctions[jobId];
  if (!fn) throw new Error(`No function for job ${jobId}`);
  return stack.getLogicalId(fn.node.defaultChild as CfnElement);
}

/** The statements of every policy attached to the job function's role. */
function roleStatements(template: Template, stack: SchedulingStack, jobId: string): Statement[] {
  const fn = stack.jobFunctions[jobId];
  const role = fn?.role?.node.defaultChild;
  if (!fn || !role) throw new Error(`No role for job ${jobId}`);
  const roleId = stack.getLogicalId(role as CfnElement);
  return Object.values(
    template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
  ).flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

const actionsOf = (statement: Statement) =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

describe('SchedulingStack', () => {
  let stack: SchedulingStack;
  let template: Template;
  let workflows: WorkflowsStack;

  beforeAll(() => {
    const app = buildApp({ context: noBundling });
    ({ stack, template } = schedulingOf(app));
    workflows = app.node.findChild('Shanyu-Dev-Workflows') as WorkflowsStack;
  }, 180_000);

  it('sweeps deadlines every 15 minutes, with five minutes to work through a backlog', () => {
    // Prepare
    const fnId = functionLogicalId(stack, 'DeadlineSweeper');
    const scheduleId = stack.getLogicalId(
      stack.schedules.DeadlineSweeper?.node.defaultChild as CfnElement,
    );

    // Act
    const schedule = template.findResources('AWS::Scheduler::Schedule')[scheduleId]?.Properties;
    const fn = template.findResources('AWS::Lambda::Function')[fnId]?.Properties;

    // Assess
    expect(schedule).toMatchObject({
      Name: 'Shanyu-Dev-DeadlineSweeper',
      ScheduleExpression: 'rate(15 minutes)',
      Target: expect.objectContaining({ Input: JSON.stringify({ job: 'DeadlineSweeper' }) }),
    });
    expect(fn.Timeout).toBe(300);
  });

  it("lets DeadlineSweeper fail the waiting step of every workflow's tasks", () => {
    // Prepare
    const machineIds = workflows.stateMachines.map((machine) =>
      workflows.getLogicalId(machine.node.defaultChild as CfnElement),
    );

    // Act
    const failing = roleStatements(template, stack, 'DeadlineSweeper').filter((statement) =>
      actionsOf(statement).includes('states:SendTaskFailure'),
    );
    const resources = failing.flatMap((statement) =>
      Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource],
    );

    // Assess
    expect(machineIds.length).toBeGreaterThan(0);
    expect(failing.every((statement) => statement.Effect === 'Allow')).toBe(true);
    expect(resources).toHaveLength(machineIds.length);
    for (const machineId of machineIds) {
      expect(
        resources.filter((resource) => JSON.stringify(resource).includes(machineId)),
      ).toHaveLength(1);
    }
  });

  it('deploys one schedule per job, with its expression, in Asia/Shanghai, on time', () => {
    // Prepare
    const expected = jobs.map((job) => ({
      Name: `Shanyu-Dev-${job.id}`,
      ScheduleExpression: job.schedule,
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: { 'Fn::GetAtt': [functionLogicalId(stack, job.id), 'Arn'] },
        Input: JSON.stringify({ job: job.id }),
      },
    }));

    // Act
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')).map(
      (resource) => resource.Properties,
    );

    // Assess
    expect(jobs.length).toBeGreaterThan(0);
    expect(schedules).toHaveLength(jobs.length);
    expect(schedules).toEqual(
      expected.map(({ Target, ...rest }) =>
        expect.objectContaining({ ...rest, Target: expect.objectContaining(Target) }),
      ),
    );
  });

  it('retries a failed invocation twice within five minutes, then dead-letters it', () => {
    // Prepare
    const [queueId] = Object.keys(template.findResources('AWS::SQS::Queue'));

    // Act
    const targets = Object.values(template.findResources('AWS::Scheduler::Schedule')).map(
      (resource) => resource.Properties.Target,
    );

    // Assess
    expect(targets).toHaveLength(jobs.length);
    for (const target of targets) {
      expect(target.RetryPolicy).toEqual({
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 300,
      });
      expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } });
    }
    template.resourceCountIs('AWS::SQS::Queue', 1);
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 60 * 60,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('gives every job function a minute to run, or the time its catalogue entry asks for', () => {
    // Prepare
    const ids = jobs.map((job) => functionLogicalId(stack, job.id));

    // Act
    const timeouts = ids.map(
      (id) => template.findResources('AWS::Lambda::Function')[id]?.Properties.Timeout,
    );

    // Assess
    expect(timeouts).toEqual(jobs.map((job) => job.timeoutSeconds ?? 60));
    expect(timeouts).toContain(900);
    expect(stack.functions).toHaveLength(jobs.length);
  });

  it.each(jobs.map((job) => [job.id, job.answersTasks === true, job.failsTasks === true] as const))(
    'lets %s answer workflow tasks only if it answersTasks (%s), fail them only if it also or only failsTasks (%s)',
    (jobId, answersTasks, failsTasks) => {
      // Prepare
      const statements = roleStatements(template, stack, jobId);

      // Act
      const actions = statements.flatMap(actionsOf);

      // Assess
      for (const action of ['states:SendTaskSuccess', 'states:SendTaskHeartbeat']) {
        expect(actions.includes(action)).toBe(answersTasks);
      }
      expect(actions.includes('states:SendTaskFailure')).toBe(answersTasks || failsTasks);
      expect(actions.includes('states:GetExecutionHistory')).toBe(answersTasks);
    },
  );

  it.each(jobs.map((job) => [job.id, job.sendsNotifications === true] as const))(
    'lets %s publish to the notification topic only if it sendsNotifications (%s)',
    (jobId, sendsNotifications) => {
      // Prepare
      const topicId = stack.getLogicalId(stack.notificationTopic.node.defaultChild as CfnElement);
      const fnId = functionLogicalId(stack, jobId);

      // Act
      const publishes = roleStatements(template, stack, jobId).filter((statement) =>
        actionsOf(statement).includes('sns:Publish'),
      );
      const variables =
        template.findResources('AWS::Lambda::Function')[fnId]?.Properties.Environment.Variables;

      // Assess
      expect(
        publishes.some(
          (statement) => JSON.stringify(statement.Resource) === JSON.stringify({ Ref: topicId }),
        ),
      ).toBe(sendsNotifications);
      expect(publishes.length > 0).toBe(sendsNotifications);
      expect(variables.NOTIFICATION_TOPIC_ARN).toEqual(
        sendsNotifications ? { Ref: topicId } : undefined,
      );
    },
  );

  it('publishes SMS to phone numbers only in its own region, and sends no e-mail unless configured', () => {
    // Prepare
    const notifying = jobs.filter((job) => job.sendsNotifications);

    // Act
    const statements = notifying.flatMap((job) => roleStatements(template, stack, job.id));

    // Assess
    expect(notifying.length).toBeGreaterThan(0);
    const sms = statements.filter(
      (statement) => statement.Resource === '*' && actionsOf(statement).includes('sns:Publish'),
    );
    expect(sms).toHaveLength(notifying.length);
    for (const statement of sms) {
      expect(statement.Condition).toEqual({
        StringEquals: { 'aws:RequestedRegion': { Ref: 'AWS::Region' } },
      });
    }
    expect(statements.flatMap(actionsOf).filter((action) => action.startsWith('ses:'))).toEqual([]);
  });

  it('lets notifying jobs send e-mail from the configured SES identity, and no other job', () => {
    // Prepare
    const app = buildApp({ context: { ...noBundling, sesIdentityArn } });
    const configured = schedulingOf(app);

    // Act
    const byJob = jobs.map((job) => ({
      job,
      ses: roleStatements(configured.template, configured.stack, job.id).filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('ses:')),
      ),
      identityVariable:
        configured.template.findResources('AWS::Lambda::Function')[
          functionLogicalId(configured.stack, job.id)
        ]?.Properties.Environment.Variables.SES_IDENTITY_ARN,
    }));

    // Assess
    for (const { job, ses, identityVariable } of byJob) {
      expect(identityVariable).toBe(job.sendsNotifications ? sesIdentityArn : undefined);
      expect(ses).toEqual(
        job.sendsNotifications
          ? [
              expect.objectContaining({
                Action: ['ses:SendEmail', 'ses:SendRawEmail'],
                Resource: sesIdentityArn,
              }),
            ]
          : [],
      );
    }
  });

  it('encrypts the notification topic with KMS and refuses publishing without TLS', () => {
    // Prepare
    const [topicId] = Object.keys(template.findResources('AWS::SNS::Topic'));

    // Act
    const topic = template.findResources('AWS::SNS::Topic')[topicId ?? '']?.Properties;

    // Assess
    expect(JSON.stringify(topic.KmsMasterKeyId)).toContain('alias/aws/sns');
    expect(topic.TopicName).toBe('Shanyu-Dev-QueueNotifications');
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('grants no Scan', () => {
    // Prepare
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));

    // Act
    const actions = policies.flatMap((policy) =>
      (policy.Properties.PolicyDocument.Statement as Statement[]).flatMap(actionsOf),
    );

    // Assess
    expect(actions).toContain('dynamodb:Query');
    expect(actions.filter((action) => /scan|dynamodb:\*/i.test(action))).toEqual([]);
  });
});

describe('SchedulingStack in the local cloud', () => {
  let outdir: string;
  let model: LocalCloudModel;
  let stack: SchedulingStack;

  beforeAll(async () => {
    outdir = await mkdtemp(join(tmpdir(), 'shanyu-scheduling-'));
    const app = buildApp({ outdir, context: noBundling });
    app.synth();
    stack = app.node.findChild(stackName) as SchedulingStack;
    model = await loadCloudModel(outdir);
  }, 180_000);

  afterAll(async () => {
    await rm(outdir, { recursive: true, force: true });
  });

  it('reads every schedule with its function, expression, time zone and input', () => {
    // Prepare
    const expected = jobs.map((job) => ({
      logicalId: Stack.of(stack).getLogicalId(
        stack.schedules[job.id]?.node.defaultChild as CfnElement,
      ),
      expression: job.schedule,
      timezone: 'Asia/Shanghai',
      enabled: true,
      functionName: functionLogicalId(stack, job.id),
      input: { job: job.id },
    }));

    // Act
    const schedules = model.schedules;

    // Assess
    expect(schedules).toEqual(expect.arrayContaining(expected));
    expect(schedules).toHaveLength(jobs.length);
  });
});
