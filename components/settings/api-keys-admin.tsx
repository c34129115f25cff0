"use client";
// API keys: create (the key is shown once), list and revoke.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { DataTable, type ColumnDef } from "@/components/ui/data-table";
import { useApiForm } from "@/components/ui/use-api-form";
import { formatUtc } from "@/lib/format";

type Key = { id: string; name: string; prefix: string; scope: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };

export function ApiKeysAdmin({ keys }: { keys: Key[] }) {
  const router = useRouter();
  const [created, setCreated] = useState<string | null>(null);
  // The form marks no field: its one message names each problem ("The API key is not valid: Name: required.").
  const { error, submit } = useApiForm(undefined, { showsFieldErrors: false });

  async function create(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    await submit<{ key: string }>("/api/v1/api-keys", "POST", { name: form.get("name"), scope: form.get("scope") }, { onSuccess: (d) => setCreated(d.key) });
  }

  async function revoke(id: string) {
    // Refreshed either way: a key revoked meanwhile elsewhere shows as revoked.
    const r = await submit(`/api/v1/api-keys/${id}`, "DELETE");
    if (!r.ok) router.refresh();
  }

  const columns: ColumnDef<Key>[] = [
    { accessorKey: "name", header: "Name" },
    { id: "key", header: "Key", enableSorting: false, cell: ({ row }) => `${row.original.prefix}…`, meta: { className: "font-mono" } },
    { accessorKey: "scope", header: "Scope" },
    {
      id: "lastUsed",
      header: "Last used (UTC)",
      accessorFn: (k) => k.lastUsedAt ?? "",
      meta: { className: "num" },
      cell: ({ row }) => (row.original.lastUsedAt ? formatUtc(row.original.lastUsedAt) : "never"),
    },
    {
      id: "actions",
      header: "",
      enableSorting: false,
      meta: { className: "text-right" },
      cell: ({ row }) =>
        row.original.revokedAt ? (
          <span className="text-slate-500">revoked</span>
        ) : (
          <button type="button" onClick={() => void revoke(row.original.id)} className="rounded-md border border-red-200 px-2 py-1 text-red-700 hover:bg-red-50">
            Revoke
          </button>
        ),
    },
  ];

  return (
    <div className="space-y-6">
      {error ? <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-700">{error}</p> : null}
      {created ? (
        <div role="status" className="rounded-md border border-emerald-200 bg-emerald-50 p-3">
          <p className="font-medium text-emerald-900">Copy this key now: it is not shown again.</p>
          <code data-testid="new-api-key" className="mt-1 block break-all font-mono text-emerald-900">{created}</code>
        </div>
      ) : null}
      <form onSubmit={create} className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4" aria-label="Create an API key">
        <label>
          <span className="mb-1 block text-xs font-medium text-slate-600">Name</span>
          <input name="name" required placeholder="e.g. chat-service production" className="w-72 rounded-md border border-slate-300 px-2 py-1.5" />
        </label>
        <label>
          <span className="mb-1 block text-xs font-medium text-slate-600">Scope</span>
          <select name="scope" defaultValue="ingest" className="rounded-md border border-slate-300 px-2 py-1.5">
            <option value="ingest">ingest: post events</option>
            <option value="admin">admin: everything</option>
          </select>
        </label>
        <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700">Create key</button>
      </form>
      <DataTable data={keys} columns={columns} label="API keys" empty="No API keys yet." />
    </div>
  );
}
