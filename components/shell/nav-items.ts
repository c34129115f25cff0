// The main navigation, each entry with the permission that shows it.
import type { Permission } from "@/lib/auth/permissions";
import { roleCan } from "@/lib/auth/permissions";

/** badge: the entry shows a count from the named source (see the app layout). */
export type NavItem = { href: string; label: string; permission: Permission; badge?: "myWork" };

export const NAV_ITEMS: NavItem[] = [
  { href: "/review", label: "Review", permission: "review.read" },
  { href: "/my-work", label: "My work", permission: "review.read", badge: "myWork" },
  { href: "/endpoints", label: "Endpoints", permission: "review.read" },
  { href: "/releases", label: "Releases", permission: "review.read" },
  { href: "/whatif", label: "What if", permission: "review.read" },
  { href: "/follow-ups", label: "Follow-ups", permission: "review.read" },
  { href: "/incidents", label: "Incidents", permission: "review.read" },
  { href: "/budgets", label: "Budgets", permission: "review.read" },
  { href: "/finance", label: "Finance", permission: "finance.read" },
  { href: "/customers", label: "Customers", permission: "finance.read" },
  { href: "/settings", label: "Settings", permission: "settings.manage" },
];

export function navFor(role: string): NavItem[] {
  return NAV_ITEMS.filter((i) => roleCan(role, i.permission));
}
