import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { aslToMermaid } from './asl-mermaid.ts';
import { mermaidBlock, replaceSection, workflowSection } from './generated-sections.ts';
import { synthesizedWorkflows } from './workflow-definitions.ts';

/*
 * Redraws the workflow diagrams of docs/architecture.md from the synthesized ASL. Run it after
 * changing a workflow; test/unit/docs/architecture.test.ts fails until it has been.
 */

export const architectureDoc = fileURLToPath(
  new URL('../../docs/architecture.md', import.meta.url),
);

/** The document with every workflow's section holding the diagram of its current ASL. */
export function withWorkflowDiagrams(document: string): string {
  return synthesizedWorkflows().reduce(
    (text, { name, definition }) =>
      replaceSection(text, workflowSection(name), mermaidBlock(aslToMermaid(definition, name))),
    document,
  );
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const before = await readFile(architectureDoc, 'utf8');
  const after = withWorkflowDiagrams(before);
  await writeFile(architectureDoc, after);
  console.log(`${architectureDoc}: ${before === after ? 'already current' : 'diagrams redrawn'}`);
}
