// One price entry (admins): PATCH makes a new version of it, DELETE retires it. Both re-price the
// affected events; with a dry run ("dryRun": true in the body, ?dryRun=1 for DELETE) they only say how.
import { z } from "zod";
import { jsonBody, route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { badRequest, fieldErrors, notFound } from "@/lib/errors";
import { retirePrice, updatePrice } from "@/lib/pricing/price-book";

export const dynamic = "force-dynamic";

const body = z.object({ entry: z.unknown(), dryRun: z.boolean({ message: "dryRun must be true or false" }).optional() }).strict();
const query = z.object({ dryRun: z.enum(["0", "1", "true", "false"], { message: "dryRun must be 1 or 0" }).optional() });

function priceId(raw: string | undefined): string {
  const id = z.uuid().safeParse(raw);
  if (!id.success) throw notFound("An active price entry with this id");
  return id.data;
}

export const PATCH = route({ permission: "prices.manage" }, async ({ req, principal, params }) => {
  const id = priceId(params.id);
  const parsed = body.safeParse(await jsonBody(req));
  if (!parsed.success) throw badRequest("The request is not valid: send { entry, dryRun? }.", fieldErrors(parsed.error.issues));
  return Response.json(await updatePrice(id, parsed.data.entry, { dryRun: parsed.data.dryRun === true, actor: actorOf(principal) }));
});

export const DELETE = route({ permission: "prices.manage" }, async ({ req, principal, params }) => {
  const id = priceId(params.id);
  const parsed = query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) throw badRequest("The query is not valid.", fieldErrors(parsed.error.issues));
  const dryRun = parsed.data.dryRun === "1" || parsed.data.dryRun === "true";
  return Response.json(await retirePrice(id, { dryRun, actor: actorOf(principal) }));
});
