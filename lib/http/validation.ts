// The one way a zod validation failure becomes the API's 400: error.code "invalid_request", a message
// that lists what to fix, and one field error per field ({ path, message }) that a form shows next to
// the field. A schema may carry the labels its form shows (labelled(schema, { labels, choices })): then
// the messages use the label and say what to do ("Assignee: pick a person from the list", "Due date:
// required", "Reason: choose one of Launch, Regression or Unknown") instead of the field's JSON name.
import type { z } from "zod";
import { AppError, type FieldError } from "@/lib/errors";

export type FieldLabels = {
  /** What the input is, for the message: "follow-up" → "The follow-up is not valid: …". */
  what?: string;
  /** `what` is a plural ("invoices" → "The invoices are not valid: …"). */
  plural?: boolean;
  /** Field path (dots, list indexes left out) → the label its form shows: { assigneeId: "Assignee" }. */
  labels?: Readonly<Record<string, string>>;
  /** Field path → value → the words the form shows for that choice. */
  choices?: Readonly<Record<string, Readonly<Record<string, string>>>>;
};

const registry = new WeakMap<z.ZodType, FieldLabels>();

/** Attach the form's field labels to a schema; the same schema object comes back. */
export function labelled<T extends z.ZodType>(schema: T, labels: FieldLabels): T {
  registry.set(schema, labels);
  return schema;
}

export function labelsOf(schema: z.ZodType): FieldLabels {
  return registry.get(schema) ?? {};
}

type Issue = { code?: string; path: ReadonlyArray<PropertyKey>; message: string; expected?: unknown; values?: ReadonlyArray<unknown>; origin?: string; minimum?: unknown };

// Codes that, on an empty field, all mean the same thing: the field was left blank.
const BLANK_CODES = new Set(["invalid_type", "too_small", "invalid_format", "invalid_value", "invalid_union"]);

function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v = input;
  for (const p of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");

/** "a", "a or b", "a, b or c" */
export function orList(words: readonly string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}

const TYPE_WORDS: Record<string, string> = {
  string: "enter text",
  number: "enter a number",
  int: "enter a whole number",
  boolean: "choose yes or no",
  array: "give a list",
  object: "give an object",
  date: "enter a date",
};

/** The path as a field error names it: ["events", 3, "usage"] → "events.3.usage"; the whole input → "(body)". */
const pathKey = (path: ReadonlyArray<PropertyKey>) => path.map(String).join(".") || "(body)";
/** The path a label is looked up by: list indexes left out ("targets.0.cohort" → "targets.cohort"). */
const labelKey = (path: ReadonlyArray<PropertyKey>) => path.filter((p) => typeof p !== "number").map(String).join(".");

/** One labelled field's problems → one message in the form's words, or null when the field has no label. */
function labelledMessage(issues: readonly Issue[], input: unknown, meta: FieldLabels): string | null {
  const first = issues[0]!;
  const key = labelKey(first.path);
  const label = meta.labels?.[key];
  if (!label) return null;
  const value = valueAt(input, first.path);
  if (isBlank(value) && issues.some((i) => BLANK_CODES.has(i.code ?? ""))) return `${label}: required`;
  const choice = issues.find((i) => i.code === "invalid_value" && Array.isArray(i.values));
  if (choice) {
    const words = meta.choices?.[key];
    const names = choice.values!.map((v) => words?.[String(v)] ?? String(v));
    return `${label}: choose one of ${orList(names)}`;
  }
  const typed = issues.find((i) => i.code === "invalid_type" && typeof i.expected === "string");
  if (typed && TYPE_WORDS[typed.expected as string] && /^Invalid input/.test(typed.message)) return `${label}: ${TYPE_WORDS[typed.expected as string]}`;
  return `${label}: ${first.message}`;
}

function formatted(issues: readonly Issue[], input: unknown, meta: FieldLabels): (FieldError & { named: boolean })[] {
  const groups = new Map<string, Issue[]>();
  for (const i of issues) {
    const k = pathKey(i.path);
    groups.set(k, [...(groups.get(k) ?? []), i]);
  }
  const out: (FieldError & { named: boolean })[] = [];
  for (const [path, group] of groups) {
    const message = labelledMessage(group, input, meta);
    if (message !== null) out.push({ path, message, named: true });
    else for (const i of group) out.push({ path, message: i.message, named: path === "(body)" });
  }
  return out;
}

/** zod issues → the field errors of the 400, in the schema's labels where it has them. */
export function formatIssues(issues: readonly Issue[], input: unknown, meta: FieldLabels = {}): FieldError[] {
  return formatted(issues, input, meta).map(({ path, message }) => ({ path, message }));
}

/**
 * The 400 for a failed parse: the message "The follow-up is not valid: Assignee: pick a person from the
 * list; Due date: required." for API clients, the field errors, and `summary`, the message's lead ("The
 * follow-up is not valid"), for a form that shows the field errors beside their fields.
 */
export function validationError(issues: readonly Issue[], input: unknown, meta: FieldLabels = {}, what = "request"): AppError {
  const all = formatted(issues, input, meta);
  const detail = [...new Set(all.map((e) => (e.named ? e.message : `${e.path}: ${e.message}`)))].join("; ");
  const errors = all.map(({ path, message }) => ({ path, message }));
  const summary = `The ${meta.what ?? what} ${meta.plural ? "are" : "is"} not valid`;
  return new AppError("invalid_request", 400, `${summary}: ${detail.replace(/\.$/, "")}.`, { errors, summary });
}

/** Parse input with a schema, or throw the 400 that names every field to fix. */
export function validate<T extends z.ZodType>(schema: T, input: unknown, what = "request"): z.output<T> {
  const r = schema.safeParse(input);
  if (!r.success) throw validationError(r.error.issues as Issue[], input, labelsOf(schema), what);
  return r.data;
}
