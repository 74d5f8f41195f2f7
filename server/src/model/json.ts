/**
 * JSON (exec-form) arguments of RUN, CMD, ENTRYPOINT and SHELL: the array's strings with their exact
 * offsets, and the command an exec form runs (`["sh", "-c", "…"]` runs a shell script).
 */
import { endOffset, LogicalText, RunBuilder } from './logical';
import type { SimpleCommand, Word } from './shell';
import type { JsonString } from './types';

/**
 * Decodes a logical text that holds a JSON array of strings, mapping each decoded character back to
 * the document. Returns undefined when it is not one (the builder then uses the shell form).
 */
export function decodeJsonArray(l: LogicalText): JsonString[] | undefined {
  const s = l.text;
  try {
    const parsed: unknown = JSON.parse(s);
    if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) return undefined;
  } catch {
    return undefined;
  }
  const out: JsonString[] = [];
  let i = s.indexOf('[') + 1;
  while (i < s.length) {
    const q = s.indexOf('"', i);
    if (q < 0) break;
    let j = q + 1;
    let value = '';
    const runs = new RunBuilder();
    while (j < s.length && s[j] !== '"') {
      if (s[j] === '\\') {
        const e = s[j + 1];
        let ch: string;
        let len = 2;
        if (e === 'u') {
          ch = String.fromCharCode(parseInt(s.slice(j + 2, j + 6), 16));
          len = 6;
        } else ch = ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[e] ?? e;
        runs.run(value.length, l.at(j));
        value += ch;
        j += len;
        continue;
      }
      runs.run(value.length, l.at(j));
      value += s[j];
      j++;
    }
    runs.run(value.length, l.at(Math.min(j, s.length)));
    out.push({
      value,
      span: { start: l.at(q), end: endOffset(l, Math.min(j + 1, s.length)) },
      logical: new LogicalText(value, runs.done()),
    });
    i = j + 1;
  }
  return out;
}

/** In exec form `["sh", "-c", "script"]` (also `bash -ec`, `sh -o pipefail -c`): the script argument. */
export function shellScriptArgument(exec: JsonString[]): JsonString | undefined {
  if (!/(^|\/)(ba|a|da|z|k|mk)?sh$/.test(exec[0].value)) return undefined;
  let dashC = false;
  for (let k = 1; k < exec.length; k++) {
    const v = exec[k].value;
    if (v === '-o' || v === '+o') k++;
    else if (v === '--') return dashC ? exec[k + 1] : undefined;
    else if (/^[-+][A-Za-z]+$/.test(v)) dashC ||= v.startsWith('-') && v.includes('c');
    else return dashC ? exec[k] : undefined;
  }
  return undefined;
}

/** An exec-form command as one simple command whose words are the JSON strings (quotes included in spans). */
export function execCommand(exec: JsonString[]): SimpleCommand {
  const argv: Word[] = exec.map((j) => ({ value: j.value, start: j.span.start, end: j.span.end, dynamic: false, quoted: true }));
  return { assignments: [], argv, redirects: [], after: '', depth: 0, start: argv[0].start, end: argv[argv.length - 1].end };
}
