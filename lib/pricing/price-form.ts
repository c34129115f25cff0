// What Settings → Prices' form needs beyond plain inputs, kept pure so it is tested apart from React: the
// entry's four extra parts (long-context tiers, service tiers, tool fees, modality rates) as repeating form
// rows and back to the API's shape, the compact summary the list shows, and the API's messages in the
// form's words. Checking stays with the API: the rows become the same JSON the API takes, and its schema
// (lib/pricing/price-entry.ts) judges them and names the path of each problem, which errorsUnder places
// beside its row. Only what a JSON object cannot say (a name given twice) is caught here.
import { formatCount, formatRatio, formatUsd } from "@/lib/format";
import type { PriceView } from "@/lib/pricing/price-book";
import { Dec, MODALITY_RATE_FIELDS, TOKEN_RATE_FIELDS, toDecimalString, type ModalityRateField, type ModalityRates, type PriceTier, type TokenRates } from "@/lib/pricing/price-entry";

export type TokenRateField = (typeof TOKEN_RATE_FIELDS)[number];
export type RateInputs = Record<TokenRateField, string>;

/** A long-context tier; modality rates a tier already has are kept as they are (the form does not edit them). */
export type TierRow = RateInputs & { aboveTokens: string; keepModalityRates: ModalityRates | null };
export type ServiceTierRow = RateInputs & { name: string; mode: "multiplier" | "rates"; multiplier: string };
/** A tool fee as people read price pages: USD per 1,000 calls (the API stores USD per call). */
export type ToolFeeRow = { kind: string; perThousand: string };
export type ExtraParts = { tiers: TierRow[]; serviceTiers: ServiceTierRow[]; toolFees: ToolFeeRow[]; modality: Record<ModalityRateField, string> };

type Parts = Pick<PriceView, "tiers" | "serviceTiers" | "toolFees" | "modalityRates">;

const blankRates = (): RateInputs => ({ inputPerMTok: "", cacheReadPerMTok: "", cacheWritePerMTok: "", cacheWrite1hPerMTok: "", outputPerMTok: "", reasoningPerMTok: "", toolOutputPerMTok: "" });
export const blankTier = (): TierRow => ({ aboveTokens: "", ...blankRates(), keepModalityRates: null });
export const blankServiceTier = (): ServiceTierRow => ({ name: "", mode: "multiplier", multiplier: "", ...blankRates() });
export const blankToolFee = (): ToolFeeRow => ({ kind: "", perThousand: "" });
export const emptyExtraParts = (): ExtraParts => ({ tiers: [], serviceTiers: [], toolFees: [], modality: { audioInputPerMTok: "", audioOutputPerMTok: "", imageInputPerMTok: "" } });

const ratesInputs = (r: TokenRates): RateInputs => Object.fromEntries(TOKEN_RATE_FIELDS.map((f) => [f, r[f] ?? ""])) as RateInputs;

/** USD per call -> USD per 1,000 calls, exact. */
export function perThousandCalls(perCall: string): string {
  return new Dec(perCall).times(1000).toFixed();
}

/** USD per 1,000 calls -> USD per call, exact; text that is no decimal goes on as typed, for the API to name. */
export function perCall(perThousand: string): string {
  const r = toDecimalString(perThousand);
  return r.ok ? new Dec(r.value).div(1000).toFixed() : perThousand.trim();
}

export function extraPartsOf(p: Parts): ExtraParts {
  return {
    tiers: (p.tiers ?? []).map((t) => ({ aboveTokens: String(t.aboveTokens), ...ratesInputs(t), keepModalityRates: t.modalityRates })),
    serviceTiers: Object.entries(p.serviceTiers ?? {}).map(([name, t]) =>
      t.multiplier !== null ? { ...blankServiceTier(), name, multiplier: t.multiplier } : { ...blankServiceTier(), name, mode: "rates" as const, ...ratesInputs(t.rates!) },
    ),
    toolFees: Object.entries(p.toolFees ?? {}).map(([kind, fee]) => ({ kind, perThousand: perThousandCalls(fee) })),
    modality: Object.fromEntries(MODALITY_RATE_FIELDS.map((f) => [f, p.modalityRates?.[f] ?? ""])) as Record<ModalityRateField, string>,
  };
}

const blank = (s: string) => s.trim() === "";
const ratesBody = (r: RateInputs) => Object.fromEntries(TOKEN_RATE_FIELDS.map((f) => [f, blank(r[f]) ? (f === "inputPerMTok" || f === "outputPerMTok" ? "" : null) : r[f].trim()]));
/** "200000", "200,000" or "200 000" -> 200000; anything else goes on as typed, for the API to name. */
const tokens = (s: string): number | string => (/^\d[\d,_ ]*$/.test(s.trim()) ? Number(s.replace(/[,_ ]/g, "")) : s.trim());

/**
 * The four parts as the API takes them (null when a part is empty; rows left wholly blank are dropped),
 * or the form-level problems a JSON object cannot carry (a service tier or tool kind given twice), by the
 * path the API would use.
 */
