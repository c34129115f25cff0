"use client";
// The price form's parts beyond the token rates: long-context tiers, service tiers, tool fees and modality
// rates, as repeating rows with add and remove. The rows become the API's JSON (lib/pricing/price-form.ts)
// and the API's schema judges them; its errors show beside the field or row they name.
import {
  blankServiceTier,
  blankTier,
  blankToolFee,
  errorsUnder,
  priceFormMessage,
  type ExtraParts,
  type RateInputs,
  type ServiceTierRow,
  type TierRow,
  type TokenRateField,
  type ToolFeeRow,
} from "@/lib/pricing/price-form";
import { TOKEN_RATE_FIELDS, type ModalityRateField } from "@/lib/pricing/price-entry";

const RATE_LABELS: Record<TokenRateField, string> = {
  inputPerMTok: "Input $/MTok",
  cacheReadPerMTok: "Cache read $/MTok",
  cacheWritePerMTok: "Cache write 5 min $/MTok",
  cacheWrite1hPerMTok: "Cache write 1 h $/MTok",
  outputPerMTok: "Output $/MTok",
  reasoningPerMTok: "Reasoning $/MTok",
  toolOutputPerMTok: "Tool output $/MTok",
};
const RATE_PLACEHOLDERS: Partial<Record<TokenRateField, string>> = {
  cacheReadPerMTok: "no rate",
  cacheWritePerMTok: "no rate",
  cacheWrite1hPerMTok: "no rate",
  reasoningPerMTok: "= output",
  toolOutputPerMTok: "= output",
};
const MODALITY_LABELS: Record<ModalityRateField, string> = {
  audioInputPerMTok: "Audio in $/MTok: audio tokens in the prompt",
  audioOutputPerMTok: "Audio out $/MTok: audio tokens generated",
  imageInputPerMTok: "Image in $/MTok: image tokens in the prompt",
};

const labelText = "mb-1 block text-xs font-medium text-slate-600";
const errText = "mt-1 block text-xs text-red-700";
const rowBox = "min-w-0 rounded-md border border-slate-200 p-3";
const grid = "grid grid-cols-2 gap-2 md:grid-cols-4";
const addButton = "rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-50";
const removeButton = "rounded-md border border-red-200 px-2 py-0.5 text-sm text-red-700 hover:bg-red-50";

