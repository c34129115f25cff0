// Input schemas of the review: the weekly figures, coverage and "why it moved" queries, and the workflow
// (sessions, movement items, follow-ups, sign-off) with the labels their forms show: a validation
// failure reads "Assignee: pick a person from the list".
import Decimal from "decimal.js";
import { z } from "zod";
import { uuidField, weekParam } from "@/lib/http/params";
import { labelled } from "@/lib/http/validation";
import { JUSTIFICATION_CLASSES, JUSTIFICATION_CLASS_LABELS } from "@/lib/review/justification-classes";

export const FOLLOW_UP_STATUSES = ["open", "done", "wont_do"] as const;
const STATUS_WORDS = { open: "Open", done: "Done", wont_do: "Won't do", all: "All" };

/** A calendar date as YYYY-MM-DD that exists (2026-02-30 does not). */
const calendarDate = z
  .string({ error: "enter a date" })
  .regex(/^\d{4}-\d{2}-\d{2}$/, "enter a date as YYYY-MM-DD")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), "enter a date that exists on the calendar");

const blank = (v: unknown) => (v === "" ? undefined : v);

const followUpLabels = {
  sessionId: "Review session",
  itemId: "Review item",
  title: "Title",
  description: "Description",
  assigneeId: "Assignee",
  dueDate: "Due date",
  status: "Status",
};

export const createFollowUpSchema = labelled(
  z
    .object({
      sessionId: uuidField("give the review session's id").optional(),
      itemId: uuidField("give the review item's id").optional(),
      title: z.string({ error: "enter a title" }).trim().min(1).max(200, "keep it to 200 characters"),
      description: z.string({ error: "enter text" }).max(10_000, "keep it to 10,000 characters").default(""),
      assigneeId: uuidField("pick a person from the list"),
      dueDate: calendarDate,
    })
    .refine((b) => b.sessionId !== undefined || b.itemId !== undefined, { message: "give the sessionId or the itemId the follow-up comes from", path: ["sessionId"] }),
  { what: "follow-up", labels: followUpLabels },
);

export const updateFollowUpSchema = labelled(
  z
    .object({
      status: z.enum(FOLLOW_UP_STATUSES).optional(),
      title: z.string({ error: "enter a title" }).trim().min(1).max(200, "keep it to 200 characters").optional(),
      description: z.string({ error: "enter text" }).max(10_000, "keep it to 10,000 characters").optional(),
      assigneeId: uuidField("pick a person from the list").optional(),
      dueDate: calendarDate.optional(),
    })
    .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "nothing to change: give status, title, description, assigneeId or dueDate" }),
  { what: "follow-up change", labels: followUpLabels, choices: { status: STATUS_WORDS } },
);

/** ?status=&assignee=&overdue= (an empty parameter is no filter). */
export const followUpFilterSchema = labelled(
  z
    .object({
      status: z.preprocess(blank, z.enum([...FOLLOW_UP_STATUSES, "all"]).optional()),
      assignee: z.preprocess(blank, uuidField("pick a person from the list").optional()),
      overdue: z.preprocess(blank, z.enum(["1", "0", "true", "false"], { error: "overdue must be 1 or 0" }).optional()),
    })
    .transform((f): FollowUpFilter => ({ status: f.status, assigneeId: f.assignee, overdue: f.overdue === "1" || f.overdue === "true" })),
  { what: "filter", labels: { status: "Status", assignee: "Assignee" }, choices: { status: STATUS_WORDS } },
);

export const justifyItemSchema = labelled(
  z.object({
    text: z.string({ error: "say what changed and which cohort carries it" }).trim().min(1).max(20_000, "keep it to 20,000 characters"),
    class: z.enum(JUSTIFICATION_CLASSES),
  }),
  { what: "justification", labels: { text: "Justification", class: "Classification" }, choices: { class: JUSTIFICATION_CLASS_LABELS } },
);

export const acceptItemSchema = labelled(
  z.object({
    reason: z.string({ error: "say why the item is accepted without a justification" }).trim().min(1).max(5_000, "keep it to 5,000 characters"),
  }),
  { what: "acceptance", labels: { reason: "Reason" } },
);

