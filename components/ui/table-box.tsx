// The box around a static table (one that neither sorts nor filters; those use DataTable, which does the
// same for its own rows): it scrolls sideways when the table is wider than the page, so the document never
// does, and the table's first column stays in view while it scrolls (sticky, on the row's own opaque
// background). The rules are the `.table-box` class in app/globals.css. Server-safe: no client code.
export function TableBox({ children, className = "" }: { children: React.ReactNode; className?: string }) {
  return <div className={`table-box ${className}`}>{children}</div>;
}
