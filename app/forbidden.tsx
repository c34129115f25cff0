import Link from "next/link";

export default function Forbidden() {
  return (
    <div className="mx-auto max-w-lg py-24 text-center">
      <h1 className="text-2xl font-semibold">Not for your role</h1>
      <p className="mt-2 text-slate-600">Your role does not include this page. An admin can change roles in Settings.</p>
      <Link href="/" className="mt-6 inline-block rounded-md bg-slate-900 px-4 py-2 font-medium text-white">
        Back to your start page
      </Link>
    </div>
  );
}
