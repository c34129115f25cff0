// PUT /api/v1/customer-revenue { rows: [{ month, customerId, feature?, amountUsd }] }: revenue per customer and
// month (feature optional); a row replaces the one for the same month, customer and feature.
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { saveRevenue } from "@/lib/customers/customers";
import { revenueUploadSchema } from "@/lib/customers/schemas";

export const dynamic = "force-dynamic";

export const PUT = route({ permission: "finance.write", body: revenueUploadSchema }, async ({ body, principal }) => Response.json(await saveRevenue(body, actorOf(principal))));
