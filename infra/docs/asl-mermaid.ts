import * as z from 'zod';

/*
 * Draws an Amazon States Language definition as a Mermaid state diagram, so that the workflow
 * pictures in docs/architecture.md are made from the synthesized ASL rather than drawn by hand.
 * Only the shape is drawn (states, transitions, caught errors, branches); resources are left
 * out because they name deployment-specific ARNs.
 */

const catcherSchema = z.object({
  ErrorEquals: z.array(z.string()).min(1),
  Next: z.string(),
});

// Choice rules nest (And, Or, Not) and have dozens of comparison keys: read them loosely.
const choiceRuleSchema = z.record(z.string(), z.unknown());

const stateSchema = z.looseObject({
  Type: z.string(),
  Next: z.string().optional(),
  End: z.boolean().optional(),
  Default: z.string().optional(),
  Choices: z.array(choiceRuleSchema).optional(),
  Catch: z.array(catcherSchema).optional(),
  Error: z.string().optional(),
  Resource: z.string().optional(),
  get Branches() {
    return z.array(machineSchema).optional();
  },
  get ItemProcessor() {
    return machineSchema.optional();
  },
  /** What Map states called their ItemProcessor before distributed maps. */
  get Iterator() {
    return machineSchema.optional();
  },
});

const machineSchema = z.looseObject({
  StartAt: z.string(),
  get States() {
    return z.record(z.string(), stateSchema);
  },
});

type AslState = z.infer<typeof stateSchema>;
type AslMachine = z.infer<typeof machineSchema>;

/** The definition is not ASL this generator can draw (or not ASL at all). */
export class InvalidAslError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'InvalidAslError';
  }
}

/** A transition out of a state, in the order a reader meets it. */
interface Edge {
  readonly to: string;
  readonly label?: string;
}

/** Mermaid's keywords, which its lexer reads case-insensitively: never usable as state ids. */
const reservedIds = new Set([
  'as',
  'class',
  'classdef',
  'direction',
  'end',
  'hide',
  'left',
  'note',
  'of',
  'over',
  'right',
  'scale',
  'state',
  'style',
]);

const entities: Record<string, string> = { '#': '#35;', '"': '#quot;', ':': '#58;', ';': '#59;' };

/**
 * Text inside labels: Mermaid ends a transition label at `:` or `;`, a state name at `"`, and
 * reads `#…;` as an entity, so those are written as entities themselves.
 */
