// GPU pool prices: list (review readers) and create (prices.manage). Creating a price re-prices the
// pool-hours it governs; a closed month among them refuses the change (409).
import { jsonBody, route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { badRequest, fieldErrors } from "@/lib/errors";
import { gpuPoolCreateSchema } from "@/lib/pricing/gpu-pool-rules";
import { createGpuPool, listGpuPools } from "@/lib/pricing/gpu-pools";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read" }, async () => Response.json({ pools: await listGpuPools() }));

export const POST = route({ permission: "prices.manage" }, async ({ req, principal }) => {
  const parsed = gpuPoolCreateSchema.safeParse(await jsonBody(req));
  if (!parsed.success) throw badRequest("The GPU pool price is not valid.", fieldErrors(parsed.error.issues));
  return Response.json(await createGpuPool(parsed.data, actorOf(principal)), { status: 201 });
});
