"use client";
// My work → Notifications: per kind, email or none. Saving sends every kind (PUT /api/v1/me/notifications).
import { useApiForm } from "@/components/ui/use-api-form";

type Preference = { kind: string; label: string; channel: "email" | "none" };

export function NotificationPreferencesForm({ preferences, emailReady }: { preferences: Preference[]; emailReady: boolean }) {
  const { pending, error, notice, submit, values, setValue } = useApiForm<Record<string, string>>(Object.fromEntries(preferences.map((p) => [p.kind, p.channel])));
  return (
    <form
      aria-label="Notification preferences"
      className="rounded-lg border border-slate-200 bg-white"
      onSubmit={(e) => {
        e.preventDefault();
        void submit("/api/v1/me/notifications", "PUT", { preferences: values }, { onSuccess: () => "Saved." });
      }}
    >
      {!emailReady ? (
        <p className="border-b border-slate-100 bg-amber-50 px-4 py-2.5 text-amber-900">No mail server is set up yet: an admin adds one in Settings → Notifications. Your choices apply once it is.</p>
      ) : null}
      <ul className="divide-y divide-slate-100">
        {preferences.map((p) => (
          <li key={p.kind} className="flex flex-wrap items-center justify-between gap-2 px-4 py-2.5" data-testid={`preference-${p.kind}`}>
            <label htmlFor={`pref-${p.kind}`} className="min-w-0 flex-1 basis-60">
              {p.label}
            </label>
            <select id={`pref-${p.kind}`} value={values[p.kind]} onChange={(e) => setValue(p.kind, e.target.value)} className="rounded-md border border-slate-300 px-2 py-1.5">
              <option value="email">Email</option>
              <option value="none">None</option>
            </select>
          </li>
        ))}
      </ul>
      <div className="flex flex-wrap items-center gap-3 border-t border-slate-100 px-4 py-3">
        <button type="submit" disabled={pending} className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-50">
          Save
        </button>
        {notice ? <span role="status" className="text-green-800">{notice}</span> : null}
        {error ? <span role="alert" className="text-red-700">{error}</span> : null}
      </div>
    </form>
  );
}
