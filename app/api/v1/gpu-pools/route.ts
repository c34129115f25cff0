// GPU pool prices: list (review readers) and create (prices.manage). Creating a price re-prices the
// pool-hours it governs; a closed month among them refuses the change (409).
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { gpuPoolCreateSchema } from "@/lib/pricing/schemas";
import { createGpuPool, listGpuPools } from "@/lib/pricing/gpu-pools";
import { pool } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read" }, async () => Response.json({ pools: await listGpuPools(pool()) }));

export const POST = route({ permission: "prices.manage", body: gpuPoolCreateSchema }, async ({ body, principal }) =>
  Response.json(await createGpuPool(pool(), body, actorOf(principal)), { status: 201 }),
);
