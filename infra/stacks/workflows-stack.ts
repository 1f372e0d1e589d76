import { createHash } from 'node:crypto';
import { Duration, ReferenceStrength, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import {
  type CfnStateMachine,
  CfnStateMachineAlias,
  CfnStateMachineVersion,
  DefinitionBody,
  LogLevel,
  QueryLanguage,
  StateMachine,
  StateMachineType,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { subsidyClaimDefinition } from '../../workflows/subsidy-claim.ts';
import type { ShanyuConfig } from '../config.ts';
import { ShanyuFunction } from '../constructs/shanyu-function.ts';

/** The alias every workflow is started through; it always points at the newest version. */
export const liveAliasName = 'live';

/**
 * A workflow as the rest of the app uses it. Starting through `alias` runs the newest published
 * `version`; an execution keeps the version it started on however often the definition changes.
 */
export interface VersionedWorkflow {
  readonly stateMachine: StateMachine;
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
function publishLive(scope: Construct, stateMachine: StateMachine): VersionedWorkflow {
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
  return { stateMachine, version, alias };
}

export interface WorkflowsStackProps extends StackProps {
  readonly config: ShanyuConfig;
  readonly table: ITable;
}

/** Step Functions state machines and the Lambda functions their tasks invoke. */
export class WorkflowsStack extends Stack {
  public readonly createTask: ShanyuFunction;
  public readonly recordOutcome: ShanyuFunction;
  public readonly checkSubsidyEligibility: ShanyuFunction;
  public readonly approveSubsidyClaim: ShanyuFunction;
  /** 入托补助: started by `POST /v1/subsidy-claims` with `{"caseId": "..."}`. */
  public readonly subsidyClaim: VersionedWorkflow;
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
    });

    this.checkSubsidyEligibility = new ShanyuFunction(this, 'CheckSubsidyEligibility', {
      entry: 'functions/workflow/check-subsidy-eligibility.ts',
      table,
      config,
      // Registries answer within seconds or are retried by the state machine.
      timeout: Duration.seconds(30),
    });
    this.approveSubsidyClaim = new ShanyuFunction(this, 'ApproveSubsidyClaim', {
      entry: 'functions/workflow/approve-subsidy-claim.ts',
      table,
      config,
    });

    const name = `${config.prefix}SubsidyClaim`;
    const subsidyClaim = new StateMachine(this, 'SubsidyClaim', {
      stateMachineName: name,
      stateMachineType: StateMachineType.STANDARD,
      queryLanguage: QueryLanguage.JSON_PATH,
      // States are named by their construct id only: a scope per workflow keeps ids from clashing.
      definitionBody: DefinitionBody.fromChainable(
        subsidyClaimDefinition(new Construct(this, 'SubsidyClaimStates'), {
          createTask: this.createTask,
          recordOutcome: this.recordOutcome,
          checkEligibility: this.checkSubsidyEligibility,
          approveClaim: this.approveSubsidyClaim,
        }),
      ),
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, 'SubsidyClaimLogGroup', {
          // The vended-logs prefix keeps CloudWatch Logs' resource policy from outgrowing its limit.
          logGroupName: `/aws/vendedlogs/states/${name}`,
          retention: config.logRetention,
          removalPolicy: config.removalPolicy,
        }),
        level: LogLevel.ALL,
        // Inputs and outputs could carry decisions; the case's audit trail is their record.
        includeExecutionData: false,
      },
      removalPolicy: config.removalPolicy,
    });
    this.subsidyClaim = publishLive(this, subsidyClaim);

    this.functions = [
      this.createTask,
      this.recordOutcome,
      this.checkSubsidyEligibility,
      this.approveSubsidyClaim,
    ];
    this.stateMachines = [subsidyClaim];
  }
}
