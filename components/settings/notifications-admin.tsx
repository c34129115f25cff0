"use client";
// Settings → Notifications: the SMTP server, Slack and webhook channels (secrets are write-only: a saved
// one shows as "set"), a test message through any channel, the retry settings, and the delivery log with
// its dead letters (each can be retried).
import { useState } from "react";
import { Card } from "@/components/ui/card";
import { DataTable, type ColumnDef } from "@/components/ui/data-table";
import { useApiForm } from "@/components/ui/use-api-form";
import { formatCount, formatUtc } from "@/lib/format";

type Channel = {
  id: string;
  kind: "email" | "slack" | "webhook";
  name: string;
  enabled: boolean;
  events: string[];
  config: Record<string, unknown>;
  secretSet: boolean;
  updatedAt: string;
};
type Delivery = {
  id: string;
  kind: string;
  channel: string;
  channelName: string | null;
  recipient: string | null;
  status: "pending" | "delivering" | "delivered" | "dead";
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
};
type DeliveryConfig = { maxAttempts: number; backoffBaseSeconds: number; backoffMaxSeconds: number };

const input = "w-full rounded-md border border-slate-300 px-2 py-1.5";
const label = "mb-1 block text-xs font-medium text-slate-600";
const button = "rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-50";

function Messages({ error, notice }: { error: string | null; notice: string | null }) {
  return (
    <>
      {error ? <p role="alert" className="mb-3 rounded-md bg-red-50 px-3 py-2 text-red-700">{error}</p> : null}
      {notice ? <p role="status" className="mb-3 rounded-md bg-emerald-50 px-3 py-2 text-emerald-800">{notice}</p> : null}
    </>
  );
}

const FieldError = ({ fields, name }: { fields: Record<string, string>; name: string }) =>
  fields[name] ? <span className="mt-1 block text-xs text-red-700">{fields[name]}</span> : null;

/** A whole number typed into a field, or the text as typed (so the server's message names the field). */
const numberOr = (text: string) => (text !== "" && Number.isFinite(Number(text)) ? Number(text) : text);

function EmailForm({ channel }: { channel: Channel | undefined }) {
  const { fields, error, notice, pending, submit } = useApiForm();
  const c = (channel?.config ?? {}) as { host?: string; port?: number; secure?: boolean; user?: string | null; from?: string };
  async function save(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? "").trim();
    const password = String(f.get("password") ?? "");
    const body = {
      kind: "email",
      host: text("host"),
      port: numberOr(text("port")),
      secure: f.get("secure") === "on",
      user: text("user") || null,
      from: text("from"),
      enabled: f.get("enabled") === "on",
      ...(password ? { password } : {}),
    };
    await submit(channel ? `/api/v1/notifications/channels/${channel.id}` : "/api/v1/notifications/channels", channel ? "PUT" : "POST", body, {
      onSuccess: () => "Saved the SMTP server.",
    });
  }
  return (
    <form onSubmit={save} aria-label="SMTP server" className="space-y-3">
      <Messages error={error} notice={notice} />
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <label className="block">
          <span className={label}>SMTP host</span>
          <input name="host" defaultValue={c.host ?? ""} placeholder="smtp.example.com" className={input} />
          <FieldError fields={fields} name="host" />
        </label>
        <label className="block">
          <span className={label}>Port</span>
          <input name="port" defaultValue={String(c.port ?? 587)} inputMode="numeric" className={input} />
          <FieldError fields={fields} name="port" />
        </label>
        <label className="block">
          <span className={label}>User name</span>
          <input name="user" defaultValue={c.user ?? ""} autoComplete="off" className={input} />
          <FieldError fields={fields} name="user" />
        </label>
        <label className="block">
          <span className={label}>Password {channel?.secretSet ? "(set: leave blank to keep it)" : ""}</span>
          <input name="password" type="password" autoComplete="new-password" placeholder={channel?.secretSet ? "••••••• set" : ""} className={input} />
          <FieldError fields={fields} name="password" />
        </label>
        <label className="block sm:col-span-2">
          <span className={label}>From</span>
          <input name="from" defaultValue={c.from ?? ""} placeholder="Cost Review <review@example.com>" className={input} />
          <FieldError fields={fields} name="from" />
        </label>
        <label className="flex items-center gap-2 self-end pb-2">
          <input name="secure" type="checkbox" defaultChecked={c.secure ?? false} />
          <span>TLS from the start (port 465)</span>
        </label>
        <label className="flex items-center gap-2 self-end pb-2">
          <input name="enabled" type="checkbox" defaultChecked={channel?.enabled ?? true} />
          <span>Enabled</span>
        </label>
      </div>
      <button type="submit" disabled={pending} className={button}>{channel ? "Save SMTP server" : "Set up SMTP server"}</button>
    </form>
  );
}

