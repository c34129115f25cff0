import Link from "next/link";
import { StatusPage, statusAction } from "@/components/ui/status-page";

export default function Forbidden() {
  return (
    <StatusPage title="Not for your role" message="Your role does not include this page. An admin can change roles in Settings.">
      <Link href="/" className={statusAction}>
        Back to your start page
      </Link>
    </StatusPage>
  );
}
