import { measureSizes } from './measure-scale.ts';

/*
 * The scaling benchmark's measuring process (started by bench/scaling.ts with TABLE_NAME, the
 * DynamoDB endpoint and SHANYU_CAPACITY_TRACE=1 in its environment): seeds, measures, and prints
 * its results as the last line of its output.
 */

const sizes = (process.env.BENCH_SCALE_SIZES ?? '')
  .split(',')
  .map(Number)
  .filter((size) => Number.isInteger(size) && size > 0);
const tableName = process.env.TABLE_NAME ?? '';

const results = await measureSizes(sizes, tableName, (line) => console.error(line));
console.log(JSON.stringify(results));
