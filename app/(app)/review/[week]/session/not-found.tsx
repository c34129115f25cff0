import { NotFoundPage } from "@/components/ui/status-page";

export default function NotFound() {
  return <NotFoundPage what="Review session" message="There is no review session for this week." />;
}
