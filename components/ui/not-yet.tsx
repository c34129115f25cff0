// What a section shows until the part of the product that fills it exists: no invented numbers.
export function NotYet({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white p-6" data-testid="not-yet">
      <h2 className="font-semibold">{title}</h2>
      <div className="mt-2 max-w-2xl space-y-2 text-slate-600">{children}</div>
    </div>
  );
}
