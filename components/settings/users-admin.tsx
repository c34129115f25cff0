"use client";
// Users and roles: create users, change roles, disable and re-enable accounts.
import { useRouter } from "next/navigation";
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

  return (
    <div className="space-y-6">
      {error ? <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-700">{error}</p> : null}
      {notice ? <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-emerald-800">{notice}</p> : null}
      <table className="w-full text-left" aria-label="Users">
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="py-2 pr-4">Name</th>
            <th className="py-2 pr-4">Email</th>
            <th className="py-2 pr-4">Role</th>
            <th className="py-2 pr-4">Status</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} className="border-t border-slate-100" data-testid={`user-row-${u.email}`}>
              <td className="py-2 pr-4">{u.name}{u.id === currentUserId ? <span className="ml-2 text-xs text-slate-500">(you)</span> : null}</td>
              <td className="py-2 pr-4">{u.email}</td>
              <td className="py-2 pr-4">
                <select
                  aria-label={`Role of ${u.email}`}
                  value={u.role}
                  onChange={(e) => void update(u.id, { role: e.target.value })}
                  className="rounded-md border border-slate-300 px-2 py-1"
                >
                  {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
                </select>
              </td>
              <td className="py-2 pr-4">
                <button
                  type="button"
                  onClick={() => void update(u.id, { disabled: !u.disabled })}
                  className="rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-50"
                >
                  {u.disabled ? "Disabled · enable" : "Active · disable"}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

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
          <div key={r}><dt className="inline font-medium text-slate-900">{r}</dt>: <dd className="inline">{roleDescriptions[r]}</dd></div>
        ))}
      </dl>
    </div>
  );
}
