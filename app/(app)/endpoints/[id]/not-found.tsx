import { NotFoundPage } from "@/components/ui/status-page";

export default function NotFound() {
  return <NotFoundPage what="Endpoint" message="No endpoint has this id. Endpoints are listed on the Endpoints page." />;
}
