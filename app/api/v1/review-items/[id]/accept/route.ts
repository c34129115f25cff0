// POST {reason}: an admin accepts an item without a justification, recording why.
import { route } from "@/lib/auth/api";
import { uuidParam } from "@/lib/http/params";
import { acceptItem } from "@/lib/review/items";
import { acceptItemSchema } from "@/lib/review/schemas";

export const dynamic = "force-dynamic";

// Admins only (mayAcceptItem in lib/auth/policies.ts, checked again by acceptItem): refused before the body is read.
export const POST = route(
  { anyPermission: ["objects.any"], refused: "Only an admin may accept an item without a justification", params: { id: uuidParam("Review item") }, body: acceptItemSchema },
  async ({ params, body, principal }) => Response.json(await acceptItem(params.id, body, principal)),
);
