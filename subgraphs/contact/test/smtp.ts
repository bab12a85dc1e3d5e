import { createServer } from "node:net";
import { SMTPServer } from "smtp-server";

/** A message as the SMTP server got it: envelope and raw RFC 5322 text. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

/** A port free right now, to point the service at before any server listens there. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A real SMTP server on loopback that keeps everything it receives. `rejects` names recipients it
 * refuses for good (550, as a server does for an address that does not exist); `recipients` lists
 * every RCPT TO it was asked, refused or not.
 */
export async function startSmtpServer(port = 0, options: { rejects?: (address: string) => boolean } = {}) {
  const received: ReceivedMail[] = [];
  const recipients: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      recipients.push(address.address);
      if (!options.rejects?.(address.address)) return callback();
      const error = Object.assign(new Error(`5.1.1 <${address.address}>: no such mailbox`), { responseCode: 550 });
      callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const mailFrom = session.envelope.mailFrom;
        received.push({
          from: mailFrom ? mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.server.address() as { port: number };
  return {
    port: address.port,
    received,
    recipients,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type SmtpServer = Awaited<ReturnType<typeof startSmtpServer>>;

const decodeWords = (value: string) =>
  value.replace(/=\?utf-8\?([qb])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) =>
    enc.toLowerCase() === "b"
      ? Buffer.from(text, "base64").toString("utf8")
      : decodeQuotedPrintable(text.replace(/_/g, " ")),
  );

function decodeQuotedPrintable(text: string) {
  const bytes = text
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => `%${hex}`)
    .replace(/%(?![0-9A-F]{2})/gi, "%25");
  return decodeURIComponent(bytes.replace(/[^%\x20-\x7e\r\n\t]/g, (c) => encodeURIComponent(c)));
}

function splitHeaders(raw: string) {
  const end = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, end).replace(/\r\n[ \t]+/g, " ");
  const headers: Record<string, string> = {};
  for (const line of head.split("\r\n")) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).toLowerCase()] = decodeWords(line.slice(colon + 1).trim());
  }
  return { headers, body: raw.slice(end + 4) };
}

/** Headers (decoded) and the text and HTML parts (decoded) of a multipart/alternative email. */
export function parseMail(raw: string) {
  const { headers, body } = splitHeaders(raw);
  const boundary = /boundary="?([^";]+)"?/.exec(headers["content-type"] ?? "")?.[1];
  const parts: Record<string, string> = {};
  if (boundary) {
    for (const chunk of body.split(`--${boundary}`).slice(1, -1)) {
      const part = splitHeaders(chunk.replace(/^\r\n/, ""));
      const type = (part.headers["content-type"] ?? "").split(";")[0]!.trim();
      const encoding = (part.headers["content-transfer-encoding"] ?? "").toLowerCase();
      const content = part.body.replace(/\r\n$/, "");
      parts[type] =
        encoding === "base64"
          ? Buffer.from(content, "base64").toString("utf8")
          : encoding === "quoted-printable"
            ? decodeQuotedPrintable(content)
            : content;
    }
  }
  return {
    headers,
    text: parts["text/plain"]?.replace(/\r\n/g, "\n"),
    html: parts["text/html"]?.replace(/\r\n/g, "\n"),
  };
}
