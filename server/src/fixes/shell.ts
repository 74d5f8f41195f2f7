/**
 * Edits inside RUN commands that keep the command's layout: adding a word after another, removing
 * words with their spacing, and appending a command in the RUN's own style (same operator, same
 * continuation layout and indentation, or a new line of a heredoc script).
 */
import type { EditBuilder } from '../engine/edits';
import type { DockerfileModel, RunInfo } from '../model/model';
import type { SimpleCommand } from '../model/shell';
import type { Span } from '../model/text';

/** Inserts ` text` right after a word. */
export function insertAfter(b: EditBuilder, word: { end: number }, text: string): void {
  b.insert(word.end, ` ${text}`);
}

/**
 * Deletes a span of words together with the blanks that separate it from its neighbours: the blanks
 * after it when more follows on the same line, else the blanks before it.
 */
export function deleteWords(model: DockerfileModel, b: EditBuilder, span: Span): void {
  const t = model.text;
  let end = span.end;
  while (end < t.length && (t[end] === ' ' || t[end] === '\t')) end++;
  const restOfLine =
    end < t.length && t[end] !== '\n' && t[end] !== '\r' && !(t[end] === model.escapeChar && /^.[ \t]*\r?\n/.test(t.slice(end, end + 64)));
  if (restOfLine) {
    b.delete({ start: span.start, end });
    return;
  }
  let start = span.start;
  while (start > 0 && (t[start - 1] === ' ' || t[start - 1] === '\t')) start--;
  b.delete({ start, end: span.end });
}

/** The top-level commands of a shell-form RUN (heredoc scripts are separate), in order. */
function topLevel(run: RunInfo): SimpleCommand[] {
  return run.script?.commands ?? [];
}

/**
 * Appends `command` to a RUN so that it runs after everything else the RUN does: in the RUN's
 * heredoc script when it has one, else after its last command, joined with the operator and the
 * continuation layout the RUN already uses. Returns false when the RUN cannot take it (exec form).
 */
export function appendCommand(model: DockerfileModel, b: EditBuilder, run: RunInfo, command: string): boolean {
  if (run.command.form !== 'shell' || !run.script) return false;
  const commands = topLevel(run);
  const last = commands[commands.length - 1];
  if (!last) return false;
  // RUN <<EOF … EOF: a new line at the end of the script.
  for (const r of last.redirects) {
    if (r.heredoc?.script && r.heredoc.body) {
      const bodyText = model.text.slice(r.heredoc.body.start, r.heredoc.body.end);
      const indent = /(?:^|\n)([ \t]*)\S[^\n]*\n?$/.exec(bodyText)?.[1] ?? '';
      b.insert(r.heredoc.body.end, `${indent}${command}${b.eol}`);
      return true;
    }
  }
  const prev = commands[commands.length - 2];
  const op = last.after === ';' ? ';' : '&&';
  const esc = model.escapeChar;
  if (prev) {
    const between = model.text.slice(prev.end, last.start);
    const e = esc === '\\' ? '\\\\' : esc;
    // `cmd1 && \` / `cmd1; \` then the next command on its own line: same spacing, same indent.
    const trailing = new RegExp(`^([ \\t]*)(&&|;)([ \\t]*)${e}[ \\t]*\\r?\\n(?:[ \\t]*(?:#[^\\n]*)?\\r?\\n)*([ \\t]*)$`).exec(between);
    if (trailing) {
      b.insert(last.end, `${trailing[1]}${op}${trailing[3]}${esc}${b.eol}${trailing[4]}${command}`);
      return true;
    }
    const leading = new RegExp(`^[ \\t]*${e}[ \\t]*\\r?\\n(?:[ \\t]*(?:#[^\\n]*)?\\r?\\n)*([ \\t]*)(&&|;)([ \\t]*)$`).exec(between);
    if (leading) {
      b.insert(last.end, ` ${esc}${b.eol}${leading[1]}${op}${leading[3] || ' '}${command}`);
      return true;
    }
  }
  b.insert(last.end, `${op === ';' ? ';' : ' &&'} ${command}`);
  return true;
}

/**
 * Deletes one argument (or a flag and its value) of a RUN command. In exec form (`["go", "build",
 * "-a"]`) the JSON string goes with its comma; in shell form, with its spacing.
 */
export function deleteArgument(model: DockerfileModel, b: EditBuilder, run: RunInfo, span: Span): void {
  if (run.command.form === 'exec' && !run.script) {
    const t = model.text;
    const end = span.end;
    const after = /^\s*,\s*/.exec(t.slice(end));
    if (after) {
      b.delete({ start: span.start, end: end + after[0].length });
      return;
    }
    let start = span.start;
    const before = /,\s*$/.exec(t.slice(Math.max(0, start - 64), start));
    if (before) start -= before[0].length;
    b.delete({ start, end });
    return;
  }
  deleteWords(model, b, span);
}

/** How text is written into a RUN command: in a shell script, in a JSON string (`sh -c`), or as exec-form JSON words. */
export function commandStyle(run: RunInfo): 'shell' | 'json-script' | 'exec' {
  if (run.command.form === 'shell') return 'shell';
  return run.script ? 'json-script' : 'exec';
}
