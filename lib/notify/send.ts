// Sends one outbox message through its channel: email over SMTP (nodemailer), a Slack incoming webhook
// (Block Kit), or a generic webhook (signed JSON). A failure is a DeliveryFailure: whether trying again
// can help (a 4xx other than 408/425/429 cannot) and how long the receiver asked us to wait (Retry-After).
// No secret reaches an error message: the SMTP password, the Slack URL and the signing secret are cut out.
import { createHash } from "node:crypto";
import nodemailer from "nodemailer";
import type { LoadedChannel } from "@/lib/notify/channels";
import type { MessagePayload } from "@/lib/notify/outbox";
import { parseRetryAfter } from "@/lib/http/retry-after";
import { SIGNATURE_HEADER, signatureHeader } from "@/lib/notify/signature";

/** How long one send may take before it counts as failed (well inside the worker's lease). */
export const SEND_TIMEOUT_MS = 15_000;

export class DeliveryFailure extends Error {
  constructor(
    message: string,
    /** Trying again cannot help (e.g. 404, 410, a rejected address, a removed channel). */
    readonly permanent = false,
    /** The receiver's Retry-After, in milliseconds. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = "DeliveryFailure";
  }
}

/** The message as the worker hands it over. */
export type Sendable = { id: string; kind: string; recipient: string | null; payload: MessagePayload; idempotencyKey: string; createdAt: Date };

/** The Message-ID of an email: derived from the idempotency key, so a message sent twice has one id. */
export function messageIdFor(idempotencyKey: string, from: string): string {
  const domain = /@([^\s@<>]+)>?\s*$/.exec(from)?.[1] ?? "cost-review.invalid";
  return `<${createHash("sha256").update(idempotencyKey).digest("hex").slice(0, 40)}@${domain}>`;
}

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** The HTML part when the payload has none: the text's paragraphs, escaped, and the link. */
export function htmlOf(p: MessagePayload): string {
  if (p.html) return p.html;
  const paras = p.text.split(/\n{2,}/).map((para) => `<p>${escapeHtml(para).replace(/\n/g, "<br>")}</p>`);
  if (p.link) paras.push(`<p><a href="${escapeHtml(p.link)}">${escapeHtml(p.link)}</a></p>`);
  return `<!doctype html><html><body style="font-family: system-ui, sans-serif; line-height: 1.5">${paras.join("")}</body></html>`;
}

const textOf = (p: MessagePayload) => (p.link ? `${p.text}\n\n${p.link}\n` : `${p.text}\n`);

/** The Slack message: a plain-text fallback and Block Kit blocks (the payload's own, or a header, the text, a link button). */
export function slackBody(p: MessagePayload): { text: string; blocks: unknown[] } {
  if (p.blocks) return { text: p.subject, blocks: p.blocks };
  const blocks: unknown[] = [
    { type: "header", text: { type: "plain_text", text: p.subject.slice(0, 150), emoji: false } },
    { type: "section", text: { type: "mrkdwn", text: p.text.slice(0, 3000) } },
  ];
  if (p.link) blocks.push({ type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Open in Cost Review" }, url: p.link }] });
  return { text: p.subject, blocks };
}

/** A webhook's JSON body: the event with its id (the idempotency key), type, time and data. */
export function webhookBody(m: Sendable): string {
  return JSON.stringify({ id: m.idempotencyKey, type: m.kind, createdAt: m.createdAt.toISOString(), data: m.payload.data });
}

/** The message with each secret cut out; a secret URL's path too (a receiver may echo the path it was called on). */
function redact(message: string, secrets: readonly (string | null | undefined)[]): string {
  const parts: string[] = [];
  for (const s of secrets) {
    if (!s) continue;
    parts.push(s);
    try {
      const u = new URL(s);
      if (u.pathname.length > 1) parts.push(`${u.pathname}${u.search}`, u.pathname);
    } catch {
      /* not a URL */
    }
  }
  let out = message;
  for (const p of parts.sort((a, b) => b.length - a.length)) if (p.length >= 4) out = out.split(p).join("[secret]");
  return out.slice(0, 1000);
}

const PERMANENT_HTTP = (status: number) => status >= 400 && status < 500 && ![408, 425, 429].includes(status);

async function post(url: string, body: string, headers: Record<string, string>, secrets: readonly (string | null)[]): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { method: "POST", body, headers: { "Content-Type": "application/json", "User-Agent": "Cost-Review-Notifications", ...headers }, redirect: "manual", signal: AbortSignal.timeout(SEND_TIMEOUT_MS) });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why = e.name === "TimeoutError" ? `no answer within ${SEND_TIMEOUT_MS / 1000} s` : (e.cause?.code ?? e.cause?.message ?? e.message);
    throw new DeliveryFailure(redact(`could not reach the receiver: ${why}`, secrets));
  }
  if (res.status >= 200 && res.status < 300) {
    await res.body?.cancel().catch(() => undefined);
    return;
  }
  const text = (await res.text().catch(() => "")).replace(/\s+/g, " ").trim().slice(0, 200);
  const retryAfter = res.status === 429 || res.status === 503 ? parseRetryAfter(res.headers.get("retry-after")) : null;
  const what = res.status >= 300 && res.status < 400 ? `redirected (HTTP ${res.status}); give the final URL` : `HTTP ${res.status}${text ? `: ${text}` : ""}`;
  throw new DeliveryFailure(redact(`the receiver answered ${what}`, secrets), PERMANENT_HTTP(res.status), retryAfter);
}

async function sendEmail(channel: LoadedChannel, m: Sendable): Promise<void> {
  const c = channel.config as { host: string; port: number; secure: boolean; user: string | null; from: string };
  const transport = nodemailer.createTransport({
    host: c.host,
    port: c.port,
    secure: c.secure,
    auth: c.user ? { user: c.user, pass: channel.secret ?? "" } : undefined,
    connectionTimeout: SEND_TIMEOUT_MS,
    greetingTimeout: SEND_TIMEOUT_MS,
    socketTimeout: SEND_TIMEOUT_MS,
  });
  try {
    await transport.sendMail({
      from: c.from,
      to: m.recipient!,
      subject: m.payload.subject,
      text: textOf(m.payload),
      html: htmlOf(m.payload),
      messageId: messageIdFor(m.idempotencyKey, c.from),
      headers: {
        "X-Cost-Review-Event": m.kind,
        ...(m.payload.unsubscribe ? { "List-Unsubscribe": `<${m.payload.unsubscribe}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" } : {}),
      },
    });
  } catch (err) {
    const e = err as Error & { responseCode?: number; code?: string };
    // 5xx from the server: the address or the message is refused for good; 4xx and network errors pass.
    const permanent = typeof e.responseCode === "number" && e.responseCode >= 500 && e.code !== "EAUTH";
    throw new DeliveryFailure(redact(`the SMTP server ${c.host}:${c.port} refused the message: ${e.message}`, [channel.secret]), permanent);
  } finally {
    transport.close();
  }
}

/** Sends the message through the channel; throws a DeliveryFailure when it did not arrive. */
export async function send(channel: LoadedChannel | null, m: Sendable): Promise<void> {
  if (!channel) throw new DeliveryFailure("the channel was removed", true);
  if (!channel.enabled) throw new DeliveryFailure(`the channel "${channel.name}" is disabled`, true);
  switch (channel.kind) {
    case "email":
      return sendEmail(channel, m);
    case "slack":
      if (!channel.secret) throw new DeliveryFailure("the Slack channel has no webhook URL", true);
      return post(channel.secret, JSON.stringify(slackBody(m.payload)), {}, [channel.secret]);
    case "webhook": {
      const url = String(channel.config.url ?? "");
      if (!channel.secret) throw new DeliveryFailure("the webhook has no signing secret", true);
      const body = webhookBody(m);
      return post(url, body, { "Cost-Review-Event": m.kind, "Idempotency-Key": m.idempotencyKey, [SIGNATURE_HEADER]: signatureHeader(channel.secret, body) }, [channel.secret]);
    }
  }
}
