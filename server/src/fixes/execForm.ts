/**
 * Shell form → exec form for CMD / ENTRYPOINT / HEALTHCHECK CMD. Only where the command needs no
 * shell: one simple command, no variables, pipes, `&&`, redirections, globs or `~`. A leading `exec`
 * is dropped (exec form is what it asked for). A JSON array written with single quotes becomes the
 * JSON it was meant to be.
 */
import type { CommandArgs, DockerfileModel } from '../model/model';
import { parseShell } from '../model/shell';

const SINGLE_QUOTED_ARRAY = /^\[\s*(?:'(?:[^'\\]|\\.)*'\s*(?:,\s*'(?:[^'\\]|\\.)*'\s*)*)?\]$/;

/** Words as an exec-form JSON array, as Docker's docs write it: `["a", "b"]`. */
export function toJson(words: string[]): string {
  return `[${words.map((w) => JSON.stringify(w)).join(', ')}]`;
}

/** The exec form of a shell-form command, or undefined when it needs a shell. */
export function execFormOf(model: DockerfileModel, command: CommandArgs): string | undefined {
  if (command.form !== 'shell' || !command.shell) return undefined;
  const text = command.shell.text.trim();
  if (command.invalidJson) {
    if (!SINGLE_QUOTED_ARRAY.test(text)) return undefined;
    const words = [...text.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1].replace(/\\(.)/g, '$1'));
    return toJson(words);
  }
  const script = parseShell(command.shell);
  if (script.commands.length !== 1) return undefined;
  const [cmd] = script.commands;
  if (cmd.assignments.length || cmd.redirects.length || cmd.after !== '' || !cmd.argv.length) return undefined;
  if (cmd.argv.some((w) => w.dynamic)) return undefined;
  // Unquoted glob characters or ~ would be expanded by the shell.
  for (const w of cmd.argv) {
    const raw = model.text.slice(w.start, w.end).replace(/'[^']*'|"(?:[^"\\]|\\.)*"|\\./g, '');
    if (/[*?[\]{}]/.test(raw) || raw.startsWith('~')) return undefined;
  }
  const words = cmd.argv.map((w) => w.value);
  if (words[0] === 'exec' && words.length > 1 && !words[1].startsWith('-')) words.shift();
  return toJson(words);
}