function escapeLabel(text: string): string {
  return text
    .replaceAll(/[#":;]/g, (character) => entities[character] ?? character)
    .replaceAll(/\s+/g, ' ')
    .trim();
}

const comparisonOperators: Record<string, string> = {
  Equals: '=',
  LessThan: '<',
  GreaterThan: '>',
  LessThanEquals: '<=',
  GreaterThanEquals: '>=',
  Matches: 'matches',
};

const typeTests: Record<string, string> = {
  IsPresent: 'present',
  IsNull: 'null',
  IsBoolean: 'a boolean',
  IsNumeric: 'a number',
  IsString: 'a string',
  IsTimestamp: 'a timestamp',
};

function formatValue(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

/** A choice rule in words: `$.review.outcome = 'approve'`, `… and …`, `not (…)`. */
export function describeChoiceRule(rule: Record<string, unknown>): string {
  const nested = (value: unknown) => {
    const parsed = choiceRuleSchema.safeParse(value);
    if (!parsed.success) throw new InvalidAslError(`A choice rule is not an object: ${value}`);
    const text = describeChoiceRule(parsed.data);
    return 'And' in parsed.data || 'Or' in parsed.data ? `(${text})` : text;
  };
  if (typeof rule.Condition === 'string') {
    // JSONata: the condition is its own description.
    return rule.Condition.replace(/^\{%\s*/, '').replace(/\s*%\}$/, '');
  }
  if (Array.isArray(rule.And)) return rule.And.map(nested).join(' and ');
  if (Array.isArray(rule.Or)) return rule.Or.map(nested).join(' or ');
  if (rule.Not !== undefined) return `not ${nested(rule.Not)}`;
  const variable = String(rule.Variable);
  const [key] = Object.keys(rule).filter((name) => name !== 'Variable' && name !== 'Next');
  if (key === undefined) throw new InvalidAslError(`A choice rule compares nothing: ${variable}`);
  const value = rule[key];
  const test = typeTests[key];
  if (test !== undefined) return `${variable} is ${value === false ? 'not ' : ''}${test}`;
  const comparison = /^(?:String|Numeric|Boolean|Timestamp)(\w+?)(Path)?$/.exec(key);
  const operator = comparison?.[1] === undefined ? undefined : comparisonOperators[comparison[1]];
  if (operator === undefined) throw new InvalidAslError(`Unknown choice comparison ${key}`);
  return `${variable} ${operator} ${comparison?.[2] ? String(value) : formatValue(value)}`;
}

/** Where a state goes next: Choices in order, then Default, Next, and its Catch clauses. */
function edgesOf(state: AslState): Edge[] {
  const edges: Edge[] = [];
  for (const rule of state.Choices ?? []) {
    if (typeof rule.Next !== 'string') throw new InvalidAslError('A choice rule has no Next');
    edges.push({ to: rule.Next, label: describeChoiceRule(rule) });
  }
  if (state.Default !== undefined) edges.push({ to: state.Default, label: 'otherwise' });
  if (state.Next !== undefined) edges.push({ to: state.Next });
  for (const catcher of state.Catch ?? []) {
    edges.push({ to: catcher.Next, label: `catch ${catcher.ErrorEquals.join(', ')}` });
  }
  return edges;
}

const endsExecution = (state: AslState) =>
  state.End === true || state.Type === 'Succeed' || state.Type === 'Fail';

/** The machine's states in reading order: breadth first from StartAt, the unreachable last. */
function readingOrder(machine: AslMachine): string[] {
  const order: string[] = [];
  const queue = [machine.StartAt];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (order.includes(name)) continue;
    const state = machine.States[name];
    if (state === undefined) throw new InvalidAslError(`No state named ${name}`);
    order.push(name);
    queue.push(...edgesOf(state).map((edge) => edge.to));
  }
  const unreachable = Object.keys(machine.States)
    .filter((name) => !order.includes(name))
    .sort();
  return [...order, ...unreachable];
}

/** Mermaid ids for state names: the name where Mermaid accepts it, unique across the diagram. */
class StateIds {
  private readonly byName = new Map<string, string>();
  private readonly taken = new Set<string>();

  public idOf(name: string): string {
    const known = this.byName.get(name);
    if (known !== undefined) return known;
    let base = name.replaceAll(/[^A-Za-z0-9_]/g, '_').replace(/_+$/, '') || 'state';
    if (/^\d/.test(base) || reservedIds.has(base.toLowerCase())) base = `s_${base}`;
    let id = base;
    for (let n = 2; this.taken.has(id); n += 1) id = `${base}_${n}`;
    this.byName.set(name, id);
    this.taken.add(id);
    return id;
  }
}

/** Which look a state gets: choices, people's steps (task tokens), failures, successes. */
function classOf(state: AslState): string | undefined {
  if (state.Type === 'Choice') return 'choice';
  if (state.Type === 'Fail') return 'fail';
  if (state.Type === 'Succeed') return 'succeed';
  if (state.Resource?.endsWith('.waitForTaskToken')) return 'waiting';
  return undefined;
}

const classStyles: Record<string, string> = {
  choice: 'fill:#fff4d6,stroke:#b8860b',
  waiting: 'fill:#e3f0ff,stroke:#1f5fa8',
  succeed: 'fill:#e4f5e4,stroke:#2e7d32',
  fail: 'fill:#fde4e4,stroke:#b71c1c',
};

/** A state's name, and what its name cannot tell: the error a Fail raises, that a Map repeats. */
function captionOf(name: string, state: AslState): string {
  if (state.Type === 'Fail' && state.Error !== undefined) return `${name} (fails ${state.Error})`;
  if (state.Type === 'Map') return `${name} (for each item)`;
  return name;
}

interface Drawing {
  readonly lines: string[];
  readonly classes: Map<string, string[]>;
  readonly ids: StateIds;
}

function drawMachine(machine: AslMachine, drawing: Drawing, indent: string): void {
  const { lines, ids, classes } = drawing;
  const idOf = (name: string) => {
    if (machine.States[name] === undefined) {
      throw new InvalidAslError(`A transition leads to ${name}, which is no state here`);
    }
    return ids.idOf(name);
  };
  lines.push(`${indent}[*] --> ${idOf(machine.StartAt)}`);
  for (const name of readingOrder(machine)) {
    const state = machine.States[name] as AslState;
    const id = idOf(name);
    const text = captionOf(name, state);
    const label = id === text ? undefined : `"${escapeLabel(text)}"`;
    const inner = state.Branches ?? [state.ItemProcessor ?? state.Iterator].filter((m) => !!m);
    if (inner.length > 0) {
      lines.push(`${indent}state ${label === undefined ? id : `${label} as ${id}`} {`);
      inner.forEach((branch, index) => {
        // Mermaid's separator between concurrent regions.
        if (index > 0) lines.push(`${indent}  --`);
        drawMachine(branch as AslMachine, drawing, `${indent}  `);
      });
      lines.push(`${indent}}`);
    } else if (label !== undefined) {
      lines.push(`${indent}state ${label} as ${id}`);
    }
    for (const edge of edgesOf(state)) {
      const text = edge.label === undefined ? '' : ` : ${escapeLabel(edge.label)}`;
      lines.push(`${indent}${id} --> ${idOf(edge.to)}${text}`);
    }
    if (endsExecution(state)) lines.push(`${indent}${id} --> [*]`);
    const look = classOf(state);
    if (look !== undefined) classes.set(look, [...(classes.get(look) ?? []), id]);
  }
}

/**
 * A Mermaid `stateDiagram-v2` of an ASL definition: every state, its Next, Choices (labelled with
 * the rule) and Default edges, Catch edges labelled with the errors caught, Parallel branches and
 * Map iterations as composite states, and End, Succeed and Fail states leading to `[*]`. The same
 * definition always gives the same text, whatever the order of its States object.
 */
export function aslToMermaid(definition: object, title?: string): string {
  const parsed = machineSchema.safeParse(definition);
  if (!parsed.success) {
    throw new InvalidAslError(`Not an ASL state machine: ${z.prettifyError(parsed.error)}`);
  }
  const drawing: Drawing = { lines: [], classes: new Map(), ids: new StateIds() };
  drawMachine(parsed.data, drawing, '  ');
  const frontMatter = title === undefined ? [] : ['---', `title: ${JSON.stringify(title)}`, '---'];
  const looks = [...drawing.classes.keys()].sort();
  const classLines = looks.flatMap((look) => [
    `  classDef ${look} ${classStyles[look]}`,
    `  class ${drawing.classes.get(look)?.join(',')} ${look}`,
  ]);
  return [
    ...frontMatter,
    'stateDiagram-v2',
    ...drawing.lines,
    ...(classLines.length > 0 ? ['', ...classLines] : []),
    '',
  ].join('\n');
}