function ChannelsTable({ channels, events }: { channels: Channel[]; events: string[] }) {
  const { fields, error, notice, pending, submit } = useApiForm();
  const remove = useApiForm(undefined, { showsFieldErrors: false });
  const [kind, setKind] = useState<"webhook" | "slack">("webhook");
  const hooks = channels.filter((c) => c.kind !== "email");

  async function add(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const text = (k: string) => String(f.get(k) ?? "").trim();
    const chosen = f.getAll("events").map(String);
    const body =
      kind === "webhook"
        ? { kind, name: text("name"), url: text("url"), secret: String(f.get("secret") ?? ""), events: chosen }
        : { kind, name: text("name"), url: text("url"), events: chosen };
    await submit("/api/v1/notifications/channels", "POST", body, {
      onSuccess: () => {
        form.reset();
        return `Added the ${kind === "slack" ? "Slack channel" : "webhook"}.`;
      },
    });
  }

  const columns: ColumnDef<Channel>[] = [
    { accessorKey: "name", header: "Name" },
    { accessorKey: "kind", header: "Kind", cell: ({ row }) => (row.original.kind === "slack" ? "Slack" : "Webhook") },
    {
      id: "target",
      header: "URL",
      enableSorting: false,
      cell: ({ row }) => (row.original.kind === "webhook" ? <span className="break-all font-mono text-xs">{String(row.original.config.url ?? "")}</span> : <span className="text-slate-500">webhook URL {row.original.secretSet ? "set" : "not set"}</span>),
    },
    { id: "events", header: "Events", enableSorting: false, cell: ({ row }) => (row.original.events.length ? row.original.events.join(", ") : "all") },
    { id: "secret", header: "Secret", enableSorting: false, cell: ({ row }) => (row.original.kind === "webhook" ? (row.original.secretSet ? "set" : "not set") : "—") },
    { id: "enabled", header: "Enabled", accessorFn: (c) => (c.enabled ? "yes" : "no") },
    {
      id: "actions",
      header: "",
      enableSorting: false,
      meta: { className: "text-right" },
      cell: ({ row }) => (
        <button type="button" onClick={() => void remove.submit(`/api/v1/notifications/channels/${row.original.id}`, "DELETE")} className="rounded-md border border-red-200 px-2 py-1 text-red-700 hover:bg-red-50">
          Remove
        </button>
      ),
    },
  ];

  return (
    <div className="space-y-4">
      <Messages error={remove.error} notice={null} />
      {/* No empty table: its header alone would be wider than a phone. */}
      {hooks.length ? (
        <DataTable data={hooks} columns={columns} label="Slack and webhook channels" empty="No Slack or webhook channels yet." />
      ) : (
        <p className="text-slate-600">No Slack or webhook channels yet.</p>
      )}
      <form onSubmit={add} aria-label="Add a channel" className="space-y-3 rounded-md border border-slate-200 p-3">
        <Messages error={error} notice={notice} />
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <label className="block">
            <span className={label}>Kind</span>
            <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as "webhook" | "slack")} className={input}>
              <option value="webhook">Webhook (signed JSON)</option>
              <option value="slack">Slack incoming webhook</option>
            </select>
          </label>
          <label className="block">
            <span className={label}>Name</span>
            <input name="name" placeholder={kind === "slack" ? "#cost-review" : "Incident bridge"} className={input} />
            <FieldError fields={fields} name="name" />
          </label>
          <label className="block sm:col-span-2">
            <span className={label}>{kind === "slack" ? "Incoming-webhook URL (kept secret)" : "URL"}</span>
            <input name="url" placeholder={kind === "slack" ? "https://hooks.slack.com/services/…" : "https://example.com/hooks/cost-review"} className={input} />
            <FieldError fields={fields} name="url" />
          </label>
          {kind === "webhook" ? (
            <label className="block sm:col-span-2">
              <span className={label}>Signing secret (at least 16 characters)</span>
              <input name="secret" type="password" autoComplete="new-password" className={input} />
              <FieldError fields={fields} name="secret" />
            </label>
          ) : null}
          <fieldset className="sm:col-span-2">
            <legend className={label}>Events (none ticked: all)</legend>
            {events.map((ev) => (
              <label key={ev} className="mr-4 inline-flex items-center gap-1.5">
                <input type="checkbox" name="events" value={ev} />
                <span className="font-mono text-xs">{ev}</span>
              </label>
            ))}
          </fieldset>
        </div>
        <button type="submit" disabled={pending} className={button}>Add channel</button>
      </form>
    </div>
  );
}

