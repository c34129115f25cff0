// One GPU pool price: change or delete it (prices.manage). The pool-hours whose price changes are
// recomputed in the same transaction; a closed month among them refuses the change (409).
import { z } from "zod";
import { jsonBody, route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { badRequest, fieldErrors, notFound } from "@/lib/errors";
import { gpuPoolUpdateSchema } from "@/lib/pricing/gpu-pool-rules";
import { deleteGpuPool, updateGpuPool } from "@/lib/pricing/gpu-pools";

export const dynamic = "force-dynamic";

export const PATCH = route({ permission: "prices.manage" }, async ({ req, principal, params }) => {
  const parsed = gpuPoolUpdateSchema.safeParse(await jsonBody(req));
  if (!parsed.success) throw badRequest("The change is not valid.", fieldErrors(parsed.error.issues));
  const id = z.uuid().safeParse(params.id);
  if (!id.success) throw notFound("GPU pool price");
  return Response.json(await updateGpuPool(id.data, parsed.data, actorOf(principal)));
});

export const DELETE = route({ permission: "prices.manage" }, async ({ principal, params }) => {
  const id = z.uuid().safeParse(params.id);
  if (!id.success) throw notFound("GPU pool price");
  return Response.json(await deleteGpuPool(id.data, actorOf(principal)));
});
