"use client";
// The review settings: the organisation's time zone (defines weeks), the flag threshold and minimum
// volume, and per-endpoint threshold overrides (empty = the endpoint uses the global threshold).
import { useApiForm } from "@/components/ui/use-api-form";
import { TableBox } from "@/components/ui/table-box";

type Settings = { timezone: string; thresholdPct: string; minRequests: number; endpointThresholds: Record<string, string> };
type Endpoint = { slug: string; name: string; feature: string };

export function ReviewSettingsForm({ settings, endpoints, timeZones }: { settings: Settings; endpoints: Endpoint[]; timeZones: string[] }) {
  const { fields, error, notice, submit } = useApiForm();

  async function save(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (k: string) => String(form.get(k) ?? "").trim();
    const minText = text("minRequests");
    const min = Number(minText);
    const endpointThresholds = Object.fromEntries(endpoints.map((ep) => [ep.slug, text(`endpoint:${ep.slug}`) || null]));
    await submit<Settings>(
      "/api/v1/settings/review",
      "PUT",
      {
        timezone: text("timezone"),
        thresholdPct: text("thresholdPct"),
        // A non-number goes to the server as is, so its message names the field.
        minRequests: minText !== "" && Number.isFinite(min) ? min : minText,
        endpointThresholds,
      },
      {
        onSuccess: (saved) =>
          `Saved: flag moves of ${saved.thresholdPct}% or more on at least ${saved.minRequests} requests; weeks in ${saved.timezone}.` +
          (saved.timezone !== settings.timezone ? " The rollups are rebuilt for the new time zone within a minute." : ""),
      },
    );
  }

  const input = "rounded-md border border-slate-300 px-2 py-1.5";
  const fieldError = (k: string) => (fields[k] ? <span className="mt-1 block text-xs text-red-700">{fields[k]}</span> : null);
  return (
    <form onSubmit={save} className="space-y-5" aria-label="Review settings">
      {error ? <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-700">{error}</p> : null}
      {notice ? <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-emerald-800">{notice}</p> : null}
      <div className="flex flex-wrap gap-6">
        <label className="block">
          <span className="mb-1 block text-xs font-medium text-slate-600">Time zone (weeks run Monday 00:00 to Sunday 24:00 here)</span>
          <input name="timezone" defaultValue={settings.timezone} list="time-zones" className={`${input} w-64`} />
          <datalist id="time-zones">
            {timeZones.map((z) => <option key={z} value={z} />)}
          </datalist>
          {fieldError("timezone")}
        </label>
        <label className="block">
          <span className="mb-1 block text-xs font-medium text-slate-600">Review threshold (% change in mean cost per request)</span>
          <input name="thresholdPct" defaultValue={settings.thresholdPct} inputMode="decimal" className={`${input} w-24 text-right`} />
          {fieldError("thresholdPct")}
        </label>
        <label className="block">
          <span className="mb-1 block text-xs font-medium text-slate-600">Minimum requests in the week to flag</span>
          <input name="minRequests" defaultValue={String(settings.minRequests)} inputMode="numeric" className={`${input} w-28 text-right`} />
          {fieldError("minRequests")}
        </label>
      </div>
      <TableBox>
      <table className="text-left" aria-label="Threshold per endpoint">
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr><th className="py-2 pr-6">Endpoint</th><th className="py-2 pr-6">Feature</th><th className="py-2 pr-4">Own threshold (%)</th></tr>
        </thead>
        <tbody>
          {endpoints.map((ep) => (
            <tr key={ep.slug} className="border-t border-slate-100">
              <td className="py-2 pr-6">{ep.name} <span className="font-mono text-xs text-slate-500">{ep.slug}</span></td>
              <td className="py-2 pr-6 text-slate-600">{ep.feature}</td>
              <td className="py-2 pr-4">
                <input
                  name={`endpoint:${ep.slug}`}
                  aria-label={`Threshold for ${ep.slug} (%)`}
                  defaultValue={settings.endpointThresholds[ep.slug] ?? ""}
                  placeholder={settings.thresholdPct}
                  inputMode="decimal"
                  className={`${input} w-24 text-right`}
                />
                {fieldError(`endpointThresholds.${ep.slug}`)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      </TableBox>
      <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700">Save review settings</button>
    </form>
  );
}
