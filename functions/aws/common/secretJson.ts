/**
 * A secret's JSON document, parsed without ever echoing it: JSON.parse's own error quotes the text
 * it failed on, and a secret's text must not reach a log, a Step Functions failure or a response.
 */
export function parseSecretJson(text: string | undefined, what: string, expected: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text ?? "");
  } catch {
    throw new Error(`${what} is not JSON; expected ${expected}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Error(`${what} is not a JSON object; expected ${expected}`);
  return value as Record<string, unknown>;
}
