import { NotFoundPage } from "@/components/ui/status-page";

export default function NotFound() {
  return <NotFoundPage what="Week" message="That is not an ISO week. Weeks look like 2026-W07." />;
}
