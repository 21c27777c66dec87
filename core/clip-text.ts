/**
 * Bounding untrusted text: a target can send megabytes of stderr or evidence, and neither a results
 * file nor a report may grow with it.
 */

/** Most characters of a scenario, stderr or text kept. */
export const maxShownText = 20_000;

/** Clips long untrusted text, saying how much was left out. */
export function clip(text: string, limit = maxShownText): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}\n… (${text.length - limit} more characters)`;
}