const userIdList = z.array(uuidField("pick people from the list"), { error: "pick people from the list" }).max(200, "pick at most 200 people");

export const commentSchema = labelled(
  z.object({
    text: z.string({ error: "write the comment" }).trim().min(1).max(10_000, "keep it to 10,000 characters"),
    /** The people the comment @mentions, picked from the list: each is notified. */
    mentions: userIdList.max(20, "mention at most 20 people").optional(),
  }),
  { what: "comment", labels: { text: "Comment", mentions: "Mentions" } },
);

export const attendeesSchema = labelled(z.object({ userIds: userIdList }), { what: "attendee list", labels: { userIds: "Attendees" } });

export const closeSessionSchema = labelled(
  z.object({
    attendeeIds: userIdList.optional(),
    decisions: z.string({ error: "enter text" }).max(20_000, "keep it to 20,000 characters").optional(),
  }),
  { what: "sign-off", labels: { attendeeIds: "Attendees", decisions: "Decisions" } },
);

export const openSessionSchema = labelled(z.object({ week: weekParam }), { what: "review session" });
export const sessionWeekQuery = z.object({ week: weekParam.optional() });

export type CreateFollowUpInput = z.output<typeof createFollowUpSchema>;
export type UpdateFollowUpInput = z.output<typeof updateFollowUpSchema>;
export type FollowUpFilter = { status?: (typeof FOLLOW_UP_STATUSES)[number] | "all"; assigneeId?: string; overdue?: boolean };
export type JustifyItemInput = z.output<typeof justifyItemSchema>;
export type AcceptItemInput = z.output<typeof acceptItemSchema>;
export type CommentInput = z.output<typeof commentSchema>;
export type AttendeesInput = z.output<typeof attendeesSchema>;
export type CloseSessionInput = z.output<typeof closeSessionSchema>;

// ---- The weekly figures, coverage and "why it moved"
/** ?week=YYYY-Www (default: the last complete week) &groupBy=endpoint,cohort */
export const weeklyQuery = z.object({
  week: weekParam.optional(),
  groupBy: z
    .string()
    .default("endpoint")
    .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(["endpoint", "cohort"], { message: "groupBy takes endpoint, cohort or both (endpoint,cohort)" })).max(2)),
});

/** ?week=YYYY-Www (default: the last complete week) */
export const coverageQuery = z.object({ week: weekParam.optional() });

/** ?endpoint=chat.answer (or "(unattributed)") &week=YYYY-Www */
export const whyItMovedQuery = z.object({
  week: weekParam.optional(),
  endpoint: z.string({ error: "endpoint is required: an endpoint slug, or (unattributed)" }).min(1, "endpoint is required: an endpoint slug, or (unattributed)"),
});

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** PUT /api/v1/settings/review: the time zone, flag threshold, minimum volume and per-endpoint thresholds, each optional. */
export const reviewSettingsSchema = labelled(
  z.object({
    timezone: z.string().refine(isTimeZone, "timezone must be an IANA time zone such as UTC or Europe/Berlin").optional(),
    thresholdPct: z
      .string()
      .refine((v) => /^\d+(\.\d+)?$/.test(v) && new Decimal(v).gt(0) && new Decimal(v).lte(1000), "thresholdPct must be a decimal string between 0 and 1000, e.g. \"10\"")
      .optional(),
    minRequests: z.number().int("minRequests must be a whole number").min(0).max(1_000_000_000).optional(),
    /** Per-endpoint threshold overrides by endpoint slug; null removes an endpoint's override. */
    endpointThresholds: z
      .record(
        z.string(),
        z
          .string()
          .refine((v) => /^\d+(\.\d{1,2})?$/.test(v) && new Decimal(v).gt(0) && new Decimal(v).lte(1000), "must be a decimal string between 0 and 1000 with at most 2 decimals, e.g. \"15\"")
          .nullable(),
      )
      .optional(),
  }),
  { what: "review settings", plural: true },
);
