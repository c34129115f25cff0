import { NotFoundPage } from "@/components/ui/status-page";

export default function NotFound() {
  return <NotFoundPage what="Page" message="There is nothing at this address." />;
}
