"use client";
// The review workspace's forms: justification, acceptance without one, comments, follow-ups, follow-up
// status and sign-off. Each calls the JSON API and refreshes the page's server data on success.
import { useState } from "react";
import { useApiForm } from "@/components/ui/use-api-form";
import { JUSTIFICATION_CLASSES, JUSTIFICATION_CLASS_LABELS } from "@/lib/review/justification-classes";
import { pastDueDateWarning } from "@/lib/review/due-date";

type Person = { id: string; name: string; email: string };

const input = "w-full rounded-md border border-slate-300 px-2 py-1.5";
const button = "rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-50";
const secondary = "rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-50 disabled:opacity-50";

const Err = ({ text }: { text: string | null | undefined }) => (text ? <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-700">{text}</p> : null);
const FieldErr = ({ text }: { text: string | undefined }) => (text ? <span className="mt-1 block text-xs text-red-700">{text}</span> : null);

export function JustificationForm({ itemId, label, current }: { itemId: string; label: string; current: { body: string; class: string } | null }) {
  const { pending: busy, error, fields, submit, values, setValue } = useApiForm({ text: current?.body ?? "", class: current?.class ?? "" });
  return (
    <form
      aria-label={`Justify ${label}`}
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        void submit(`/api/v1/review-items/${itemId}/justification`, "PUT", values);
      }}
    >
      <Err text={error} />
      <label className="block">
        <span className="mb-1 block text-xs font-medium text-slate-600">Justification: what changed, and which cohort carries it (Markdown)</span>
        <textarea aria-label={`Justification for ${label}`} value={values.text} onChange={(e) => setValue("text", e.target.value)} rows={4} className={input} />
        <FieldErr text={fields.text} />
      </label>
      <label className="block">
        <span className="mb-1 block text-xs font-medium text-slate-600">Classification</span>
        <select aria-label={`Classification for ${label}`} value={values.class} onChange={(e) => setValue("class", e.target.value)} className="rounded-md border border-slate-300 px-2 py-1.5">
          <option value="">Choose…</option>
          {JUSTIFICATION_CLASSES.map((c) => (
            <option key={c} value={c}>{JUSTIFICATION_CLASS_LABELS[c]}</option>
          ))}
        </select>
        <FieldErr text={fields.class} />
      </label>
      <button type="submit" disabled={busy} className={button}>{current ? "Update justification" : "Save justification"}</button>
    </form>
  );
}

export function AcceptForm({ itemId, label }: { itemId: string; label: string }) {
  const { pending: busy, error, fields, submit, values, setValue } = useApiForm({ reason: "" });
  return (
    <form
      aria-label={`Accept ${label}`}
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        void submit(`/api/v1/review-items/${itemId}/accept`, "POST", values);
      }}
    >
      <Err text={error} />
      <label className="block">
        <span className="mb-1 block text-xs font-medium text-slate-600">Admin: accept without a justification, and say why</span>
        <input aria-label={`Reason for accepting ${label} without justification`} value={values.reason} onChange={(e) => setValue("reason", e.target.value)} className={input} />
        <FieldErr text={fields.reason} />
      </label>
      <button type="submit" disabled={busy} className={secondary}>Accept without justification</button>
    </form>
  );
}

/**
 * A comment, with @mentions picked from the list of people: each picked person is stored with the comment
 * (by id) and notified; "@Name" goes into the text so readers see who was meant.
 */
