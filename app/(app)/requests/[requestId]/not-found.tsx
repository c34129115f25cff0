import { NotFoundPage } from "@/components/ui/status-page";

export default function NotFound() {
  return <NotFoundPage what="Request" message="No events were recorded for this request id." />;
}
