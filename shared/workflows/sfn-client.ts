import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';

/** The endpoint comes from the SDK's configuration (AWS_ENDPOINT_URL_SFN locally). */
export const sfnClient = new SFNClient({});

/**
 * Starts a case's workflow, named after the case so that Step Functions itself refuses a second
 * execution for it. Only the case id travels: the workflow reads personal data from the table.
 */
export async function startCaseWorkflow(stateMachineArn: string, caseId: string): Promise<void> {
  try {
    await sfnClient.send(
      new StartExecutionCommand({
        stateMachineArn,
        name: caseId,
        input: JSON.stringify({ caseId }),
      }),
    );
  } catch (error) {
    // Already started by an earlier attempt of the same submission: nothing more to do.
    if (error instanceof ExecutionAlreadyExists) return;
    throw error;
  }
}

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}
