import { describe, expect, it } from 'vitest';
import {
  MissingSectionError,
  mermaidBlock,
  readSection,
  replaceSection,
  workflowSection,
} from '../../../infra/docs/generated-sections.ts';

const document = [
  '# Title',
  'Prose before.',
  '<!-- asl:Claim:start -->',
  'old diagram',
  '<!-- asl:Claim:end -->',
  'Prose after.',
  '',
].join('\n');

describe('generated sections', () => {
  it('replaces what is between the markers and leaves the prose around them', () => {
    // Prepare
    const content = mermaidBlock('stateDiagram-v2\n  [*] --> A\n');

    // Act
    const written = replaceSection(document, workflowSection('Claim'), content);

    // Assess
    expect(written).toBe(
      [
        '# Title',
        'Prose before.',
        '<!-- asl:Claim:start -->',
        '```mermaid',
        'stateDiagram-v2',
        '  [*] --> A',
        '```',
        '<!-- asl:Claim:end -->',
        'Prose after.',
        '',
      ].join('\n'),
    );
    expect(readSection(written, 'asl:Claim')).toBe(content);
    expect(replaceSection(written, 'asl:Claim', content)).toBe(written);
  });

  it('reads an empty section as empty text', () => {
    // Prepare
    const empty = '<!-- asl:Claim:start -->\n<!-- asl:Claim:end -->\n';

    // Act
    const content = readSection(empty, 'asl:Claim');

    // Assess
    expect(content).toBe('');
  });

  it('refuses a document without the section, with it twice, or with its markers reversed', () => {
    // Prepare
    const twice = `${document}${document}`;
    const reversed = '<!-- asl:Claim:end -->\n<!-- asl:Claim:start -->\n';

    // Act
    const attempts = [
      () => readSection(document, 'asl:Waiver'),
      () => replaceSection(twice, 'asl:Claim', 'x'),
      () => readSection(reversed, 'asl:Claim'),
    ];

    // Assess
    for (const attempt of attempts) expect(attempt).toThrow(MissingSectionError);
  });
});