export function CommentForm({ itemId, label, users = [] }: { itemId: string; label: string; users?: Person[] }) {
  const { pending: busy, error, fields, submit, values, setValue } = useApiForm<{ text: string; mentions: string[] }>({ text: "", mentions: [] });
  const mentioned = users.filter((u) => values.mentions.includes(u.id));
  const pick = (id: string) => {
    const u = users.find((x) => x.id === id);
    if (!u || values.mentions.includes(id)) return;
    setValue("mentions", [...values.mentions, id]);
    setValue("text", `${values.text}${values.text && !values.text.endsWith(" ") ? " " : ""}@${u.name} `);
  };
  return (
    <form
      aria-label={`Comment on ${label}`}
      className="flex flex-wrap items-start gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        const mentions = values.mentions.filter((id) => values.text.includes(`@${users.find((u) => u.id === id)?.name ?? ""}`));
        void submit(`/api/v1/review-items/${itemId}/comments`, "POST", { text: values.text, ...(mentions.length ? { mentions } : {}) }, {
          onSuccess: () => {
            setValue("text", "");
            setValue("mentions", []);
          },
        });
      }}
    >
      <div className="min-w-0 flex-1 basis-56">
        <Err text={error} />
        <input aria-label={`Comment on ${label}`} value={values.text} onChange={(e) => setValue("text", e.target.value)} placeholder="Add a comment" className={input} />
        <FieldErr text={fields.text ?? fields.mentions} />
        {mentioned.length ? <p className="mt-1 text-xs text-slate-600">Notifies: {mentioned.map((u) => u.name).join(", ")}</p> : null}
      </div>
      {users.length ? (
        <select aria-label={`Mention someone in the comment on ${label}`} value="" onChange={(e) => pick(e.target.value)} className="max-w-40 rounded-md border border-slate-300 px-2 py-1.5">
          <option value="">@ Mention…</option>
          {users.map((u) => (
            <option key={u.id} value={u.id} disabled={values.mentions.includes(u.id)}>
              {u.name}
            </option>
          ))}
        </select>
      ) : null}
      <button type="submit" disabled={busy} className={secondary}>Comment</button>
    </form>
  );
}

export function FollowUpForm({ target, label, users, today }: { target: { itemId: string } | { sessionId: string }; label: string; users: Person[]; today: string }) {
  const { pending: busy, error, fields, submit, values, setValue } = useApiForm({ dueDate: "" });
  const [open, setOpen] = useState(false);
  const pastDue = pastDueDateWarning(values.dueDate, today);
  if (!open) {
    return (
      <button type="button" className={secondary} onClick={() => setOpen(true)}>
        Add follow-up{"itemId" in target ? "" : " to the session"}
      </button>
    );
  }
  return (
    <form
      aria-label={`New follow-up for ${label}`}
      className="grid gap-2 rounded-md border border-slate-200 bg-slate-50 p-3 md:grid-cols-2"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const v = (k: string) => String(f.get(k) ?? "").trim();
        void submit("/api/v1/follow-ups", "POST", { ...target, title: v("title"), description: v("description"), assigneeId: v("assigneeId"), dueDate: v("dueDate") }, { onSuccess: () => setOpen(false) });
      }}
    >
      <div className="md:col-span-2"><Err text={error} /></div>
      <label className="block md:col-span-2">
        <span className="mb-1 block text-xs font-medium text-slate-600">Title</span>
        <input name="title" aria-label="Follow-up title" className={input} />
        <FieldErr text={fields.title} />
      </label>
      <label className="block md:col-span-2">
        <span className="mb-1 block text-xs font-medium text-slate-600">Description</span>
        <textarea name="description" aria-label="Follow-up description" rows={2} className={input} />
        <FieldErr text={fields.description} />
      </label>
      <label className="block">
        <span className="mb-1 block text-xs font-medium text-slate-600">Assignee</span>
        <select name="assigneeId" aria-label="Assignee" defaultValue="" className={input}>
          <option value="">Choose…</option>
          {users.map((u) => (
            <option key={u.id} value={u.id}>{u.name} ({u.email})</option>
          ))}
        </select>
        <FieldErr text={fields.assigneeId} />
      </label>
      <label className="block">
        <span className="mb-1 block text-xs font-medium text-slate-600">Due date</span>
        <input name="dueDate" type="date" aria-label="Due date" value={values.dueDate} onChange={(e) => setValue("dueDate", e.target.value)} className={input} />
        <FieldErr text={fields.dueDate} />
        {pastDue ? <span role="status" data-testid="due-date-warning" className="mt-1 block text-xs text-amber-800">{pastDue}</span> : null}
      </label>
      <div className="flex gap-2 md:col-span-2">
        <button type="submit" disabled={busy} className={button}>Create follow-up</button>
        <button type="button" className={secondary} onClick={() => setOpen(false)}>Cancel</button>
      </div>
    </form>
  );
}

export function FollowUpStatusButtons({ id, title, status }: { id: string; title: string; status: "open" | "done" | "wont_do" }) {
  const { pending: busy, error, submit } = useApiForm();
  const set = (s: string) => void submit(`/api/v1/follow-ups/${id}`, "PATCH", { status: s });
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      {status === "open" ? (
        <>
          <button type="button" disabled={busy} className={button} aria-label={`Mark ${title} done`} onClick={() => set("done")}>Mark done</button>
          <button type="button" disabled={busy} className={secondary} aria-label={`Mark ${title} won't do`} onClick={() => set("wont_do")}>Won&apos;t do</button>
        </>
      ) : (
        <button type="button" disabled={busy} className={secondary} aria-label={`Reopen ${title}`} onClick={() => set("open")}>Reopen</button>
      )}
      {error ? <span role="alert" className="text-red-700">{error}</span> : null}
    </span>
  );
}