export function extraPartsBody(x: ExtraParts): { ok: true; body: Record<string, unknown> } | { ok: false; problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  const tiers = x.tiers
    .filter((t) => !blank(t.aboveTokens) || TOKEN_RATE_FIELDS.some((f) => !blank(t[f])))
    .map((t) => ({ aboveTokens: tokens(t.aboveTokens), ...ratesBody(t), ...(t.keepModalityRates ? { modalityRates: t.keepModalityRates } : {}) }));
  const serviceTiers: Record<string, unknown> = {};
  for (const t of x.serviceTiers) {
    const name = t.name.trim();
    if (!name && blank(t.multiplier) && TOKEN_RATE_FIELDS.every((f) => blank(t[f]))) continue;
    if (name in serviceTiers) problems[`entry.serviceTiers.${name}`] = `service tier "${name}" is listed twice`;
    serviceTiers[name] = t.mode === "multiplier" ? { multiplier: t.multiplier.trim() } : { rates: ratesBody(t) };
  }
  const toolFees: Record<string, string> = {};
  for (const f of x.toolFees) {
    const kind = f.kind.trim();
    if (!kind && blank(f.perThousand)) continue;
    if (kind in toolFees) problems[`entry.toolFees.${kind}`] = `tool kind "${kind}" is listed twice`;
    toolFees[kind] = perCall(f.perThousand);
  }
  const modality = Object.fromEntries(MODALITY_RATE_FIELDS.map((f) => [f, blank(x.modality[f]) ? null : x.modality[f].trim()]));
  if (Object.keys(problems).length) return { ok: false, problems };
  return {
    ok: true,
    body: {
      tiers: tiers.length ? tiers : null,
      serviceTiers: Object.keys(serviceTiers).length ? serviceTiers : null,
      toolFees: Object.keys(toolFees).length ? toolFees : null,
      modalityRates: MODALITY_RATE_FIELDS.some((f) => modality[f] !== null) ? modality : null,
    },
  };
}

/** "webSearch" -> "web search". */
export function toolKindName(kind: string): string {
  return kind.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
}

const MODALITY_SHORT: Record<ModalityRateField, string> = { audioInputPerMTok: "audio in", audioOutputPerMTok: "audio out", imageInputPerMTok: "image in" };

/** The list's one line for the parts beyond token rates: "2 tiers · flex, priority · web search $10.00/1k". */
export function partsSummary(p: Parts): string {
  const out: string[] = [];
  const tiers = p.tiers ?? [];
  if (tiers.length) out.push(`${tiers.length} tier${tiers.length === 1 ? "" : "s"}`);
  const served = Object.keys(p.serviceTiers ?? {});
  if (served.length) out.push(served.join(", "));
  for (const [kind, fee] of Object.entries(p.toolFees ?? {})) out.push(`${toolKindName(kind)} ${formatUsd(perThousandCalls(fee), { mode: "exact" })}/1k`);
  for (const f of MODALITY_RATE_FIELDS) {
    const rate = p.modalityRates?.[f];
    if (rate) out.push(`${MODALITY_SHORT[f]} ${formatUsd(rate, { mode: "exact" })}/1M`);
  }
  return out.join(" · ");
}

/** The same parts in full, for the summary's tooltip. */
export function partsDetail(p: Parts): string {
  const rates = (r: TokenRates) => `${formatUsd(r.inputPerMTok, { mode: "exact" })} in / ${formatUsd(r.outputPerMTok, { mode: "exact" })} out`;
  const out: string[] = [];
  for (const t of p.tiers ?? ([] as PriceTier[])) out.push(`above ${formatCount(t.aboveTokens)} tokens: ${rates(t)}`);
  for (const [name, t] of Object.entries(p.serviceTiers ?? {})) out.push(t.multiplier !== null ? `${name} × ${t.multiplier}` : `${name}: ${rates(t.rates!)}`);
  for (const [kind, fee] of Object.entries(p.toolFees ?? {})) out.push(`${toolKindName(kind)} ${formatUsd(fee, { mode: "exact" })} per call`);
  for (const f of MODALITY_RATE_FIELDS) if (p.modalityRates?.[f]) out.push(`${MODALITY_SHORT[f]} ${formatUsd(p.modalityRates[f], { mode: "exact" })} per 1M`);
  return out.join("; ");
}

/** A contract's discount: "20" -> "20%", "12.5" -> "12.5%", exact (as many places as the contract has). */
export function discountText(percentOff: string): string {
  const d = new Dec(percentOff);
  return formatRatio(d.div(100).toFixed(), { places: d.decimalPlaces() });
}

/** The name of the price form's box that lets unusual rates through. */
export const RATES_CONFIRM_LABEL = "These rates are deliberate";

/**
 * An API message in the price form's words: the API tells its clients to send `ratesConfirmed: true`;
 * the form has a box for that.
 */
export function priceFormMessage(message: string): string {
  return message.replace(/confirm them with ratesConfirmed: true/g, `tick '${RATES_CONFIRM_LABEL}' to save them`);
}

/** The API's field errors under one path (a row), each with the rest of its path ("" for the row itself). */
export function errorsUnder(fields: Readonly<Record<string, string>>, prefix: string): { at: string; message: string }[] {
  return Object.entries(fields)
    .filter(([path]) => path === prefix || path.startsWith(`${prefix}.`))
    .map(([path, message]) => ({ at: path.slice(prefix.length + 1), message: priceFormMessage(message) }));
}
