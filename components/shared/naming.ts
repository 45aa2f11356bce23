/** How resources are named from the project and environment. */

/** The prefix of every name shown in a console: `<project>-<environment>`, e.g. `multicloud-dev`. */
export function namePrefixOf(project: string, environment: string): string {
  return `${project}-${environment}`;
}

/** A VCN DNS label: letters and digits, starting with a letter, at most 15 characters. */
export function dnsLabel(namePrefix: string): string {
  const cleaned = namePrefix.toLowerCase().replace(/[^a-z0-9]/g, "");
  const label = /^[a-z]/.test(cleaned) ? cleaned : `v${cleaned}`;
  return label.slice(0, 15);
}

/** A tag value (which may hold spaces and `.:/=+@`) as a name part: letters, digits, - and _. */
export function namePartOf(tagValue: string): string {
  return tagValue.replace(/[^A-Za-z0-9_-]+/g, "-");
}