function TestForm({ channels }: { channels: Channel[] }) {
  const { fields, error, notice, pending, submit } = useApiForm();
  const [channelId, setChannelId] = useState(channels[0]?.id ?? "");
  const chosen = channels.find((c) => c.id === channelId);
  async function send(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const to = String(f.get("to") ?? "").trim();
    await submit<{ id: string }>("/api/v1/notifications/test", "POST", { channelId, ...(chosen?.kind === "email" ? { to } : {}) }, {
      onSuccess: (d) => `Queued test message #${d.id}: the delivery log below shows how it went.`,
    });
  }
  if (!channels.length) return <p className="text-slate-600">Set up a channel first.</p>;
  return (
    <form onSubmit={send} aria-label="Send a test message" className="space-y-3">
      <Messages error={error} notice={notice} />
      <div className="flex flex-wrap items-end gap-3">
        <label className="block">
          <span className={label}>Channel</span>
          <select name="channelId" value={channelId} onChange={(e) => setChannelId(e.target.value)} className={input}>
            {channels.map((c) => (
              <option key={c.id} value={c.id}>{c.kind === "email" ? `Email: ${c.name}` : `${c.kind === "slack" ? "Slack" : "Webhook"}: ${c.name}`}</option>
            ))}
          </select>
          <FieldError fields={fields} name="channelId" />
        </label>
        {chosen?.kind === "email" ? (
          <label className="block">
            <span className={label}>Send to</span>
            <input name="to" type="email" placeholder="you@example.com" className={input} />
            <FieldError fields={fields} name="to" />
          </label>
        ) : null}
        <button type="submit" disabled={pending} className={button}>Send test message</button>
      </div>
    </form>
  );
}

function RetryForm({ delivery }: { delivery: DeliveryConfig }) {
  const { fields, error, notice, pending, submit } = useApiForm();
  async function save(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const n = (k: string) => numberOr(String(f.get(k) ?? "").trim());
    await submit<DeliveryConfig>("/api/v1/settings/notifications", "PUT", { maxAttempts: n("maxAttempts"), backoffBaseSeconds: n("backoffBaseSeconds"), backoffMaxSeconds: n("backoffMaxSeconds") }, {
      onSuccess: (s) => `Saved: up to ${s.maxAttempts} tries, waits from ${s.backoffBaseSeconds} s doubling up to ${s.backoffMaxSeconds} s.`,
    });
  }
  return (
    <form onSubmit={save} aria-label="Retry settings" className="space-y-3">
      <Messages error={error} notice={notice} />
      <div className="flex flex-wrap items-end gap-3">
        {(
          [
            ["maxAttempts", "Tries before giving up", delivery.maxAttempts],
            ["backoffBaseSeconds", "First retry after (seconds)", delivery.backoffBaseSeconds],
            ["backoffMaxSeconds", "Longest wait (seconds)", delivery.backoffMaxSeconds],
          ] as const
        ).map(([name, text, value]) => (
          <label key={name} className="block">
            <span className={label}>{text}</span>
            <input name={name} defaultValue={String(value)} inputMode="numeric" className={`${input} w-40 text-right`} />
            <FieldError fields={fields} name={name} />
          </label>
        ))}
        <button type="submit" disabled={pending} className={button}>Save</button>
      </div>
    </form>
  );
}

const STATUS_STYLE: Record<Delivery["status"], string> = {
  pending: "bg-amber-50 text-amber-800",
  delivering: "bg-sky-50 text-sky-800",
  delivered: "bg-emerald-50 text-emerald-800",
  dead: "bg-red-50 text-red-800",
};

