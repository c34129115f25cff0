"use client";
// The signed-in frame. From 768 px up: a fixed-width sidebar beside the page. Below 768 px: a top bar
// with the product name and a Menu button (aria-expanded; Escape or following a link closes it) that
// opens the same sidebar over the page. The navigation is rendered once, so it keeps its one
// aria-label ("Main") in both layouts.
import Link from "next/link";
import { useEffect, useRef, useState } from "react";

export function AppShell({ nav, account, children }: { nav: React.ReactNode; account: React.ReactNode; children: React.ReactNode }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    // Escape closes the menu wherever the focus is (the button, a link, or the page) and returns to the button.
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open]);
  const brand = (
    <Link href="/" className="flex items-center gap-2 px-3 text-base font-semibold tracking-tight">
      <img src="/icon.svg" alt="" width={20} height={20} />
      Cost Review
    </Link>
  );
  return (
    <div className="min-h-screen md:flex">
      <header
        data-testid="top-bar"
        className="keep-palette sticky top-0 z-30 flex h-12 items-center justify-between bg-slate-900 pr-2 text-slate-100 md:hidden print:hidden"
      >
        {brand}
        <button
          ref={button}
          type="button"
          aria-expanded={open}
          aria-controls="app-sidebar"
          onClick={() => setOpen((o) => !o)}
          className="flex items-center gap-2 rounded-md px-3 py-1.5 font-medium hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-white"
        >
          <span aria-hidden="true">{open ? "✕" : "☰"}</span>
          Menu
        </button>
      </header>
      <aside
        id="app-sidebar"
        data-testid="sidebar"
        onClick={(e) => {
          // Following a link closes the menu (the page changes under it).
          if ((e.target as HTMLElement).closest("a")) setOpen(false);
        }}
        className={`keep-palette ${open ? "flex" : "hidden"} fixed inset-x-0 top-12 bottom-0 z-20 flex-col overflow-y-auto bg-slate-900 px-3 py-4 text-slate-100 md:static md:flex md:w-52 md:shrink-0 print:hidden`}
      >
        <div className="mb-6 hidden md:block">{brand}</div>
        {nav}
        <div className="mt-6 border-t border-slate-800 pt-3 md:mt-auto">{account}</div>
      </aside>
      <main className="min-w-0 flex-1 px-4 py-4 md:px-8 md:py-6 print:p-0">{children}</main>
    </div>
  );
}
