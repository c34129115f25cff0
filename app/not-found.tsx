import Link from "next/link";
import { StatusPage, statusAction } from "@/components/ui/status-page";

export default function NotFound() {
  return (
    <StatusPage title="Not found" message="There is nothing at this address.">
      <Link href="/" className={statusAction}>
        Back to your start page
      </Link>
    </StatusPage>
  );
}
