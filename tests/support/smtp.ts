// A real SMTP receiver for tests: smtp-server on a free local port, each message parsed with mailparser.
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";

export type SmtpReceiver = { port: number; mails: ParsedMail[]; logins: string[]; close: () => Promise<void> };

export async function smtpReceiver(): Promise<SmtpReceiver> {
  const mails: ParsedMail[] = [];
  const logins: string[] = [];
  const smtp = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    authOptional: true,
    onAuth(auth, _session, cb) {
      logins.push(`${auth.username}:${auth.password}`);
      cb(null, { user: auth.username });
    },
    onData(stream, _session, cb) {
      simpleParser(stream).then((m) => (mails.push(m), cb()), cb);
    },
  });
  smtp.listen(0, "127.0.0.1");
  await once(smtp.server, "listening");
  return { port: (smtp.server.address() as AddressInfo).port, mails, logins, close: () => new Promise<void>((r) => smtp.close(() => r())) };
}

/** The address a parsed mail went to. */
export const mailTo = (m: ParsedMail) => (Array.isArray(m.to) ? m.to.map((t) => t.text).join(", ") : (m.to?.text ?? ""));
