/**
 * What a label value must look like for each type of a label schema (hadolint's `label-schema:`
 * types): each check returns why the value is not one, or undefined when it is.
 */
import { SPDX_EXCEPTIONS, SPDX_LICENSES } from './spdxLicenses';

/** What a label's value must be in a label schema (hadolint's `label-schema:` types). */
export const LABEL_TYPES = ['text', 'url', 'rfc3339', 'spdx', 'hash', 'semver', 'email'] as const;
export type LabelType = (typeof LABEL_TYPES)[number];

/** What each type is, for messages. */
export const LABEL_TYPE_NAMES: Record<LabelType, string> = {
  text: 'text',
  url: 'a URL',
  rfc3339: 'an RFC 3339 date-time',
  spdx: 'an SPDX license expression',
  hash: 'a git commit hash',
  semver: 'a semantic version',
  email: 'an e-mail address',
};

/** Why `value` is not of `type`; undefined when it is (any text is `text`). */
export function labelValueProblem(type: LabelType, value: string): string | undefined {
  switch (type) {
    case 'text':
      return undefined;
    case 'url':
      return urlProblem(value);
    case 'rfc3339':
      return isRfc3339(value) ? undefined : 'a date-time such as 2024-05-01T12:00:00Z is expected';
    case 'spdx':
      return spdxProblem(value);
    case 'hash':
      return /^(?:[0-9a-f]{7,40}|[0-9a-f]{64})$/i.test(value)
        ? undefined
        : 'a git commit hash (7 to 40 hexadecimal digits, or 64 for SHA-256 repositories) is expected';
    case 'semver':
      return semverProblem(value);
    case 'email':
      return isEmail(value) ? undefined : 'an address such as jane@example.com or Jane Doe <jane@example.com> is expected';
  }
}

function urlProblem(value: string): string | undefined {
  // An absolute URI (RFC 3986): a scheme, then no blanks or control characters.
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value)) return 'an absolute URL with a scheme (https://…) is expected';
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\s\x00-\x1f\x7f<>"{}|\\^`]/.test(value)) return 'a URL holds no blanks, quotes, angle brackets or braces';
  try {
    new URL(value);
    return undefined;
  } catch {
    return 'it cannot be read as a URL';
  }
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

/** An RFC 3339 date-time, full date and time with an offset; the fields in range. */
export function isRfc3339(value: string): boolean {
  const m = DATE_TIME.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return false;
  const days = [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (day > days[month - 1]) return false;
  return m[7] === undefined || (Number(m[7]) <= 23 && Number(m[8]) <= 59);
}

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

function semverProblem(value: string): string | undefined {
  if (SEMVER.test(value)) return undefined;
  if (/^v/i.test(value) && SEMVER.test(value.slice(1))) return 'a semantic version has no "v" prefix';
  return 'MAJOR.MINOR.PATCH, with an optional -pre-release and +build, is expected (semver.org)';
}

// RFC 5322: an addr-spec (a dot-atom or quoted local part, a dot-atom or literal domain), alone or
// as the angle-addr of a mailbox with a display name (`Jane Doe <jane@example.com>`).
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const DOT_ATOM = `${ATEXT}(?:\\.${ATEXT})*`;
const QUOTED = '"(?:[^"\\\\\\r\\n]|\\\\.)*"';
const ADDR_SPEC = `(?:${DOT_ATOM}|${QUOTED})@(?:${DOT_ATOM}|\\[[^\\[\\]\\\\\\s]*\\])`;
const DISPLAY_NAME = `(?:${QUOTED}|[^<>"@,;:\\\\\\[\\]()]+)`;
const MAILBOX = new RegExp(`^(?:${ADDR_SPEC}|(?:${DISPLAY_NAME}\\s*)?<${ADDR_SPEC}>)$`);

/** RFC 5322 mailboxes (an address, with or without a display name), one or several separated by commas. */
export function isEmail(value: string): boolean {
  // Commas inside quotes (`"Doe, Jane" <jane@example.com>`) do not separate.
  const parts = value.match(/(?:"(?:[^"\\]|\\.)*"|[^,"])+/g) ?? [];
  return value.length <= 2000 && parts.length > 0 && parts.join(',') === value && parts.every((p) => MAILBOX.test(p.trim()));
}

const LICENSES = new Set(SPDX_LICENSES.map((l) => l.toLowerCase()));
const EXCEPTIONS = new Set(SPDX_EXCEPTIONS.map((l) => l.toLowerCase()));

/**
 * Why `value` is not an SPDX license expression: license ids (a trailing `+` allowed), `LicenseRef-…`
 * (or `DocumentRef-…:LicenseRef-…`), joined by `AND` / `OR`, with `WITH <exception>` and parentheses.
 */
export function spdxProblem(value: string): string | undefined {
  const tokens = value.match(/\(|\)|[^\s()]+/g) ?? [];
  if (!tokens.length) return 'a license identifier such as MIT or Apache-2.0 is expected';
  let i = 0;
  let problem: string | undefined;
  const fail = (why: string): false => {
    problem ??= why;
    return false;
  };
  const simple = (): boolean => {
    const t = tokens[i];
    if (t === undefined || t === '(' || t === ')') return fail('a license identifier is missing');
    if (isOperator(t)) return fail(`${t} needs a license on each side`);
    i++;
    if (/^(?:DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/.test(t)) return true;
    if (!LICENSES.has(t.toLowerCase()) && !LICENSES.has(t.replace(/\+$/, '').toLowerCase()))
      return fail(`"${t}" is not an SPDX license identifier`);
    if (tokens[i] === 'WITH') {
      i++;
      const e = tokens[i++];
      if (e === undefined || !EXCEPTIONS.has(e.toLowerCase())) return fail(`"${e ?? ''}" is not an SPDX license exception`);
    }
    return true;
  };
  const primary = (): boolean => {
    if (tokens[i] !== '(') return simple();
    i++;
    if (!expression()) return false;
    if (tokens[i++] !== ')') return fail('a parenthesis is not closed');
    return true;
  };
  const expression = (): boolean => {
    if (!primary()) return false;
    while (tokens[i] === 'AND' || tokens[i] === 'OR') {
      i++;
      if (!primary()) return false;
    }
    return true;
  };
  if (!expression()) return problem;
  if (i < tokens.length) return tokens[i] === ')' ? 'a parenthesis is closed that was not opened' : `"${tokens[i]}" is out of place`;
  return undefined;
}

function isOperator(t: string): boolean {
  return t === 'AND' || t === 'OR' || t === 'WITH';
}
