// The main navigation, each entry with the permission that shows it.
import type { Permission } from "@/lib/auth/permissions";
import { roleCan } from "@/lib/auth/permissions";

export type NavItem = { href: string; label: string; permission: Permission };

export const NAV_ITEMS: NavItem[] = [
  { href: "/review", label: "Review", permission: "review.read" },
  { href: "/endpoints", label: "Endpoints", permission: "review.read" },
  { href: "/releases", label: "Releases", permission: "review.read" },
  { href: "/follow-ups", label: "Follow-ups", permission: "review.read" },
  { href: "/incidents", label: "Incidents", permission: "review.read" },
  { href: "/finance", label: "Finance", permission: "finance.read" },
  { href: "/settings", label: "Settings", permission: "settings.manage" },
];

export function navFor(role: string): NavItem[] {
  return NAV_ITEMS.filter((i) => roleCan(role, i.permission));
}