function DeliveryLog({ deliveries }: { deliveries: Delivery[] }) {
  const retry = useApiForm(undefined, { showsFieldErrors: false });
  const dead = deliveries.filter((d) => d.status === "dead").length;
  const columns: ColumnDef<Delivery>[] = [
    { id: "createdAt", header: "Queued (UTC)", accessorFn: (d) => d.createdAt, cell: ({ row }) => formatUtc(row.original.createdAt, true), meta: { className: "num whitespace-nowrap" } },
    { accessorKey: "kind", header: "Event", meta: { className: "font-mono text-xs" } },
    { id: "channel", header: "Channel", accessorFn: (d) => `${d.channel}: ${d.channelName ?? "(removed)"}${d.recipient ? ` → ${d.recipient}` : ""}` },
    {
      accessorKey: "status",
      header: "Status",
      cell: ({ row }) => <span data-testid="delivery-status" className={`rounded px-1.5 py-0.5 text-xs font-medium ${STATUS_STYLE[row.original.status]}`}>{row.original.status === "dead" ? "dead letter" : row.original.status}</span>,
    },
    { accessorKey: "attempts", header: "Tries", cell: ({ row }) => formatCount(row.original.attempts), meta: { className: "num" } },
    {
      id: "when",
      header: "Delivered / next try (UTC)",
      accessorFn: (d) => d.deliveredAt ?? d.nextAttemptAt ?? "",
      cell: ({ row }) => formatUtc(row.original.deliveredAt ?? row.original.nextAttemptAt, true),
      meta: { className: "num whitespace-nowrap" },
    },
    { id: "error", header: "Last error", enableSorting: false, cell: ({ row }) => <span className="break-words text-xs text-slate-700">{row.original.lastError ?? ""}</span> },
    {
      id: "actions",
      header: "",
      enableSorting: false,
      meta: { className: "text-right" },
      cell: ({ row }) =>
        row.original.status === "dead" ? (
          <button type="button" onClick={() => void retry.submit(`/api/v1/notifications/deliveries/${row.original.id}/retry`, "POST")} className="rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-50">
            Retry
          </button>
        ) : null,
    },
  ];
  return (
    <div className="space-y-3">
      <p className="text-slate-600">
        {deliveries.length ? `The last ${formatCount(deliveries.length)} messages, newest first. ` : "Nothing sent yet. "}
        {dead ? `${formatCount(dead)} in the dead-letter list: fix the channel, then retry.` : "No dead letters."}
      </p>
      <Messages error={retry.error} notice={null} />
      {deliveries.length ? (
        <DataTable data={deliveries} columns={columns} label="Delivery log" empty="Nothing sent yet." columnChooser={{ storageKey: "delivery-log-columns", hidden: [] }} />
      ) : null}
    </div>
  );
}

type DigestConfig = { enabled: boolean; day: number; hour: number };
const WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

function DigestForm({ digest, timezone }: { digest: DigestConfig; timezone: string }) {
  const { fields, error, notice, pending, submit } = useApiForm();
  async function save(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    await submit<DigestConfig>("/api/v1/settings/notifications/digest", "PUT", { enabled: f.get("enabled") === "on", day: Number(f.get("day")), hour: Number(f.get("hour")) }, {
      onSuccess: (s) => (s.enabled ? `Saved: the digest goes out on ${WEEKDAY_NAMES[s.day - 1]} at ${String(s.hour).padStart(2, "0")}:00 (${timezone}).` : "Saved: no weekly digest is sent."),
    });
  }
  return (
    <form onSubmit={save} aria-label="Weekly digest" className="space-y-3">
      <Messages error={error} notice={notice} />
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex items-center gap-2 self-center">
          <input type="checkbox" name="enabled" defaultChecked={digest.enabled} />
          <span>Send the weekly digest</span>
        </label>
        <label className="block">
          <span className={label}>Day</span>
          <select name="day" defaultValue={String(digest.day)} className={input}>
            {WEEKDAY_NAMES.map((d, i) => (
              <option key={d} value={i + 1}>{d}</option>
            ))}
          </select>
          <FieldError fields={fields} name="day" />
        </label>
        <label className="block">
          <span className={label}>Hour ({timezone})</span>
          <select name="hour" defaultValue={String(digest.hour)} className={input}>
            {Array.from({ length: 24 }, (_, h) => (
              <option key={h} value={h}>{`${String(h).padStart(2, "0")}:00`}</option>
            ))}
          </select>
          <FieldError fields={fields} name="hour" />
        </label>
        <button type="submit" disabled={pending} className={button}>Save</button>
      </div>
    </form>
  );
}

export function NotificationsAdmin({
  channels,
  delivery,
  digest,
  timezone,
  deliveries,
  events,
}: {
  channels: Channel[];
  delivery: DeliveryConfig;
  digest: DigestConfig;
  timezone: string;
  deliveries: Delivery[];
  events: string[];
}) {
  const email = channels.find((c) => c.kind === "email");
  return (
    <div className="space-y-6">
      <Card title="Email (SMTP)">
        <EmailForm channel={email} />
      </Card>
      <Card title="Slack and webhooks">
        <ChannelsTable channels={channels} events={events} />
      </Card>
      <Card title="Send a test message">
        <TestForm channels={channels} />
      </Card>
      <Card title="Weekly digest">
        <p className="mb-3 max-w-3xl text-slate-600">
          The last complete week's figures, flagged endpoints with why they moved, releases to justify, follow-ups, incidents and coverage:
          by email to everyone who reads the review (unless they switched it off), and to Slack channels and webhooks that take it.
        </p>
        <DigestForm digest={digest} timezone={timezone} />
      </Card>
      <Card title="Retries">
        <p className="mb-3 max-w-3xl text-slate-600">
          A failed delivery is tried again after a wait that doubles each time (with some randomness), or later when the receiver asks
          (Retry-After). After the last try it goes to the dead-letter list.
        </p>
        <RetryForm delivery={delivery} />
      </Card>
      <Card title="Delivery log">
        <DeliveryLog deliveries={deliveries} />
      </Card>
    </div>
  );
}
