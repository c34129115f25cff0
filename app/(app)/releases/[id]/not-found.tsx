import { NotFoundPage } from "@/components/ui/status-page";

export default function NotFound() {
  return <NotFoundPage what="Release" message="No release has this id. It may have been mistyped, or the link is from another installation." />;
}
