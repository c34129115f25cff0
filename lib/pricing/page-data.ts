// What the price book, GPU & overhead settings and request pages load: an entry point, taking the app's database
// handle once per call and passing it down.
import { pool } from "@/lib/db/client";
import { listGpuPools, type GpuPoolView } from "@/lib/pricing/gpu-pools";
import { gpuUtilisation } from "@/lib/pricing/gpu-utilisation";
import { contractStatus, listContracts, type ContractStatus, type ContractView } from "@/lib/pricing/contracts";
import { listPrices, type PriceView } from "@/lib/pricing/price-book";
import type { OverheadConfig } from "@/lib/pricing/schemas";
import { requestCost, type RequestCost } from "@/lib/pricing/request-cost";
import { getSetting } from "@/lib/settings/settings";

export type ListedContract = ContractView & { status: ContractStatus };

/** Settings → Prices: the price entries and the contracts (with history, retired ones too), each contract with its status now. */
export async function pricesPageData(history: boolean): Promise<{ prices: PriceView[]; contracts: ListedContract[] }> {
  const db = pool();
  const [prices, contracts] = await Promise.all([listPrices(db, { history }), listContracts(db, { history })]);
  const now = new Date();
  return { prices, contracts: contracts.map((c) => ({ ...c, status: contractStatus(c, now) })) };
}

/** The GPU pools, the utilisation of their latest `hours` pool-hours, and the overhead loading. */
export async function gpuPageData(
  hours: number,
): Promise<{ pools: GpuPoolView[]; utilisation: Awaited<ReturnType<typeof gpuUtilisation>>; overhead: OverheadConfig }> {
  const db = pool();
  const [pools, utilisation, overhead] = await Promise.all([listGpuPools(db), gpuUtilisation(db, { limit: hours }), getSetting(db, "overhead")]);
  return { pools, utilisation, overhead };
}

export async function requestPageData(requestId: string): Promise<RequestCost | null> {
  return requestCost(pool(), requestId);
}
