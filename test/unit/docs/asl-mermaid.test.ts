import { describe, expect, it } from 'vitest';
import {
  aslToMermaid,
  describeChoiceRule,
  InvalidAslError,
} from '../../../infra/docs/asl-mermaid.ts';

const lambda = 'arn:aws:states:::lambda:invoke';
const waitForTaskToken = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

/** The diagram's lines without indentation, for order-insensitive and line-exact checks. */
const linesOf = (diagram: string) => diagram.split('\n').map((line) => line.trim());

describe('aslToMermaid', () => {
  it('draws a sequence from the start to its end, with a title', () => {
    // Prepare
    const definition = {
      StartAt: 'Check',
      States: {
        Check: { Type: 'Task', Resource: lambda, Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    };

    // Act
    const diagram = aslToMermaid(definition, 'Tiny');

    // Assess
    expect(diagram).toBe(
      [
        '---',
        'title: "Tiny"',
        '---',
        'stateDiagram-v2',
        '  [*] --> Check',
        '  Check --> Done',
        '  Done --> [*]',
        '',
        '  classDef succeed fill:#e4f5e4,stroke:#2e7d32',
        '  class Done succeed',
        '',
      ].join('\n'),
    );
    expect(aslToMermaid(definition).startsWith('stateDiagram-v2\n')).toBe(true);
  });

  it('labels choice edges with their rules and the default as otherwise', () => {
    // Prepare
    const definition = {
      StartAt: 'Decision?',
      States: {
        'Decision?': {
          Type: 'Choice',
          Choices: [
            { Variable: '$.outcome', StringEquals: 'approve', Next: 'Approved' },
            {
              And: [
                { Variable: '$.outcome', StringEquals: 'request-info' },
                { Not: { Variable: '$.reason', IsPresent: true } },
              ],
              Next: 'AskAgain',
            },
          ],
          Default: 'Rejected',
        },
        Approved: { Type: 'Pass', End: true },
        AskAgain: { Type: 'Pass', Next: 'Decision?' },
        Rejected: { Type: 'Succeed' },
      },
    };

    // Act
    const lines = linesOf(aslToMermaid(definition));

    // Assess
    expect(lines).toContain('state "Decision?" as Decision');
    expect(lines).toContain("Decision --> Approved : $.outcome = 'approve'");
    expect(lines).toContain(
      "Decision --> AskAgain : $.outcome = 'request-info' and not $.reason is present",
    );
    expect(lines).toContain('Decision --> Rejected : otherwise');
    expect(lines).toContain('Approved --> [*]');
    expect(lines).toContain('AskAgain --> Decision');
    expect(lines).toContain('class Decision choice');
  });

  it('labels catch edges with the errors they catch, and marks steps that wait for a person', () => {
    // Prepare
    const definition = {
      StartAt: 'Review',
      States: {
        Review: {
          Type: 'Task',
          Resource: waitForTaskToken,
          Next: 'Approved',
          Catch: [
            { ErrorEquals: ['States.Timeout', 'DeadlinePassed'], Next: 'Expired' },
            { ErrorEquals: ['Rejected'], ResultPath: '$.error', Next: 'Refused' },
          ],
        },
        Approved: { Type: 'Succeed' },
        Expired: { Type: 'Succeed' },
        Refused: { Type: 'Fail', Error: 'CaseRejected', Cause: 'no' },
      },
    };

    // Act
    const lines = linesOf(aslToMermaid(definition));

    // Assess
    expect(lines).toContain('Review --> Approved');
    expect(lines).toContain('Review --> Expired : catch States.Timeout, DeadlinePassed');
    expect(lines).toContain('Review --> Refused : catch Rejected');
    expect(lines).toContain('state "Refused (fails CaseRejected)" as Refused');
    expect(lines).toContain('Refused --> [*]');
    expect(lines).toContain('class Review waiting');
    expect(lines).toContain('class Refused fail');
    expect(lines).toContain('class Approved,Expired succeed');
  });

  it('draws a Parallel state as a composite state with one region per branch', () => {
    // Prepare
    const definition = {
      StartAt: 'Reviews',
      States: {
        Reviews: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Health', States: { Health: { Type: 'Pass', End: true } } },
            { StartAt: 'Fire', States: { Fire: { Type: 'Pass', End: true } } },
          ],
          Catch: [{ ErrorEquals: ['DepartmentRejected'], Next: 'Rejected' }],
          Next: 'Done',
        },
        Rejected: { Type: 'Succeed' },
        Done: { Type: 'Succeed' },
      },
    };

    // Act
    const diagram = aslToMermaid(definition);

    // Assess
    expect(diagram).toContain(
      [
        '  [*] --> Reviews',
        '  state Reviews {',
        '    [*] --> Health',
        '    Health --> [*]',
        '    --',
        '    [*] --> Fire',
        '    Fire --> [*]',
        '  }',
        '  Reviews --> Done',
        '  Reviews --> Rejected : catch DepartmentRejected',
      ].join('\n'),
    );
  });

  it('draws a Map state as a composite state around its item processor', () => {
    // Prepare
    const definition = {
      StartAt: 'EachMonth',
      States: {
        EachMonth: {
          Type: 'Map',
          ItemsPath: '$.months',
          ItemProcessor: {
            StartAt: 'Pay',
            States: { Pay: { Type: 'Task', Resource: lambda, End: true } },
          },
          End: true,
        },
      },
    };

    // Act
    const diagram = aslToMermaid(definition);

    // Assess
    expect(diagram).toContain(
      [
        '  state "EachMonth (for each item)" as EachMonth {',
        '    [*] --> Pay',
        '    Pay --> [*]',
        '  }',
        '  EachMonth --> [*]',
      ].join('\n'),
    );
  });

  it('gives every state an id Mermaid accepts, unique even where names differ only in punctuation', () => {
    // Prepare
    const definition = {
      StartAt: 'Eligible?',
      States: {
        'Eligible?': { Type: 'Pass', Next: 'Eligible!' },
        'Eligible!': { Type: 'Pass', Next: 'End' },
        End: { Type: 'Pass', Next: 'Say "no": now; #1' },
        'Say "no": now; #1': { Type: 'Pass', End: true },
      },
    };

    // Act
    const lines = linesOf(aslToMermaid(definition));

    // Assess
    expect(lines).toContain('state "Eligible?" as Eligible');
    expect(lines).toContain('state "Eligible!" as Eligible_2');
    expect(lines).toContain('state "End" as s_End');
    expect(lines).toContain('state "Say #quot;no#quot;#58; now#59; #35;1" as Say__no___now___1');
    expect(lines).toContain('Eligible --> Eligible_2');
    expect(lines).toContain('s_End --> Say__no___now___1');
  });

  it('draws the same diagram whatever the order of the States object', () => {
    // Prepare
    const states = {
      Start: {
        Type: 'Choice',
        Choices: [{ Variable: '$.a', BooleanEquals: true, Next: 'B' }],
        Default: 'A',
      },
      A: { Type: 'Succeed' },
      B: { Type: 'Pass', Next: 'A' },
      Orphan: { Type: 'Pass', End: true },
    };
    const reversed = Object.fromEntries(Object.entries(states).reverse());

    // Act
    const first = aslToMermaid({ StartAt: 'Start', States: states });
    const second = aslToMermaid({ StartAt: 'Start', States: reversed });

    // Assess
    expect(second).toBe(first);
    // Reading order: from the start, breadth first; unreachable states last.
    expect(linesOf(first).slice(1, 6)).toEqual([
      '[*] --> Start',
      'Start --> B : $.a = true',
      'Start --> A : otherwise',
      'B --> A',
      'A --> [*]',
    ]);
    expect(linesOf(first)).toContain('Orphan --> [*]');
  });

  it('refuses what is not an ASL state machine, or leads to a state that does not exist', () => {
    // Prepare
    const noStart = { States: {} };
    const dangling = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } };

    // Act
    const drawNoStart = () => aslToMermaid(noStart);
    const drawDangling = () => aslToMermaid(dangling);

    // Assess
    expect(drawNoStart).toThrow(InvalidAslError);
    expect(drawDangling).toThrow(/Nowhere/);
    expect(drawDangling).toThrow(InvalidAslError);
  });
});

