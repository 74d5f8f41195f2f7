/**
 * Edits to `go build` commands, made on the caller's EditBuilder; the go-* rules give them their
 * titles and safety, and the multi-stage conversion makes them among its own:
 * strip flags (merged into an existing -ldflags), CGO_ENABLED=0, written for the form the command is
 * in (shell, `sh -c` inside a JSON string, or exec-form JSON words).
 */
import { EditBuilder } from '../engine/edits';
import { flagArgs, type GoFlag, type GoInvocation } from '../model/go';
import type { DockerfileModel } from '../model/model';
import { commandStyle } from './shell';

/** Adds `-ldflags="-s -w"` after `build`, written for the form the command is in. */
export function addLdflags(b: EditBuilder, inv: GoInvocation): EditBuilder {
  const style = commandStyle(inv.run);
  const text = style === 'exec' ? `, "-ldflags=-s -w"` : style === 'json-script' ? ` -ldflags='-s -w'` : ` -ldflags="-s -w"`;
  return b.insert(inv.command.argv[1].end, text);
}

/**
 * How to add the missing `-s`/`-w` at the start of an existing -ldflags value, keeping `-X …` and its
 * quoting; undefined where the value cannot be rewritten safely (an unquoted word with quotes or
 * expansions inside).
 */
export function ldflagsMerge(model: DockerfileModel, ld: GoFlag): { missing: string[]; apply(b: EditBuilder): EditBuilder } | undefined {
  const words = flagArgs(ld.value ?? '');
  const missing = ['-s', '-w'].filter((f) => !words.some((w) => w === f || w === `-${f}` || w.startsWith(`${f}=`)));
  const valueWord = ld.words[ld.words.length - 1];
  let raw = model.text.slice(valueWord.start, valueWord.end);
  let at = valueWord.start;
  if (ld.words.length === 1) {
    const eq = raw.indexOf('=');
    if (eq < 0) return undefined;
    at += eq + 1;
    raw = raw.slice(eq + 1);
  }
  const quote = /^(\\?["']|["'])/.exec(raw)?.[0];
  const insideAt = at + (quote?.length ?? 0);
  const inside = raw.slice(quote?.length ?? 0);
  // A package pattern (`all=-X …`) comes first; the flags go after it.
  const pattern = /^[^\s"'=-][^\s"'=]*=/.exec(inside)?.[0] ?? '';
  if (quote) return { missing, apply: (b) => b.insert(insideAt + pattern.length, `${missing.join(' ')} `) };
  // Unquoted (one word): quote it, since the value now has spaces.
  if (/["'\\$`]/.test(inside)) return undefined;
  return {
    missing,
    apply: (b) => b.replace({ start: at, end: valueWord.end }, `"${pattern}${missing.join(' ')} ${inside.slice(pattern.length)}"`),
  };
}

/** CGO_ENABLED=0 on a shell-form command: a prefix, or the command's own CGO_ENABLED=… turned off. */
export function disableCgo(b: EditBuilder, inv: GoInvocation): EditBuilder {
  const own = [...inv.command.assignments].reverse().find((w) => w.value.startsWith('CGO_ENABLED='));
  return own ? b.replace({ start: own.start, end: own.end }, 'CGO_ENABLED=0') : b.insert(inv.command.argv[0].start, 'CGO_ENABLED=0 ');
}