export function ExtraPartsFields({
  value,
  onChange,
  fields,
  input,
}: {
  value: ExtraParts;
  onChange: (next: ExtraParts) => void;
  /** The API's field errors by path ("entry.tiers.0.inputPerMTok"). */
  fields: Readonly<Record<string, string>>;
  /** The form's input class. */
  input: string;
}) {
  const set = <K extends keyof ExtraParts>(k: K, v: ExtraParts[K]) => onChange({ ...value, [k]: v });
  const at = <T,>(rows: T[], i: number, next: T) => rows.map((r, j) => (j === i ? next : r));
  const without = <T,>(rows: T[], i: number) => rows.filter((_, j) => j !== i);
  const sectionError = (path: string) => (fields[path] ? <span className={errText}>{priceFormMessage(fields[path])}</span> : null);

  /** Inputs for token rates; errors of `prefix.<field>` show under their input. */
  function rateInputs<R extends RateInputs>(row: R, prefix: string, update: (next: R) => void, rowLabel: string) {
    return TOKEN_RATE_FIELDS.map((f) => (
      <label key={f} className="min-w-0">
        <span className={labelText}>{RATE_LABELS[f]}</span>
        <input
          name={`${prefix}.${f}`}
          aria-label={`${rowLabel} ${RATE_LABELS[f]}`}
          inputMode="decimal"
          value={row[f]}
          onChange={(e) => update({ ...row, [f]: e.target.value })}
          placeholder={RATE_PLACEHOLDERS[f] ?? ""}
          className={`${input} num`}
        />
        {fields[`${prefix}.${f}`] ? <span className={errText}>{priceFormMessage(fields[`${prefix}.${f}`]!)}</span> : null}
      </label>
    ));
  }

  /** A row's errors that no input of it shows (the row itself, or a field the form has no input for). */
  function rowErrors(prefix: string, shown: readonly string[]) {
    const rest = errorsUnder(fields, prefix).filter((e) => !shown.includes(e.at));
    return rest.length ? (
      <ul className="mt-2 text-xs text-red-700">
        {rest.map((e) => (
          <li key={e.at}>{e.at ? `${e.at}: ${e.message}` : e.message}</li>
        ))}
      </ul>
    ) : null;
  }

  const tierRow = (t: TierRow, i: number) => {
    const prefix = `entry.tiers.${i}`;
    const name = `Tier ${i + 1}`;
    return (
      <fieldset key={i} className={rowBox}>
        <legend className="px-1 text-sm font-medium">{name}</legend>
        <div className={grid}>
          <label className="min-w-0">
            <span className={labelText}>Above tokens: the prompt size it starts after</span>
            <input
              name={`${prefix}.aboveTokens`}
              aria-label={`${name} above tokens`}
              inputMode="numeric"
              value={t.aboveTokens}
              onChange={(e) => set("tiers", at(value.tiers, i, { ...t, aboveTokens: e.target.value }))}
              placeholder="200000"
              className={`${input} num`}
            />
            {fields[`${prefix}.aboveTokens`] ? <span className={errText}>{fields[`${prefix}.aboveTokens`]}</span> : null}
          </label>
          {rateInputs(t, prefix, (next) => set("tiers", at(value.tiers, i, next)), name)}
        </div>
        {t.keepModalityRates ? <p className="mt-2 text-xs text-slate-500">This tier&apos;s own audio/image rates are kept as they are (change them through the API).</p> : null}
        {rowErrors(prefix, ["aboveTokens", ...TOKEN_RATE_FIELDS])}
        <button type="button" onClick={() => set("tiers", without(value.tiers, i))} className={`${removeButton} mt-2`}>
          Remove tier {i + 1}
        </button>
      </fieldset>
    );
  };

  const serviceTierRow = (t: ServiceTierRow, i: number) => {
    const prefix = `entry.serviceTiers.${t.name.trim()}`;
    const name = `Service tier ${i + 1}`;
    const update = (next: ServiceTierRow) => set("serviceTiers", at(value.serviceTiers, i, next));
    return (
      <fieldset key={i} className={rowBox}>
        <legend className="px-1 text-sm font-medium">{name}</legend>
        <div className={grid}>
          <label className="min-w-0">
            <span className={labelText}>Name: as the provider reports it (flex, priority, batch)</span>
            <input name={`serviceTier.${i}.name`} aria-label={`${name} name`} value={t.name} onChange={(e) => update({ ...t, name: e.target.value })} placeholder="flex" className={input} />
          </label>
          <label className="min-w-0">
            <span className={labelText}>Priced by: a multiplier or its own rates</span>
            <select aria-label={`${name} priced by`} value={t.mode} onChange={(e) => update({ ...t, mode: e.target.value as ServiceTierRow["mode"] })} className={input}>
              <option value="multiplier">Multiplier of the entry&apos;s rates</option>
              <option value="rates">Its own rates</option>
            </select>
          </label>
          {t.mode === "multiplier" ? (
            <label className="min-w-0">
              <span className={labelText}>Multiplier: e.g. 0.5 for half price</span>
              <input
                aria-label={`${name} multiplier`}
                inputMode="decimal"
                value={t.multiplier}
                onChange={(e) => update({ ...t, multiplier: e.target.value })}
                placeholder="0.5"
                className={`${input} num`}
              />
              {fields[`${prefix}.multiplier`] ? <span className={errText}>{fields[`${prefix}.multiplier`]}</span> : null}
            </label>
          ) : (
            rateInputs(t, `${prefix}.rates`, update, name)
          )}
        </div>
        {rowErrors(prefix, t.mode === "multiplier" ? ["multiplier"] : TOKEN_RATE_FIELDS.map((f) => `rates.${f}`))}
        <button type="button" onClick={() => set("serviceTiers", without(value.serviceTiers, i))} className={`${removeButton} mt-2`}>
          Remove service tier {i + 1}
        </button>
      </fieldset>
    );
  };

  const toolFeeRow = (f: ToolFeeRow, i: number) => {
    const path = `entry.toolFees.${f.kind.trim()}`;
    const name = `Tool fee ${i + 1}`;
    const update = (next: ToolFeeRow) => set("toolFees", at(value.toolFees, i, next));
    return (
      <div key={i} className="flex min-w-0 flex-wrap items-end gap-2">
        <label className="min-w-0 flex-1">
          <span className={labelText}>Tool kind: camelCase, as events count it (webSearch)</span>
          <input aria-label={`${name} kind`} value={f.kind} onChange={(e) => update({ ...f, kind: e.target.value })} placeholder="webSearch" className={input} />
        </label>
        <label className="min-w-0 flex-1">
          <span className={labelText}>$ per 1,000 calls</span>
          <input aria-label={`${name} $ per 1,000 calls`} inputMode="decimal" value={f.perThousand} onChange={(e) => update({ ...f, perThousand: e.target.value })} placeholder="10" className={`${input} num`} />
        </label>
        <button type="button" onClick={() => set("toolFees", without(value.toolFees, i))} className={`${removeButton} mb-1`}>
          Remove fee {i + 1}
        </button>
        {f.kind.trim() && fields[path] ? <span className={`${errText} w-full`}>{fields[path]}</span> : null}
      </div>
    );
  };

  return (
    <div className="col-span-2 min-w-0 space-y-4 border-t border-slate-200 pt-3 md:col-span-4">
      <section aria-label="Long-context tiers" className="space-y-2">
        <h3 className="text-sm font-semibold">Long-context tiers</h3>
        <p className="text-xs text-slate-500">When the prompt (input + cache read + cache write tokens) is above the threshold, the whole request is billed at the tier&apos;s rates.</p>
        {sectionError("entry.tiers")}
        {value.tiers.map(tierRow)}
        <button type="button" onClick={() => set("tiers", [...value.tiers, blankTier()])} className={addButton}>Add a tier</button>
      </section>
      <section aria-label="Service tiers" className="space-y-2">
        <h3 className="text-sm font-semibold">Service tiers</h3>
        <p className="text-xs text-slate-500">The tier that served the request (flex, priority, batch, …); default and standard are the rates above.</p>
        {sectionError("entry.serviceTiers")}
        {value.serviceTiers.map(serviceTierRow)}
        <button type="button" onClick={() => set("serviceTiers", [...value.serviceTiers, blankServiceTier()])} className={addButton}>Add a service tier</button>
      </section>
      <section aria-label="Tool fees" className="space-y-2">
        <h3 className="text-sm font-semibold">Tool fees</h3>
        {sectionError("entry.toolFees")}
        {value.toolFees.map(toolFeeRow)}
        <button type="button" onClick={() => set("toolFees", [...value.toolFees, blankToolFee()])} className={addButton}>Add a tool fee</button>
      </section>
      <section aria-label="Modality rates" className="space-y-2">
        <h3 className="text-sm font-semibold">Audio and image rates</h3>
        <p className="text-xs text-slate-500">Only where the provider prices them apart from text. Empty means no rate: audio or image tokens an event counts apart are then left out and the event is marked incomplete.</p>
        <div className="grid grid-cols-1 gap-2 md:grid-cols-3">
          {(Object.keys(MODALITY_LABELS) as ModalityRateField[]).map((f) => (
            <label key={f} className="min-w-0">
              <span className={labelText}>{MODALITY_LABELS[f]}</span>
              <input
                name={`modalityRates.${f}`}
                inputMode="decimal"
                value={value.modality[f]}
                onChange={(e) => set("modality", { ...value.modality, [f]: e.target.value })}
                className={`${input} num`}
              />
              {fields[`entry.modalityRates.${f}`] ? <span className={errText}>{fields[`entry.modalityRates.${f}`]}</span> : null}
            </label>
          ))}
        </div>
        {sectionError("entry.modalityRates")}
      </section>
    </div>
  );
}