describe('describeChoiceRule', () => {
  it.each([
    [{ Variable: '$.n', NumericGreaterThanEquals: 3 }, '$.n >= 3'],
    [{ Variable: '$.n', NumericLessThanPath: '$.max' }, '$.n < $.max'],
    [{ Variable: '$.s', StringMatches: 'log-*' }, "$.s matches 'log-*'"],
    [{ Variable: '$.x', IsNull: false }, '$.x is not null'],
    [
      {
        Or: [
          { Variable: '$.a', BooleanEquals: true },
          {
            And: [
              { Variable: '$.b', IsString: true },
              { Variable: '$.c', IsNumeric: true },
            ],
          },
        ],
      },
      '$.a = true or ($.b is a string and $.c is a number)',
    ],
    [{ Condition: '{% $states.input.ok %}' }, '$states.input.ok'],
  ])('describes %j as %s', (rule, expected) => {
    // Prepare
    const input: Record<string, unknown> = rule;

    // Act
    const text = describeChoiceRule(input);

    // Assess
    expect(text).toBe(expected);
  });

  it('refuses a comparison it does not know', () => {
    // Prepare
    const rule = { Variable: '$.a', StringSoundsLike: 'b' };

    // Act
    const describe = () => describeChoiceRule(rule);

    // Assess
    expect(describe).toThrow(InvalidAslError);
  });
});
