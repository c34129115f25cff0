import Link from "next/link";

const TABS = [
  { href: "/settings", label: "Users and roles" },
  { href: "/settings/api-keys", label: "API keys" },
  { href: "/settings/prices", label: "Prices" },
  { href: "/settings/gpu", label: "GPU & overhead" },
  { href: "/settings/review", label: "Review" },
  { href: "/settings/notifications", label: "Notifications" },
  { href: "/settings/upload", label: "Upload events" },
  { href: "/settings/audit", label: "Audit log" },
];

export function SettingsTabs({ current }: { current: string }) {
  return (
    <nav aria-label="Settings" className="mb-6 flex flex-wrap gap-x-1 border-b border-slate-200">
      {TABS.map((t) => (
        <Link
          key={t.href}
          href={t.href}
          aria-current={t.href === current ? "page" : undefined}
          className={`-mb-px border-b-2 px-3 py-2 font-medium ${
            t.href === current ? "border-slate-900 text-slate-900" : "border-transparent text-slate-500 hover:text-slate-900"
          }`}
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
