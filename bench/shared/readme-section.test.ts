import { describe, expect, it } from 'vitest';
import { KEPT_NOTES, replaceSection } from './readme-section.ts';

const readme = `# Benchmarks\n\n## A\n\nold A\n\n## B\n\nold table\n\n${KEPT_NOTES}\n\nA note by hand.\n\n## C\n\nC stays\n`;

describe('replaceSection', () => {
  it('rewrites the measured part and keeps the notes by hand below the marker, other sections untouched', () => {
    const out = replaceSection(readme, 'B', 'new table');
    expect(out).toBe(`# Benchmarks\n\n## A\n\nold A\n\n## B\n\nnew table\n\n${KEPT_NOTES}\n\nA note by hand.\n\n## C\n\nC stays\n`);
  });

  it('replaces a section without notes whole, and appends a new one', () => {
    expect(replaceSection(readme, 'A', 'new A')).toContain('## A\n\nnew A\n\n## B');
    expect(replaceSection(readme, 'D', 'new D').endsWith('C stays\n\n## D\n\nnew D\n')).toBe(true);
  });

  it('keeps the notes of the last section too', () => {
    const last = `## Z\n\nold\n\n${KEPT_NOTES}\nkept\n`;
    expect(replaceSection(last, 'Z', 'new')).toBe(`## Z\n\nnew\n\n${KEPT_NOTES}\nkept\n`);
  });
});
