export function Card({ title, children, className = "" }: { title?: string; children: React.ReactNode; className?: string }) {
  return (
    <section className={`min-w-0 rounded-lg border border-slate-200 bg-white ${className}`}>
      {title ? <h2 className="border-b border-slate-100 px-4 py-2.5 font-semibold">{title}</h2> : null}
      <div className="p-4">{children}</div>
    </section>
  );
}
