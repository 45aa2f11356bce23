/** Generated sections of the docs: text between an HTML-comment begin marker and an end marker. */
import { readFileSync, writeFileSync } from "node:fs";

export interface DocSection {
  readonly file: string;
  readonly begin: string;
  readonly end: string;
}

/** The section's body as the file holds it now (between the markers), or undefined when a marker is missing. */
export function documentedSection(section: DocSection): string | undefined {
  const doc = readFileSync(section.file, "utf8");
  const start = doc.indexOf(section.begin);
  const end = doc.indexOf(section.end);
  return start < 0 || end < start ? undefined : doc.slice(start + section.begin.length, end).trim();
}

/** Writes `body` between the markers; refuses a file without them. */
export function writeSection(section: DocSection, body: string): void {
  const doc = readFileSync(section.file, "utf8");
  const start = doc.indexOf(section.begin);
  const end = doc.indexOf(section.end);
  if (start < 0 || end < start) throw new Error(`${section.file} has no ${section.begin} … ${section.end} section`);
  writeFileSync(section.file, `${doc.slice(0, start + section.begin.length)}\n${body.trim()}\n${doc.slice(end)}`);
}
