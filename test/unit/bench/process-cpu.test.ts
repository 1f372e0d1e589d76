import { describe, expect, it } from 'vitest';
import {
  cpuOfTree,
  type ProcessStat,
  parseProcessStat,
  processTree,
} from '../../../bench/process-cpu.ts';

const stat = (pid: number, parentPid: number, command: string, cpuTicks: number): ProcessStat => ({
  pid,
  parentPid,
  command,
  cpuTicks,
});

describe('parseProcessStat', () => {
  it('reads the parent and user plus system ticks, counting fields after the command', () => {
    // Prepare: a command with a space and a parenthesis, as a thread name can be.
    const line =
      '4242 (node (main) x) S 4200 4242 29470 0 -1 4194304 99 0 0 0 731 112 5 6 20 0 1 0 3743723';

    // Act
    const parsed = parseProcessStat(line);

    // Assess
    expect(parsed).toEqual({ pid: 4242, parentPid: 4200, command: 'node (main) x', cpuTicks: 843 });
  });

  it('gives up on a line that is not a stat line', () => {
    // Prepare / Act / Assess
    expect(parseProcessStat('')).toBeUndefined();
    expect(parseProcessStat('12 (java) S x')).toBeUndefined();
  });
});

describe('processTree and cpuOfTree', () => {
  it('sums the root and its descendants, Java apart, and leaves other trees out', () => {
    // Prepare: npm → node (the cloud) → java; an unrelated java beside them.
    const stats = [
      stat(10, 1, 'npm', 50),
      stat(11, 10, 'node', 900),
      stat(12, 11, 'java', 600),
      stat(13, 11, 'sh', 10),
      stat(20, 1, 'java', 5000),
    ];

    // Act
    const tree = processTree(10, stats);
    const cpu = cpuOfTree(tree, 100);

    // Assess
    expect(tree.map((process) => process.pid).sort()).toEqual([10, 11, 12, 13]);
    expect(cpu).toEqual({ java: 6, node: 9.6 });
  });

  it('is empty when the root is gone', () => {
    // Prepare / Act / Assess
    expect(cpuOfTree(processTree(99, [stat(10, 1, 'node', 5)]), 100)).toEqual({
      java: 0,
      node: 0,
    });
  });
});
