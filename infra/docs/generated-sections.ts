/*
 * Parts of a Markdown document written by a script, between `<!-- <name>:start -->` and
 * `<!-- <name>:end -->`; everything outside the markers is hand-written and left alone.
 */

/** The document lacks a section's markers, or has them out of order or more than once. */
export class MissingSectionError extends Error {
  public constructor(name: string) {
    super(`No single "<!-- ${name}:start -->" … "<!-- ${name}:end -->" section in the document`);
    this.name = 'MissingSectionError';
  }
}

const startMarker = (name: string) => `<!-- ${name}:start -->`;
const endMarker = (name: string) => `<!-- ${name}:end -->`;

function bounds(document: string, name: string): { from: number; to: number } {
  const start = startMarker(name);
  const end = endMarker(name);
  const from = document.indexOf(start);
  const to = document.indexOf(end);
  const once = (marker: string, at: number) => document.indexOf(marker, at + marker.length) < 0;
  if (from < 0 || to < from || !once(start, from) || !once(end, to)) {
    throw new MissingSectionError(name);
  }
  return { from: from + start.length, to };
}

/** What the section holds, without the newlines that set it apart from its markers. */
export function readSection(document: string, name: string): string {
  const { from, to } = bounds(document, name);
  return document.slice(from, to).replace(/^\n/, '').replace(/\n$/, '');
}

/** The document with the section's content replaced by `content`. */
export function replaceSection(document: string, name: string, content: string): string {
  const { from, to } = bounds(document, name);
  return `${document.slice(0, from)}\n${content.replace(/\n$/, '')}\n${document.slice(to)}`;
}

/** A Mermaid diagram as a fenced Markdown block, as GitHub renders it. */
export function mermaidBlock(diagram: string): string {
  return `\`\`\`mermaid\n${diagram.replace(/\n$/, '')}\n\`\`\``;
}

/** The section a workflow's diagram lives in: `asl:SubsidyClaim`. */
export const workflowSection = (workflow: string) => `asl:${workflow}`;
