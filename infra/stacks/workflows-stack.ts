import { createHash } from 'node:crypto';
import { Duration, ReferenceStrength, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import {
  type CfnStateMachine,
  CfnStateMachineAlias,
  CfnStateMachineVersion,
  DefinitionBody,
  type IChainable,
  LogLevel,
  QueryLanguage,
  StateMachine,
  StateMachineType,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { providerRegistrationDefinition } from '../../workflows/provider-registration.ts';
import { subsidyClaimDefinition } from '../../workflows/subsidy-claim.ts';
import { tuitionWaiverDefinition } from '../../workflows/tuition-waiver.ts';
import type { ShanyuConfig } from '../config.ts';
import { type DocumentsStore, grantDocumentsAccess } from '../constructs/documents-access.ts';
import { ShanyuFunction } from '../constructs/shanyu-function.ts';
import { acknowledge, nagAttribute } from '../nag/nag-checks.ts';
import { logsKeyOfTable } from './data-stack.ts';

/** The alias every workflow is started through; it always points at the newest version. */
export const liveAliasName = 'live';

/**
 * A workflow as the rest of the app uses it. Starting through `alias` runs the newest published
 * `version`; an execution keeps the version it started on however often the definition changes.
 */
export interface VersionedWorkflow {
  readonly stateMachine: StateMachine;
  /** `<prefix><id>`: a plain string, unlike `stateMachine.stateMachineName`. */
  readonly stateMachineName: string;
  readonly version: CfnStateMachineVersion;
  readonly alias: CfnStateMachineAlias;
}

/**
 * Publishes the machine's current definition as a version and points the `live` alias at it.
 *
 * Every property of a version forces its replacement, so a description naming the definition's
 * digest publishes a new version exactly when the definition changes; the revision id makes
 * CloudFormation publish that very revision (and re-publish on configuration-only changes).
 * Replaced versions are retained: cases record the version they run on, and a version is only
 * removed with its state machine (DeleteStateMachine deletes its versions and aliases).
 */
function publishLive(
  scope: Construct,
  stateMachine: StateMachine,
  stateMachineName: string,
): VersionedWorkflow {
  const machine = stateMachine.node.defaultChild as CfnStateMachine;
  const definition = JSON.stringify(Stack.of(scope).resolve(machine.definitionString));
  const digest = createHash('sha256').update(definition).digest('hex');
  const id = stateMachine.node.id;
  const version = new CfnStateMachineVersion(scope, `${id}Version`, {
    stateMachineArn: stateMachine.stateMachineArn,
    stateMachineRevisionId: machine.attrStateMachineRevisionId,
    description: `definition sha256:${digest}`,
  });
  version.applyRemovalPolicy(RemovalPolicy.RETAIN);
  // The ARN changes with every definition, and CloudFormation refuses to change an export that
  // another stack imports: consumers read it from a plain output instead (Fn::GetStackOutput).
  version.applyCrossStackReferenceStrength(ReferenceStrength.WEAK);
  const alias = new CfnStateMachineAlias(scope, `${id}LiveAlias`, {
    name: liveAliasName,
    description: 'The version new executions start on',
    routingConfiguration: [{ stateMachineVersionArn: version.attrArn, weight: 100 }],
  });
  return { stateMachine, stateMachineName, version, alias };
}

export interface WorkflowsStackProps extends StackProps {
  readonly config: ShanyuConfig;
  readonly table: ITable;
  /** The files a registration filing cites; the standards check confirms they were uploaded. */
  readonly documents: DocumentsStore;
}

/** Step Functions state machines and the Lambda functions their tasks invoke. */
export class WorkflowsStack extends Stack {
  public readonly createTask: ShanyuFunction;
  public readonly recordOutcome: ShanyuFunction;
  public readonly checkSubsidyEligibility: ShanyuFunction;
  public readonly approveSubsidyClaim: ShanyuFunction;
  public readonly checkRegistrationStandards: ShanyuFunction;
  public readonly applyRegistrationAmendment: ShanyuFunction;
  public readonly issueRegistrationReceipt: ShanyuFunction;
  public readonly registerProvider: ShanyuFunction;
  /** 入托补助: started by `POST /v1/subsidy-claims` with `{"caseId": "..."}`. */
  public readonly subsidyClaim: VersionedWorkflow;
  /** 托育机构备案: started by `POST /v1/provider-registrations` (and its change filings). */
  public readonly providerRegistration: VersionedWorkflow;
  public readonly checkWaiverEligibility: ShanyuFunction;
  public readonly approveWaiver: ShanyuFunction;
  /** 困难家庭学费减免 + 爱心牛奶: started by `POST /v1/tuition-waivers`. */
  public readonly tuitionWaiver: VersionedWorkflow;
  /** Every function of this stack, for alarms. */
  public readonly functions: readonly ShanyuFunction[];
  public readonly stateMachines: readonly StateMachine[];

  public constructor(scope: Construct, id: string, props: WorkflowsStackProps) {
    super(scope, id, props);
    const { config, table } = props;

    this.createTask = new ShanyuFunction(this, 'CreateTask', {
      entry: 'functions/workflow/create-task.ts',
      table,
      config,
    });
    this.recordOutcome = new ShanyuFunction(this, 'RecordOutcome', {
      entry: 'functions/workflow/record-outcome.ts',
      table,
      config,
      readsIdKey: true,
    });

    this.checkSubsidyEligibility = new ShanyuFunction(this, 'CheckSubsidyEligibility', {
      entry: 'functions/workflow/check-subsidy-eligibility.ts',
      table,
      config,
      readsIdKey: true,
      // Registries answer within seconds or are retried by the state machine.
      timeout: Duration.seconds(30),
    });
    this.approveSubsidyClaim = new ShanyuFunction(this, 'ApproveSubsidyClaim', {
      entry: 'functions/workflow/approve-subsidy-claim.ts',
      table,
      config,
      readsIdKey: true,
    });

    this.checkRegistrationStandards = new ShanyuFunction(this, 'CheckRegistrationStandards', {
      entry: 'functions/workflow/check-registration-standards.ts',
      table,
      config,
      readsIdKey: true,
      // The enterprise registry answers within seconds or is retried by the state machine.
      timeout: Duration.seconds(30),
    });
    grantDocumentsAccess(this.checkRegistrationStandards, props.documents, 'read');
    this.applyRegistrationAmendment = new ShanyuFunction(this, 'ApplyRegistrationAmendment', {
      entry: 'functions/workflow/apply-registration-amendment.ts',
      table,
      config,
    });
    this.issueRegistrationReceipt = new ShanyuFunction(this, 'IssueRegistrationReceipt', {
      entry: 'functions/workflow/issue-registration-receipt.ts',
      table,
      config,
    });
    this.registerProvider = new ShanyuFunction(this, 'RegisterProvider', {
      entry: 'functions/workflow/register-provider.ts',
      table,
      config,
      environment: { REGISTRATION_VALIDITY_YEARS: String(config.registrationValidityYears) },
    });

    this.checkWaiverEligibility = new ShanyuFunction(this, 'CheckWaiverEligibility', {
      entry: 'functions/workflow/check-waiver-eligibility.ts',
      table,
      config,
      readsIdKey: true,
      // Two registries answer within seconds or are retried by the state machine.
      timeout: Duration.seconds(30),
    });
    this.approveWaiver = new ShanyuFunction(this, 'ApproveWaiver', {
      entry: 'functions/workflow/approve-waiver.ts',
      table,
      config,
      readsIdKey: true,
    });

    /** A Standard state machine with its log group, published behind the `live` alias. */
    const workflow = (
      id: string,
      tasks: readonly ShanyuFunction[],
      definition: (scope: Construct) => IChainable,
    ) => {
      const name = `${config.prefix}${id}`;
      const stateMachine = new StateMachine(this, id, {
        stateMachineName: name,
        stateMachineType: StateMachineType.STANDARD,
        queryLanguage: QueryLanguage.JSON_PATH,
        // States are named by their construct id only: a scope per workflow keeps ids apart.
        definitionBody: DefinitionBody.fromChainable(
          definition(new Construct(this, `${id}States`)),
        ),
        tracingEnabled: true,
        logs: {
          destination: new LogGroup(this, `${id}LogGroup`, {
            // The vended-logs prefix keeps CloudWatch Logs' resource policy from outgrowing its limit.
            logGroupName: `/aws/vendedlogs/states/${name}`,
            retention: config.logRetention,
            encryptionKey: logsKeyOfTable.get(table),
            removalPolicy: config.removalPolicy,
          }),
          level: LogLevel.ALL,
          // Inputs and outputs could carry decisions; the case's audit trail is their record.
          includeExecutionData: false,
        },
        removalPolicy: config.removalPolicy,
      });
      acknowledge(
        stateMachine.role,
        'AwsSolutions-IAM5',
        'Log delivery (logs:CreateLogDelivery, …) and X-Ray (xray:PutTraceSegments, …) accept ' +
          'only `*` as their resource; everything else on this role names a resource.',
        'Resource::*',
      );
      for (const task of tasks) {
        acknowledge(
          stateMachine.role,
          'AwsSolutions-IAM5',
          `Invokes ${task.node.id} only; the \`:*\` suffix covers that function's versions and ` +
            'aliases, which Lambda authorises against the qualified ARN.',
          `Resource::${nagAttribute(task)}:*`,
        );
      }
      return publishLive(this, stateMachine, name);
    };

    const subsidyClaimTasks = {
      createTask: this.createTask,
      recordOutcome: this.recordOutcome,
      checkEligibility: this.checkSubsidyEligibility,
      approveClaim: this.approveSubsidyClaim,
    };
    this.subsidyClaim = workflow('SubsidyClaim', Object.values(subsidyClaimTasks), (scope) =>
      subsidyClaimDefinition(scope, subsidyClaimTasks),
    );
    const providerRegistrationTasks = {
      createTask: this.createTask,
      recordOutcome: this.recordOutcome,
      checkStandards: this.checkRegistrationStandards,
      applyAmendment: this.applyRegistrationAmendment,
      issueReceipt: this.issueRegistrationReceipt,
      registerProvider: this.registerProvider,
    };
    this.providerRegistration = workflow(
      'ProviderRegistration',
      Object.values(providerRegistrationTasks),
      (scope) => providerRegistrationDefinition(scope, providerRegistrationTasks),
    );

    const tuitionWaiverTasks = {
      createTask: this.createTask,
      recordOutcome: this.recordOutcome,
      checkWaiver: this.checkWaiverEligibility,
      approveWaiver: this.approveWaiver,
    };
    this.tuitionWaiver = workflow('TuitionWaiver', Object.values(tuitionWaiverTasks), (scope) =>
      tuitionWaiverDefinition(scope, tuitionWaiverTasks),
    );

    this.functions = [
      this.createTask,
      this.recordOutcome,
      this.checkSubsidyEligibility,
      this.approveSubsidyClaim,
      this.checkRegistrationStandards,
      this.applyRegistrationAmendment,
      this.issueRegistrationReceipt,
      this.registerProvider,
      this.checkWaiverEligibility,
      this.approveWaiver,
    ];
    this.stateMachines = [
      this.subsidyClaim.stateMachine,
      this.providerRegistration.stateMachine,
      this.tuitionWaiver.stateMachine,
    ];
  }
}
