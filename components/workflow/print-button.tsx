"use client";
// Prints the page (the minutes are styled for paper and PDF).
export function PrintButton() {
  return (
    <button type="button" onClick={() => window.print()} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50 print:hidden">
      Print
    </button>
  );
}
