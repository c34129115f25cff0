"use client";
// The overhead loading: a global percentage and per-feature overrides (an override wins, "0" included;
// empty means the feature uses the global percentage).
import { useApiForm } from "@/components/ui/use-api-form";
import { TableBox } from "@/components/ui/table-box";

type Config = { globalPercent: string | null; perFeature: Record<string, string> };

export function OverheadForm({ config, features }: { config: Config; features: { slug: string; name: string }[] }) {
  const { fields, error, notice, submit } = useApiForm();

  async function save(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (k: string) => String(form.get(k) ?? "").trim();
    const perFeature = Object.fromEntries(features.map((f) => [f.slug, text(`feature:${f.slug}`)]).filter(([, v]) => v !== ""));
    await submit<{ overhead: Config }>("/api/v1/settings/overhead", "PUT", { globalPercent: text("globalPercent") || null, perFeature }, {
      onSuccess: ({ overhead: o }) => {
        const overrides = Object.keys(o.perFeature).length;
        return `Overhead saved: ${o.globalPercent ?? "0"}% globally, ${overrides} feature override${overrides === 1 ? "" : "s"}.`;
      },
    });
  }

  const input = "w-24 rounded-md border border-slate-300 px-2 py-1.5 text-right";
  return (
    <form onSubmit={save} className="space-y-4" aria-label="Overhead">
      {error ? <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-700">{error}</p> : null}
      {notice ? <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-emerald-800">{notice}</p> : null}
      <label className="block">
        <span className="mb-1 block text-xs font-medium text-slate-600">Global overhead (%)</span>
        <input name="globalPercent" defaultValue={config.globalPercent ?? ""} placeholder="0" inputMode="decimal" className={input} />
        {fields.globalPercent ? <span className="mt-1 block text-xs text-red-700">{fields.globalPercent}</span> : null}
      </label>
      <TableBox>
      <table className="text-left" aria-label="Overhead per feature">
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr><th className="py-2 pr-6">Feature</th><th className="py-2 pr-4">Override (%)</th></tr>
        </thead>
        <tbody>
          {features.map((f) => (
            <tr key={f.slug} className="border-t border-slate-100">
              <td className="py-2 pr-6">{f.name} <span className="font-mono text-xs text-slate-500">{f.slug}</span></td>
              <td className="py-2 pr-4">
                <input
                  name={`feature:${f.slug}`}
                  aria-label={`Overhead for ${f.name} (%)`}
                  defaultValue={config.perFeature[f.slug] ?? ""}
                  placeholder="global"
                  inputMode="decimal"
                  className={input}
                />
                {fields[`perFeature.${f.slug}`] ? <span className="mt-1 block text-xs text-red-700">{fields[`perFeature.${f.slug}`]}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      </TableBox>
      <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700">Save overhead</button>
    </form>
  );
}
