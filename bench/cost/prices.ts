/*
 * AWS list prices the cost benchmark multiplies its measured usage by: on-demand, no free tier,
 * no savings plan, the first (dearest) volume tier. US East (N. Virginia), in US dollars: the
 * region AWS's pages quote first, and the one the figures are easiest to check against. China
 * regions (Beijing, Ningxia; operated by Sinnet and NWCD) price in CNY on amazonaws.cn, with other
 * figures: convert there before quoting a budget for Huzhou.
 */

export interface ListPrice {
  /** US dollars per unit. */
  readonly usd: number;
  readonly unit: string;
  readonly source: string;
}

export const priceRegion = 'us-east-1';
/** When the figures below were checked against the pages named (stored copies; verify before quoting). */
export const pricesCheckedOn = '2026-11-28';

export const prices = {
  /** Every function in the template is arm64 (Graviton). */
  lambdaArmGbSecond: {
    usd: 0.000_013_333_4,
    unit: 'GB-second (arm64, first 7.5 billion GB-s a month)',
    source: 'https://aws.amazon.com/lambda/pricing/',
  },
  lambdaRequest: {
    usd: 0.2 / 1_000_000,
    unit: 'request',
    source: 'https://aws.amazon.com/lambda/pricing/',
  },
  stepFunctionsStateTransition: {
    usd: 0.025 / 1000,
    unit: 'state transition (Standard workflows)',
    source: 'https://aws.amazon.com/step-functions/pricing/',
  },
  /** After the 50 % cut of on-demand throughput prices in November 2024. */
  dynamoDbReadRequestUnit: {
    usd: 0.125 / 1_000_000,
    unit: 'read request unit (on-demand)',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  },
  dynamoDbWriteRequestUnit: {
    usd: 0.625 / 1_000_000,
    unit: 'write request unit (on-demand)',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  },
  httpApiRequest: {
    usd: 1 / 1_000_000,
    unit: 'HTTP API request (first 300 million a month)',
    source: 'https://aws.amazon.com/api-gateway/pricing/',
  },
} as const satisfies Record<string, ListPrice>;

export type PriceList = typeof prices;
