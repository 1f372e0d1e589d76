import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

/** One line of /proc/<pid>/stat, the parts a CPU account needs. */
export interface ProcessStat {
  readonly pid: number;
  readonly parentPid: number;
  /** The executable's name as the kernel keeps it (`java`, `node`, `MainThread` …). */
  readonly command: string;
  /** User plus system time, in clock ticks. */
  readonly cpuTicks: number;
}

/** CPU seconds of a process tree by part: DynamoDB Local's Java and the rest (Node, npm). */
export interface TreeCpu {
  readonly java: number;
  readonly node: number;
}

/**
 * Parses `/proc/<pid>/stat`. The command sits in parentheses and may hold spaces or parentheses
 * itself, so the fields are counted from the last `)`.
 */
export function parseProcessStat(line: string): ProcessStat | undefined {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  // After the command: state(3) ppid(4) … utime(14) stime(15), numbered as in proc(5).
  const fields = line
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  const pid = Number(line.slice(0, open).trim());
  const parentPid = Number(fields[1]);
  const userTicks = Number(fields[11]);
  const systemTicks = Number(fields[12]);
  if (![pid, parentPid, userTicks, systemTicks].every(Number.isFinite)) return undefined;
  return {
    pid,
    parentPid,
    command: line.slice(open + 1, close),
    cpuTicks: userTicks + systemTicks,
  };
}

/** `root` and every process below it. */
export function processTree(root: number, stats: readonly ProcessStat[]): ProcessStat[] {
  const children = new Map<number, ProcessStat[]>();
  for (const stat of stats) {
    children.set(stat.parentPid, [...(children.get(stat.parentPid) ?? []), stat]);
  }
  const tree: ProcessStat[] = [];
  const pending = stats.filter((stat) => stat.pid === root);
  for (let next = pending.pop(); next; next = pending.pop()) {
    tree.push(next);
    pending.push(...(children.get(next.pid) ?? []));
  }
  return tree;
}

/** Sums a tree's CPU time by part, in seconds. */
export function cpuOfTree(tree: readonly ProcessStat[], ticksPerSecond: number): TreeCpu {
  let java = 0;
  let node = 0;
  for (const stat of tree) {
    if (stat.command === 'java') java += stat.cpuTicks;
    else node += stat.cpuTicks;
  }
  return { java: java / ticksPerSecond, node: node / ticksPerSecond };
}

let ticks: number | undefined;
function ticksPerSecond(): number {
  if (ticks === undefined) {
    const reported = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    // USER_HZ is 100 on every Linux this runs on; getconf only confirms it.
    ticks = Number.isInteger(reported) && reported > 0 ? reported : 100;
  }
  return ticks;
}

/**
 * The CPU time the process tree under `root` has used so far, from /proc. Undefined where there
 * is no /proc (not Linux): the benchmark then reports latency only.
 */
export async function treeCpuSeconds(root: number): Promise<TreeCpu | undefined> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return undefined;
  }
  const lines = await Promise.all(
    entries
      .filter((entry) => /^\d+$/.test(entry))
      .map((pid) => readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')),
  );
  const stats = lines
    .map(parseProcessStat)
    .filter((stat): stat is ProcessStat => stat !== undefined);
  return cpuOfTree(processTree(root, stats), ticksPerSecond());
}
