// Input schemas of the quality API.
import { z } from "zod";
import { isCalendarDate } from "@/lib/http/input";

const DAY = z.string().refine(isCalendarDate, "must be a real date YYYY-MM-DD");
/** GET /api/v1/quality: ?endpoint=&metric=&from=&to= (days YYYY-MM-DD). */
export const qualityQuery = z.object({
  endpoint: z.string().min(1, "endpoint is required").optional(),
  metric: z.string().min(1).optional(),
  from: DAY.optional(),
  to: DAY.optional(),
});
