// Input schemas for API keys.
import { z } from "zod";
import { uuidParam } from "@/lib/http/params";
import { labelled } from "@/lib/http/validation";
import { API_KEY_SCOPES } from "@/lib/auth/permissions";

export const createApiKeySchema = labelled(
  z.object({
    name: z.string().trim().min(1, "name is required").max(100),
    scope: z.enum(API_KEY_SCOPES, { message: "scope must be ingest or admin" }),
  }),
  { what: "API key", labels: { name: "Name", scope: "Scope" }, choices: { scope: { ingest: "ingest: post events", admin: "admin: everything" } } },
);

export const apiKeyIdParams = { id: uuidParam("An active API key with this id") };

export type CreateApiKeyInput = z.output<typeof createApiKeySchema>;
