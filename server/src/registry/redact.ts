/**
 * Keeping secrets and hostile text out of messages. A registry, a token service or a credential helper
 * can say anything, including the Authorization header it was just sent; their words go into error
 * messages (shown in the editor, printed by the CLI into CI logs) only after passing through here:
 *
 *   - `Secrets.redact`: every credential used for one image (password, `user:password` in base64,
 *     identity and bearer tokens, URL-encoded too) is replaced by `***`;
 *   - `serverText`: control characters (newlines, terminal escapes) become spaces and the text is cut
 *     to a length that fits in a message.
 */

/** Secrets shorter than this are not searched for (replacing every "a" would garble the message). */
const MIN_SECRET = 4;
export const REDACTED = '***';

export class Secrets {
  private readonly values = new Set<string>();

  /** Remembers a secret and the forms it travels in (base64 for Basic, URL-encoded in a form body). */
  add(...secrets: (string | undefined)[]): void {
    for (const s of secrets) {
      if (!s || s.length < MIN_SECRET) continue;
      this.values.add(s);
      this.values.add(encodeURIComponent(s));
      const base64 = Buffer.from(s).toString('base64');
      this.values.add(base64);
      this.values.add(base64.replace(/=+$/, ''));
    }
  }

  /** Basic credentials: the password, and `user:password` as the Authorization header carries it. */
  addBasic(username: string, password: string): void {
    this.add(password, `${username}:${password}`);
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so that a secret containing another is replaced whole.
    for (const s of [...this.values].sort((a, b) => b.length - a.length)) if (s.length >= MIN_SECRET) out = out.split(s).join(REDACTED);
    return out;
  }
}

/** Text that came from a server, safe to put in a one-line message. */
export function serverText(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