export function SignOffForm({ sessionId, users, attendees, pending }: { sessionId: string; users: Person[]; attendees: string[]; pending: number }) {
  const { pending: busy, error, fields, submit } = useApiForm();
  const [chosen, setChosen] = useState<Set<string>>(new Set(attendees));
  const [decisions, setDecisions] = useState("");
  // Closing signs the session off for good (only an admin can reopen it), so it takes a second click.
  const [confirming, setConfirming] = useState(false);
  const toggle = (id: string) => setChosen((s) => {
    const n = new Set(s);
    if (n.has(id)) n.delete(id);
    else n.add(id);
    return n;
  });
  return (
    <form
      aria-label="Sign-off"
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        if (!confirming) return setConfirming(true);
        // Asked again next time, whatever the answer (a refusal names what is missing).
        void submit(`/api/v1/review-sessions/${sessionId}/close`, "POST", { attendeeIds: [...chosen], decisions }).then(() => setConfirming(false));
      }}
    >
      <Err text={error} />
      <fieldset>
        <legend className="mb-1 text-xs font-medium text-slate-600">Attendees</legend>
        <div className="flex flex-wrap gap-3">
          {users.map((u) => (
            <label key={u.id} className="inline-flex items-center gap-1.5">
              <input type="checkbox" checked={chosen.has(u.id)} onChange={() => toggle(u.id)} aria-label={`Attendee ${u.name}`} />
              {u.name}
            </label>
          ))}
        </div>
        <FieldErr text={fields.attendeeIds} />
      </fieldset>
      <div className="flex gap-2">
        <button type="button" disabled={busy} className={secondary} onClick={() => void submit(`/api/v1/review-sessions/${sessionId}/attendees`, "PUT", { userIds: [...chosen] })}>
          Save attendees
        </button>
      </div>
      <label className="block">
        <span className="mb-1 block text-xs font-medium text-slate-600">Decisions (optional, recorded in the minutes)</span>
        <textarea aria-label="Decisions" value={decisions} onChange={(e) => setDecisions(e.target.value)} rows={2} className={input} />
        <FieldErr text={fields.decisions} />
      </label>
      <p className="text-slate-600">
        {pending
          ? `${pending} item${pending === 1 ? "" : "s"} still need${pending === 1 ? "s" : ""} a justification or an admin's acceptance before the session can close.`
          : "Every item is justified or accepted. Closing computes the outcome: a clean bill of health when no follow-up is open."}
      </p>
      {confirming ? (
        <div role="group" aria-label="Confirm sign-off" className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3">
          <p className="text-amber-900">
            Close the session with {chosen.size} attendee{chosen.size === 1 ? "" : "s"}? The minutes are final once it closes; only an admin can reopen it.
          </p>
          <div className="flex gap-2">
            <button type="submit" disabled={busy} className={button}>Yes, close the session</button>
            <button type="button" disabled={busy} className={secondary} onClick={() => setConfirming(false)}>Cancel</button>
          </div>
        </div>
      ) : (
        <button type="submit" disabled={busy} className={button}>Close session…</button>
      )}
    </form>
  );
}

/** An admin undoes a sign-off; a second click confirms it. */
export function ReopenSessionButton({ sessionId }: { sessionId: string }) {
  const { pending: busy, error, submit } = useApiForm();
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <button type="button" className={secondary} onClick={() => setConfirming(true)}>
        Reopen session…
      </button>
    );
  }
  return (
    <div role="group" aria-label="Confirm reopening" className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3">
      <Err text={error} />
      <p className="text-amber-900">Reopen the session? Its outcome is cleared and it must be signed off again; the audit log keeps this sign-off.</p>
      <div className="flex gap-2">
        <button type="button" disabled={busy} className={button} onClick={() => void submit(`/api/v1/review-sessions/${sessionId}/reopen`, "POST")}>
          Yes, reopen the session
        </button>
        <button type="button" disabled={busy} className={secondary} onClick={() => setConfirming(false)}>Cancel</button>
      </div>
    </div>
  );
}
