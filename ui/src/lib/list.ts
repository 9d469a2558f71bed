// What a person types as a list (one per line, or separated by commas or spaces), as items.

/** The items of a typed list: split on commas and white space, empty ones dropped. */
export function splitList(text: string): string[] {
  return text.split(/[\s,]+/).filter((item) => item.length > 0);
}
