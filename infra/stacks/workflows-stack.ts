import { Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import {
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

export interface WorkflowsStackProps extends StackProps {
  readonly config: ShanyuConfig;
  readonly table: ITable;
}

/** Step Functions state machines and the Lambda functions their tasks invoke. */
export class WorkflowsStack extends Stack {
  public readonly createTask: ShanyuFunction;
  public readonly recordOutcome: ShanyuFunction;
  /** 入托补助: started by `POST /v1/subsidy-claims` with `{"caseId": "..."}`. */
  public readonly subsidyClaim: StateMachine;
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

    const name = `${config.prefix}SubsidyClaim`;
    this.subsidyClaim = new StateMachine(this, 'SubsidyClaim', {
      stateMachineName: name,
      stateMachineType: StateMachineType.STANDARD,
      queryLanguage: QueryLanguage.JSON_PATH,
      // States are named by their construct id only: a scope per workflow keeps ids from clashing.
      definitionBody: DefinitionBody.fromChainable(
        subsidyClaimDefinition(new Construct(this, 'SubsidyClaimStates'), {
          createTask: this.createTask,
          recordOutcome: this.recordOutcome,
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

    this.functions = [this.createTask, this.recordOutcome];
    this.stateMachines = [this.subsidyClaim];
  }
}
