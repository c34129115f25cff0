// What the price book, GPU settings and request pages load: an entry point, taking the app's database
// handle once per call and passing it down.
import { pool } from "@/lib/db/client";
import { listGpuPools, type GpuPoolView } from "@/lib/pricing/gpu-pools";
import { gpuUtilisation } from "@/lib/pricing/gpu-utilisation";
import { listPrices, type PriceView } from "@/lib/pricing/price-book";
import { requestCost, type RequestCost } from "@/lib/pricing/request-cost";

export async function pricesPageData(history: boolean): Promise<PriceView[]> {
  return listPrices(pool(), { history });
}

/** The GPU pools and the utilisation of their latest `hours` pool-hours. */
export async function gpuPageData(hours: number): Promise<{ pools: GpuPoolView[]; utilisation: Awaited<ReturnType<typeof gpuUtilisation>> }> {
  const db = pool();
  const [pools, utilisation] = await Promise.all([listGpuPools(db), gpuUtilisation(db, { limit: hours })]);
  return { pools, utilisation };
}

export async function requestPageData(requestId: string): Promise<RequestCost | null> {
  return requestCost(pool(), requestId);
}
