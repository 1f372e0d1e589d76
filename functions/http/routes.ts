/**
 * The HTTP API's route catalogue: the one list that the CDK API stack deploys, the local gateway
 * serves, and the not-found handler consults to tell 404 from 405.
 *
 * `entry` is relative to the project root; each route gets its own small function.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteDefinition {
  /** Stable identifier: CDK construct id and local function name. */
  readonly id: string;
  readonly method: HttpMethod;
  /** API Gateway v2 path, with `{name}` parameters. */
  readonly path: string;
  readonly entry: string;
  /** Needs the Step Functions state machine of this workflow (its ARN is passed in the environment). */
  readonly startsWorkflow?: 'subsidyClaim' | 'providerRegistration' | 'tuitionWaiver';
  /** Reads only: the function's role gets no write access to the table. */
  readonly readOnly?: boolean;
  /** Hands decisions back to waiting executions (SendTaskSuccess/Failure on every workflow). */
  readonly answersTasks?: boolean;
  /** Stops executions (StopExecution on every workflow's executions). */
  readonly stopsWorkflows?: boolean;
  /**
   * Works with uploaded documents (`DOCUMENTS_BUCKET`): `upload` signs PUT URLs, `read` checks
   * objects and signs GET URLs.
   */
  readonly documents?: 'upload' | 'read';
  /** No login: no authorizer, no principal (the public registry). */
  readonly public?: boolean;
  /** Keys 身份证 numbers (shared/privacy/id-key.ts): may read the HMAC key secret. */
  readonly readsIdKey?: boolean;
}

export const routes: readonly RouteDefinition[] = [
  { id: 'GetMe', method: 'GET', path: '/v1/me', entry: 'functions/http/get-me.ts', readOnly: true },
  {
    id: 'ListProviders',
    method: 'GET',
    path: '/v1/providers',
    entry: 'functions/http/list-providers.ts',
    readOnly: true,
    public: true,
  },
  {
    id: 'GetProvider',
    method: 'GET',
    path: '/v1/providers/{providerId}',
    entry: 'functions/http/get-provider.ts',
    readOnly: true,
    public: true,
  },
  {
    id: 'SetProviderStatus',
    method: 'POST',
    path: '/v1/providers/{providerId}/status',
    entry: 'functions/http/set-provider-status.ts',
  },
  {
    id: 'SubmitSubsidyClaim',
    method: 'POST',
    path: '/v1/subsidy-claims',
    entry: 'functions/http/submit-subsidy-claim.ts',
    readsIdKey: true,
    startsWorkflow: 'subsidyClaim',
  },
  {
    id: 'SubmitProviderRegistration',
    method: 'POST',
    path: '/v1/provider-registrations',
    entry: 'functions/http/submit-provider-registration.ts',
    startsWorkflow: 'providerRegistration',
  },
  {
    id: 'SubmitRegistrationChange',
    method: 'POST',
    path: '/v1/provider-registrations/{providerId}/changes',
    entry: 'functions/http/submit-registration-change.ts',
    startsWorkflow: 'providerRegistration',
  },
  {
    id: 'SubmitTuitionWaiver',
    method: 'POST',
    path: '/v1/tuition-waivers',
    entry: 'functions/http/submit-tuition-waiver.ts',
    readsIdKey: true,
    startsWorkflow: 'tuitionWaiver',
  },
  {
    id: 'GetCase',
    method: 'GET',
    path: '/v1/cases/{caseId}',
    entry: 'functions/http/get-case.ts',
    readOnly: true,
  },
  {
    id: 'ListCases',
    method: 'GET',
    path: '/v1/cases',
    entry: 'functions/http/list-cases.ts',
    readOnly: true,
  },
  {
    id: 'WithdrawCase',
    method: 'POST',
    path: '/v1/cases/{caseId}/withdraw',
    entry: 'functions/http/withdraw-case.ts',
    readsIdKey: true,
    stopsWorkflows: true,
  },
  {
    id: 'ListTasks',
    method: 'GET',
    path: '/v1/tasks',
    entry: 'functions/http/list-tasks.ts',
    readOnly: true,
  },
  {
    id: 'GetTask',
    method: 'GET',
    path: '/v1/tasks/{taskId}',
    entry: 'functions/http/get-task.ts',
    readOnly: true,
  },
  {
    id: 'ClaimTask',
    method: 'POST',
    path: '/v1/tasks/{taskId}/claim',
    entry: 'functions/http/claim-task.ts',
  },
  {
    id: 'UnclaimTask',
    method: 'POST',
    path: '/v1/tasks/{taskId}/unclaim',
    entry: 'functions/http/unclaim-task.ts',
  },
  {
    id: 'AssignTask',
    method: 'POST',
    path: '/v1/tasks/{taskId}/assign',
    entry: 'functions/http/assign-task.ts',
  },
  {
    id: 'ListPayments',
    method: 'GET',
    path: '/v1/payments',
    entry: 'functions/http/list-payments.ts',
    readOnly: true,
  },
  {
    id: 'DisbursePayments',
    method: 'POST',
    path: '/v1/payments/disburse',
    entry: 'functions/http/disburse-payments.ts',
  },
  {
    id: 'RequestDocumentUpload',
    method: 'POST',
    path: '/v1/documents',
    entry: 'functions/http/request-document-upload.ts',
    documents: 'upload',
  },
  {
    id: 'GetDocument',
    method: 'GET',
    path: '/v1/documents/{ref}',
    entry: 'functions/http/get-document.ts',
    readOnly: true,
    documents: 'read',
  },
  {
    id: 'ListWaivers',
    method: 'GET',
    path: '/v1/waivers',
    entry: 'functions/http/list-waivers.ts',
    readsIdKey: true,
    readOnly: true,
  },
  {
    id: 'GetSlaStats',
    method: 'GET',
    path: '/v1/stats/sla',
    entry: 'functions/http/get-sla-stats.ts',
    readOnly: true,
  },
  {
    id: 'DecideTask',
    method: 'POST',
    path: '/v1/tasks/{taskId}/decision',
    entry: 'functions/http/decide-task.ts',
    answersTasks: true,
  },
];

/** Serves every request no route matched (`$default`), answering 404 or 405 in the API's error shape. */
export const notFoundRoute = {
  id: 'RouteNotFound',
  entry: 'functions/http/route-not-found.ts',
} as const;
