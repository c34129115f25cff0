"use client";
// Users and roles: create users, change roles, disable and re-enable accounts.
import { useRouter } from "next/navigation";
import { DataTable, type ColumnDef } from "@/components/ui/data-table";
import { useApiForm } from "@/components/ui/use-api-form";

type User = { id: string; email: string; name: string; role: string; disabled: boolean };
const ROLES = ["admin", "owner", "finance", "viewer"] as const;

export function UsersAdmin({ users, currentUserId, roleDescriptions }: {
  users: User[];
  currentUserId: string;
  roleDescriptions: Record<string, string>;
}) {
  const router = useRouter();
  const { fields, error, notice, submit } = useApiForm();

  async function update(id: string, body: Record<string, unknown>) {
    // Refreshed either way, so a refused change shows the role and status as they are.
    const r = await submit(`/api/v1/users/${id}`, "PATCH", body);
    if (!r.ok) router.refresh();
  }

  async function create(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    await submit<{ user: User }>(
      "/api/v1/users",
      "POST",
      {
        email: form.get("email"),
        name: form.get("name"),
        role: form.get("role"),
        password: form.get("password") || undefined,
      },
      {
        onSuccess: (d) => {
          formEl.reset();
          return `Created ${d.user.email}.`;
        },
      },
    );
  }

  const columns: ColumnDef<User>[] = [
    {
      accessorKey: "name",
      header: "Name",
      cell: ({ row: { original: u } }) => (
        <>
          {u.name}
          {u.id === currentUserId ? <span className="ml-2 text-xs text-slate-500">(you)</span> : null}
        </>
      ),
    },
    { accessorKey: "email", header: "Email" },
    {
      accessorKey: "role",
      header: "Role",
      cell: ({ row: { original: u } }) => (
        <select aria-label={`Role of ${u.email}`} value={u.role} onChange={(e) => void update(u.id, { role: e.target.value })} className="rounded-md border border-slate-300 px-2 py-1">
          {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
        </select>
      ),
    },
    {
      id: "status",
      header: "Status",
      accessorFn: (u) => (u.disabled ? "disabled" : "active"),
      cell: ({ row: { original: u } }) => (
        <button type="button" onClick={() => void update(u.id, { disabled: !u.disabled })} className="rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-50">
          {u.disabled ? "Disabled · enable" : "Active · disable"}
        </button>
      ),
    },
  ];

  return (
    <div className="space-y-6">
      {error ? <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-700">{error}</p> : null}
      {notice ? <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-emerald-800">{notice}</p> : null}
      <DataTable
        data={users}
        columns={columns}
        label="Users"
        empty="No users yet."
        filter={{ label: "Filter users", placeholder: "Filter by name or email", match: (u, q) => `${u.name} ${u.email}`.toLowerCase().includes(q) }}
        rowProps={(row) => ({ testId: `user-row-${row.original.email}` })}
      />

      <form onSubmit={create} noValidate className="rounded-lg border border-slate-200 bg-white p-4" aria-label="Add a user">
        <h2 className="mb-3 font-semibold">Add a user</h2>
        <div className="grid grid-cols-1 gap-3 md:grid-cols-4">
          {[
            { name: "name", label: "Name", type: "text" },
            { name: "email", label: "Email", type: "email" },
            { name: "password", label: "Password (optional, for email sign-in)", type: "password" },
          ].map((f) => (
            <div key={f.name}>
              <label className="block">
                <span className="mb-1 block text-xs font-medium text-slate-600">{f.label}</span>
                <input
                  name={f.name}
                  type={f.type}
                  aria-invalid={fields[f.name] ? true : undefined}
                  aria-describedby={fields[f.name] ? `user-${f.name}-error` : undefined}
                  className="w-full rounded-md border border-slate-300 px-2 py-1.5 aria-invalid:border-red-500"
                />
              </label>
              {fields[f.name] ? <span id={`user-${f.name}-error`} className="text-xs text-red-700">{fields[f.name]}</span> : null}
            </div>
          ))}
          <label className="block">
            <span className="mb-1 block text-xs font-medium text-slate-600">Role</span>
            <select name="role" defaultValue="viewer" className="w-full rounded-md border border-slate-300 px-2 py-1.5">
              {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
            </select>
          </label>
        </div>
        <button type="submit" className="mt-3 rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700">Add user</button>
      </form>

      <dl className="grid grid-cols-1 gap-2 text-slate-600 md:grid-cols-2">
        {ROLES.map((r) => (
          <div key={r}><dt className="inline font-medium text-slate-900">{r}:</dt> <dd className="inline">{roleDescriptions[r]}</dd></div>
        ))}
      </dl>
    </div>
  );
}
