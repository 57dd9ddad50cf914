/**
 * Fills `${{NAME}}` placeholders in the Teams app manifest template.
 *
 * Placeholders are replaced inside parsed JSON string values rather than in the raw text, so a value containing
 * quotes or backslashes can never break the JSON.
 */

/** A parsed JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Variables available to the template; an undefined value counts as unset, an empty string as set. */
export type TemplateEnv = Readonly<Record<string, string | undefined>>;

/** Matches one `${{NAME}}` placeholder (spaces inside the braces allowed) and captures NAME. */
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Thrown by {@link fillTemplate} when placeholders are left without a value; lists every one of them. */
export class UnfilledPlaceholdersError extends Error {
  /** The names without a value, sorted and without duplicates. */
  readonly missing: readonly string[];

  constructor(missing: readonly string[]) {
    super(`Manifest placeholders without a value: ${missing.join(", ")}. Set them in env/.env.<name>, ` +
      `env/.env.<name>.user or the process environment.`);
    this.name = "UnfilledPlaceholdersError";
    this.missing = missing;
  }
}

/** Every distinct placeholder name found in the string values of `value`, sorted. */
export function findPlaceholders(value: JsonValue): string[] {
  const names = new Set<string>();
  visitStrings(value, (text) => {
    for (const match of text.matchAll(PLACEHOLDER)) names.add(match[1]);
    return text;
  });
  return [...names].sort();
}

/**
 * Returns a copy of `template` with every `${{NAME}}` replaced by `env[NAME]`.
 * @throws {@link UnfilledPlaceholdersError} naming every placeholder whose variable is undefined.
 */
export function fillTemplate(template: JsonValue, env: TemplateEnv): JsonValue {
  const missing = findPlaceholders(template).filter((name) => env[name] === undefined);
  if (missing.length > 0) throw new UnfilledPlaceholdersError(missing);
  return visitStrings(template, (text) => text.replace(PLACEHOLDER, (_whole, name: string) => env[name] ?? ""));
}

/** Rebuilds `value`, passing every string (not object keys) through `map`. */
function visitStrings(value: JsonValue, map: (text: string) => string): JsonValue {
  if (typeof value === "string") return map(value);
  if (Array.isArray(value)) return value.map((item) => visitStrings(item, map));
  if (value !== null && typeof value === "object") {
    const copy: { [key: string]: JsonValue } = {};
    for (const [key, item] of Object.entries(value)) copy[key] = visitStrings(item, map);
    return copy;
  }
  return value;
}
