/** One email's content: both parts always, so every client shows something readable. */
export interface EmailContent {
  subject: string;
  html: string;
  text: string;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** User text is data: escaped, it can never become markup or a link in the HTML part. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

const paragraphs = (text: string) =>
  text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
    .join("\n");

export const layout = (title: string, body: string) =>
  `<!doctype html>
<html lang="es"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="font-family: Arial, sans-serif; color: #333; line-height: 1.5">
${body}
<p style="color: #888; font-size: 12px">Flores Victoria</p>
</body></html>`;

const santiagoTime = (date: Date) =>
  new Intl.DateTimeFormat("es-CL", { dateStyle: "long", timeStyle: "short", timeZone: "America/Santiago" }).format(
    date,
  );

export interface ContactMessageForEmail {
  name: string;
  email: string;
  phone: string | null;
  subject: string;
  message: string;
  createdAt: Date;
}

/** To the shop inbox: the whole message, answered by replying to the sender. */
export function contactInboxEmail(m: ContactMessageForEmail): EmailContent {
  const subject = `Contacto: ${m.subject}`;
  const details: [string, string][] = [
    ["Nombre", m.name],
    ["Correo", m.email],
    ["Teléfono", m.phone ?? "—"],
    ["Recibido", santiagoTime(m.createdAt)],
  ];
  return {
    subject,
    text: [
      "Nuevo mensaje desde el formulario de contacto.",
      "",
      ...details.map(([label, value]) => `${label}: ${value}`),
      `Asunto: ${m.subject}`,
      "",
      m.message,
      "",
      "Responde a este correo para contestar a quien escribió.",
    ].join("\n"),
    html: layout(
      subject,
      `<h1 style="font-size: 18px">Nuevo mensaje de contacto</h1>
<table>${details.map(([label, value]) => `<tr><th align="left">${label}</th><td>${escapeHtml(value)}</td></tr>`).join("")}</table>
<h2 style="font-size: 16px">${escapeHtml(m.subject)}</h2>
${paragraphs(m.message)}
<p>Responde a este correo para contestar a quien escribió.</p>`,
    ),
  };
}

/** To the sender: we got it, and what they wrote, so they know which message we mean. */
export function contactAcknowledgementEmail(m: ContactMessageForEmail): EmailContent {
  const subject = `Recibimos tu mensaje: ${m.subject}`;
  return {
    subject,
    text: [
      `Hola ${m.name}:`,
      "",
      "Gracias por escribirnos. Recibimos tu mensaje y te responderemos a la brevedad.",
      "",
      `Asunto: ${m.subject}`,
      m.message,
      "",
      "Flores Victoria",
    ].join("\n"),
    html: layout(
      subject,
      `<p>Hola ${escapeHtml(m.name)}:</p>
<p>Gracias por escribirnos. Recibimos tu mensaje y te responderemos a la brevedad.</p>
<blockquote style="border-left: 3px solid #ccc; padding-left: 12px">
<p><strong>${escapeHtml(m.subject)}</strong></p>
${paragraphs(m.message)}
</blockquote>`,
    ),
  };
}

export interface LinkEmailData {
  url: string;
  expiresAt: Date | null;
}

const linkEmail = (
  subject: string,
  intro: string,
  action: string,
  ignore: string,
  { url, expiresAt }: LinkEmailData,
) => {
  const expiry = expiresAt ? `El enlace vence el ${santiagoTime(expiresAt)}.` : "";
  return {
    subject,
    text: ["Hola:", "", intro, "", url, "", expiry, ignore, "", "Flores Victoria"]
      .filter((l, i, all) => l !== "" || all[i - 1] !== "")
      .join("\n"),
    html: layout(
      subject,
      `<p>Hola:</p>
<p>${intro}</p>
<p><a href="${escapeHtml(url)}" style="background: #c2185b; color: #fff; padding: 10px 16px; text-decoration: none; border-radius: 4px">${action}</a></p>
<p>Si el botón no funciona, copia este enlace en tu navegador:<br>${escapeHtml(url)}</p>
${expiry ? `<p>${expiry}</p>` : ""}
<p>${ignore}</p>`,
    ),
  };
};

export const passwordResetEmail = (data: LinkEmailData): EmailContent =>
  linkEmail(
    "Restablece tu contraseña",
    "Recibimos una solicitud para restablecer la contraseña de tu cuenta en Flores Victoria.",
    "Restablecer contraseña",
    "Si no la pediste, ignora este correo: tu contraseña no cambia.",
    data,
  );

export const emailVerificationEmail = (data: LinkEmailData): EmailContent =>
  linkEmail(
    "Confirma tu correo",
    "Confirma tu dirección de correo para terminar de crear tu cuenta en Flores Victoria.",
    "Confirmar correo",
    "Si no creaste una cuenta, ignora este correo.",
    data,
  );
