// Input schemas for releases and their justifications, shared by the API, the Releases page and the CLI.
import { z } from "zod";
import { parseInstant } from "@/lib/http/input";
import { JUSTIFICATION_CLASSES } from "@/lib/review/justification-classes";

const slug = z.string().trim().min(1, "must not be empty").max(200);
const slugList = z
  .union([z.array(slug), slug.transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean))])
  .transform((v) => [...new Set(v)])
  .pipe(z.array(z.string()).max(100, "at most 100 entries"));

const isoTime = (name: string) =>
  z.union([z.string(), z.date()]).transform((v, ctx) => {
    const d = v instanceof Date ? v : parseInstant(v);
    if (!d || Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: "custom", message: `${name} must be an ISO 8601 time such as 2026-11-23T14:05:00Z` });
      return z.NEVER;
    }
    return d;
  });
const shippedAt = isoTime("shippedAt");

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
  .refine((v) => v === null || /^https?:\/\/\S+$/.test(v), "link must be an http:// or https:// URL");

export const createReleaseSchema = z
  .object({
    version: z.string({ message: "version is required" }).trim().min(1, "version is required").max(200),
    title: z.string({ message: "title is required" }).trim().min(1, "title is required").max(500),
    description: optionalText(20_000),
    shippedAt: shippedAt.optional(),
    endpoints: slugList.default([]),
    features: slugList.default([]),
    author: optionalText(200),
    link,
    externalId: optionalText(200),
  })
  .refine((v) => v.endpoints.length + v.features.length > 0, {
    message: "name at least one endpoint or feature the release touched",
    path: ["endpoints"],
  });

export const updateReleaseSchema = z
  .object({
    version: z.string().trim().min(1, "version must not be empty").max(200).optional(),
    title: z.string().trim().min(1, "title must not be empty").max(500).optional(),
    description: optionalText(20_000).optional(),
    shippedAt: shippedAt.optional(),
    endpoints: slugList.optional(),
    features: slugList.optional(),
    author: optionalText(200).optional(),
    link: link.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "nothing to change: send version, title, description, shippedAt, endpoints, features, author or link" });

export const justificationSchema = z.object({
  class: z.enum(JUSTIFICATION_CLASSES, { message: `class must be one of ${JUSTIFICATION_CLASSES.join(", ")}` }),
  text: z.string({ message: "text is required" }).trim().min(1, "text is required: say why the cost moved").max(20_000),
});

export const listReleasesSchema = z.object({
  endpoint: z.string().trim().min(1).optional(),
  feature: z.string().trim().min(1).optional(),
  from: isoTime("from").optional(),
  to: isoTime("to").optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export type CreateReleaseInput = z.infer<typeof createReleaseSchema>;
export type UpdateReleaseInput = z.infer<typeof updateReleaseSchema>;
export type JustificationInput = z.infer<typeof justificationSchema>;
export type ListReleasesQuery = z.infer<typeof listReleasesSchema>;
