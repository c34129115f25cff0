import { NotFoundPage } from "@/components/ui/status-page";

export default function NotFound() {
  return <NotFoundPage what="Customer" message="No event names this customer and no revenue was uploaded for it; or the month is not a month (months look like 2026-03)." />;
}
