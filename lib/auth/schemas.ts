// Input schemas for API keys.
import { z } from "zod";
import { uuidParam } from "@/lib/http/params";

export const createApiKeySchema = z.object({
  name: z.string().trim().min(1, "name is required").max(100),
  scope: z.enum(["ingest", "admin"], { message: "scope must be ingest or admin" }),
});

export const apiKeyIdParams = { id: uuidParam("An active API key with this id") };

export type CreateApiKeyInput = z.output<typeof createApiKeySchema>;
