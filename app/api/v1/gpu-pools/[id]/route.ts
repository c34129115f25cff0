// One GPU pool price: change or delete it (prices.manage). The pool-hours whose price changes are
// recomputed in the same transaction; a closed month among them refuses the change (409).
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { gpuPoolUpdateSchema } from "@/lib/pricing/schemas";
import { deleteGpuPool, updateGpuPool } from "@/lib/pricing/gpu-pools";
import { gpuPoolIdParams } from "@/lib/pricing/schemas";
import { pool } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const PATCH = route({ permission: "prices.manage", params: gpuPoolIdParams, body: gpuPoolUpdateSchema }, async ({ params, body, principal }) =>
  Response.json(await updateGpuPool(pool(), params.id, body, actorOf(principal))),
);

export const DELETE = route({ permission: "prices.manage", params: gpuPoolIdParams }, async ({ principal, params }) =>
  Response.json(await deleteGpuPool(pool(), params.id, actorOf(principal))),
);
