import { NotFoundPage } from "@/components/ui/status-page";

export default function NotFound() {
  return <NotFoundPage what="Month" message="That is not a month. Months look like 2026-03." />;
}
