import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { jobs } from '../../../functions/scheduled/jobs.ts';
import { aslToMermaid } from '../../../infra/docs/asl-mermaid.ts';
import {
  mermaidBlock,
  readSection,
  workflowSection,
} from '../../../infra/docs/generated-sections.ts';
import {
  synthesizedWorkflows,
  type WorkflowDefinition,
} from '../../../infra/docs/workflow-definitions.ts';

const projectFile = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
const regenerate =
  'run `npm run docs` (node --import tsx infra/docs/write-architecture.ts) and commit docs/architecture.md';

const escapeRegExp = (text: string) => text.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The numbers of the access-pattern list in the table's doc comment (` *  7. Cases of …`). */
function accessPatternsInSource(source: string): number[] {
  const from = source.indexOf('Access patterns');
  const list = source.slice(from, source.indexOf('```', from));
  return [...list.matchAll(/^\s*\*\s+(\d+)\.\s/gm)].map((match) => Number(match[1]));
}

/** The numbers in the first column of the doc's access-pattern table. */
function accessPatternsInDoc(document: string): number[] {
  const from = document.indexOf("## The table's access patterns");
  const section = document.slice(from, document.indexOf('\n## ', from + 1));
  return [...section.matchAll(/^\|\s*(\d+)\s*\|/gm)].map((match) => Number(match[1]));
}

describe('docs/architecture.md', () => {
  let document: string;
  let workflows: WorkflowDefinition[];

  beforeAll(async () => {
    document = await readFile(projectFile('docs/architecture.md'), 'utf8');
    workflows = synthesizedWorkflows();
    // Synthesizing the whole app takes well over the default 10 s on a busy machine.
  }, 180_000);

  it('has a diagram section for every synthesized workflow, and for no other', () => {
    // Prepare
    const synthesized = workflows.map((workflow) => workflow.name).sort();

    // Act
    const sections = [...document.matchAll(/<!-- asl:(\w+):start -->/g)]
      .map((match) => match[1])
      .sort();

    // Assess
    expect(synthesized).toEqual(['ProviderRegistration', 'SubsidyClaim', 'TuitionWaiver']);
    expect(
      sections,
      `workflows and diagram sections differ: add or remove markers, then ${regenerate}`,
    ).toEqual(synthesized);
  });

  it.each(['SubsidyClaim', 'ProviderRegistration', 'TuitionWaiver'])(
    'draws %s as the synthesized ASL is now',
    (name) => {
      // Prepare
      const workflow = workflows.find((candidate) => candidate.name === name);
      if (workflow === undefined) throw new Error(`No synthesized workflow ${name}`);

      // Act
      const expected = mermaidBlock(aslToMermaid(workflow.definition, name));
      const documented = readSection(document, workflowSection(name));

      // Assess
      expect(documented, `The ${name} diagram is out of date: ${regenerate}`).toBe(expected);
      expect(documented).toContain('stateDiagram-v2');
    },
  );

  it('lists the same access patterns as the table definition in data-stack.ts', async () => {
    // Prepare
    const source = await readFile(projectFile('infra/stacks/data-stack.ts'), 'utf8');

    // Act
    const inSource = accessPatternsInSource(source);
    const inDoc = accessPatternsInDoc(document);

    // Assess
    expect(inSource.length).toBeGreaterThanOrEqual(32);
    expect(inSource).toEqual(inSource.map((_, index) => index + 1));
    expect(
      inDoc,
      'The access-pattern table in docs/architecture.md differs from the list in infra/stacks/data-stack.ts: copy the new patterns into the table',
    ).toEqual(inSource);
  });

  it('describes every scheduled job with its schedule', () => {
    // Prepare
    const scheduled = jobs;

    // Act
    // Cells padded or not: biome aligns Markdown tables.
    const missing = scheduled.filter(
      (job) =>
        !new RegExp(
          `^\\|\\s*\`${escapeRegExp(job.id)}\`\\s*\\|\\s*\`${escapeRegExp(job.schedule)}\`\\s*\\|`,
          'm',
        ).test(document),
    );

    // Assess
    expect(
      missing.map((job) => job.id),
      'Add these jobs (with their schedules) to the "Scheduled jobs" table of docs/architecture.md',
    ).toEqual([]);
  });
});
