// Input schemas for releases and their justifications, shared by the API, the Releases page and the CLI.
import { z } from "zod";
import { parseInstant } from "@/lib/http/input";
import { uuidParam } from "@/lib/http/params";
import { labelled } from "@/lib/http/validation";
import { JUSTIFICATION_CLASSES, JUSTIFICATION_CLASS_LABELS } from "@/lib/review/justification-classes";

const slug = z.string().trim().min(1, "must not be empty").max(200);
const slugList = z
  .union([z.array(slug), slug.transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean))])
  .transform((v) => [...new Set(v)])
  .pipe(z.array(z.string()).max(100, "at most 100 entries"));

const isoTime = (message: string) =>
  z.union([z.string(), z.date()]).transform((v, ctx) => {
    const d = v instanceof Date ? v : parseInstant(v);
    if (!d || Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    }
    return d;
  });
const shippedAt = isoTime("enter an ISO 8601 time such as 2026-11-23T14:05:00Z");

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `at most ${max} characters`)
    .nullish()
    .transform((v) => (v ? v : null));

const link = z
  .string()
  .trim()
  .max(2000)
  .nullish()
  .transform((v) => (v ? v : null))
  .refine((v) => v === null || /^https?:\/\/\S+$/.test(v), "enter an http:// or https:// URL");

const releaseLabels = {
  version: "Version",
  title: "Title",
  description: "Description",
  shippedAt: "Shipped at",
  endpoints: "Endpoints touched",
  features: "Features touched",
  author: "Author",
  link: "Link",
  externalId: "External id",
  scenarioId: "What-if scenario",
  scenarioCandidate: "Candidate that shipped",
};

// The what-if scenario a release was decided on (a saved scenario's id, or null for none) and which of its
// candidates shipped (1-based here as the form shows it; stored 0-based). See lib/releases/scenario-check.ts.
const scenarioId = z.uuid("pick a saved what-if scenario").nullish();
const scenarioCandidate = z
  .number({ message: "enter the number of the candidate that shipped, from 1 to 5" })
  .int("enter the number of the candidate that shipped, from 1 to 5")
  .min(1, "enter the number of the candidate that shipped, from 1 to 5")
  .max(5, "enter the number of the candidate that shipped, from 1 to 5")
  .nullish();

export const createReleaseSchema = labelled(
  z
    .object({
      version: z.string({ message: "enter the version" }).trim().min(1).max(200, "keep it to 200 characters"),
      title: z.string({ message: "say what changed, in a line" }).trim().min(1).max(500, "keep it to 500 characters"),
      description: optionalText(20_000),
      shippedAt: shippedAt.optional(),
      endpoints: slugList.default([]),
      features: slugList.default([]),
      author: optionalText(200),
      link,
      externalId: optionalText(200),
      scenarioId,
      scenarioCandidate,
    })
    .refine((v) => v.endpoints.length + v.features.length > 0, {
      message: "name at least one endpoint or feature the release touched",
      path: ["endpoints"],
    })
    .refine((v) => v.scenarioCandidate == null || v.scenarioId != null, { message: "pick the what-if scenario the candidate belongs to", path: ["scenarioCandidate"] }),
  { what: "release", labels: releaseLabels },
);

export const updateReleaseSchema = labelled(
  z
    .object({
      version: z.string({ message: "enter the version" }).trim().min(1).max(200, "keep it to 200 characters").optional(),
      title: z.string({ message: "say what changed, in a line" }).trim().min(1).max(500, "keep it to 500 characters").optional(),
      description: optionalText(20_000).optional(),
      shippedAt: shippedAt.optional(),
      endpoints: slugList.optional(),
      features: slugList.optional(),
      author: optionalText(200).optional(),
      link: link.optional(),
      scenarioId,
      scenarioCandidate,
    })
    .refine((v) => Object.keys(v).length > 0, { message: "nothing to change: send version, title, description, shippedAt, endpoints, features, author, link or scenarioId" }),
  { what: "change", labels: releaseLabels },
);

export const justificationSchema = labelled(
  z.object({
    class: z.enum(JUSTIFICATION_CLASSES),
    text: z.string({ message: "say why the cost per request moved" }).trim().min(1).max(20_000, "keep it to 20,000 characters"),
  }),
  { what: "justification", labels: { class: "Reason", text: "Explanation" }, choices: { class: JUSTIFICATION_CLASS_LABELS } },
);

export const releaseIdParams = { id: uuidParam("Release") };

export const listReleasesSchema = z.object({
  endpoint: z.string().trim().min(1).optional(),
  feature: z.string().trim().min(1).optional(),
  from: isoTime("from must be an ISO 8601 time such as 2026-11-23T14:05:00Z").optional(),
  to: isoTime("to must be an ISO 8601 time such as 2026-11-23T14:05:00Z").optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export type CreateReleaseInput = z.infer<typeof createReleaseSchema>;
export type UpdateReleaseInput = z.infer<typeof updateReleaseSchema>;
export type JustificationInput = z.infer<typeof justificationSchema>;
export type ListReleasesQuery = z.infer<typeof listReleasesSchema>;

/** Recording and editing releases: deploy pipelines (ingest or admin keys), admins and feature owners. */
export const RECORD_RELEASE = {
  anyPermission: ["events.ingest", "review.write"],
  refused: "Recording a release needs an ingest or admin API key, or the admin or owner role",
} as const;

/** The release comparison window: how many days before and after a release are compared (PUT /api/v1/settings/releases). */
export const releaseSettingsSchema = labelled(
  z.object({
    windowDays: z
      .number({ message: "windowDays must be a whole number of days from 1 to 90" })
      .int("windowDays must be a whole number of days from 1 to 90")
      .min(1, "windowDays must be a whole number of days from 1 to 90")
      .max(90, "windowDays must be a whole number of days from 1 to 90"),
  }),
  { what: "release settings", plural: true },
);
export type ReleaseSettings = z.output<typeof releaseSettingsSchema>;

/** The gate's default minimum number of requests after the release. */
export const GATE_MIN_REQUESTS = 30;

/** GET /api/v1/gate: ?endpoint=&since=&cohort=&minRequests= (the release gate CI calls). */
export const gateQuery = z.object({
  endpoint: z.string().min(1, "endpoint is required (the endpoint's slug)"),
  since: z.iso.datetime({ offset: true, message: "since must be an ISO 8601 time such as 2026-11-20T09:00:00Z" }),
  cohort: z.string().min(1).optional(),
  minRequests: z.coerce.number().int("minRequests must be a whole number").min(1, "minRequests must be 1 or more").max(1_000_000_000, "minRequests must be at most 1,000,000,000").default(GATE_MIN_REQUESTS),
});
