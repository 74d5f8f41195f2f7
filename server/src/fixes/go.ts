/**
 * Edits to `go build` commands, shared by the go-* rules' fixes and the multi-stage conversion:
 * strip flags (merged into an existing -ldflags), CGO_ENABLED=0, written for the form the command is
 * in (shell, `sh -c` inside a JSON string, or exec-form JSON words).
 */
import { EditBuilder } from '../engine/edits';
import type { Fix } from '../engine/rule';
import { flagArgs, goEnv, type GoFlag, type GoInvocation } from '../model/go';
import type { DockerfileModel } from '../model/model';
import { commandStyle } from './shell';

/** Adds `-ldflags="-s -w"` after `build`, written for the form the command is in. */
export function addLdflags(model: DockerfileModel, inv: GoInvocation): Fix {
  const build = inv.command.argv[1];
  const style = commandStyle(inv.run);
  const text = style === 'exec' ? `, "-ldflags=-s -w"` : style === 'json-script' ? ` -ldflags='-s -w'` : ` -ldflags="-s -w"`;
  return {
    title: 'Add -ldflags="-s -w"',
    kind: 'safe',
    preferred: true,
    edits: () => new EditBuilder(model).insert(build.end, text).build(),
  };
}

/** Adds the missing `-s`/`-w` at the start of an existing -ldflags value, keeping `-X …` and its quoting. */
export function mergeLdflags(model: DockerfileModel, ld: GoFlag): Fix | undefined {
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
  const title = `Add ${missing.join(' ')} to -ldflags`;
  if (quote) {
    return {
      title,
      kind: 'safe',
      preferred: true,
      edits: () => new EditBuilder(model).insert(insideAt + pattern.length, `${missing.join(' ')} `).build(),
    };
  }
  // Unquoted (one word): quote it, since the value now has spaces.
  if (/["'\\$`]/.test(inside)) return undefined;
  return {
    title,
    kind: 'safe',
    preferred: true,
    edits: () =>
      new EditBuilder(model)
        .replace({ start: at, end: valueWord.end }, `"${pattern}${missing.join(' ')} ${inside.slice(pattern.length)}"`)
        .build(),
  };
}

/**
 * CGO_ENABLED=0 on the command: a prefix, or the command's own CGO_ENABLED=1 turned off. Safe when cgo
 * is only on by default; a suggestion when someone turned it on (the build may need it).
 */
export function disableCgo(model: DockerfileModel, inv: GoInvocation): Fix[] {
  if (commandStyle(inv.run) === 'exec') return []; // no shell to set a variable for the command
  const own = [...inv.command.assignments].reverse().find((w) => w.value.startsWith('CGO_ENABLED='));
  const onPurpose = goEnv(inv, 'CGO_ENABLED').set;
  const edits = () => {
    const b = new EditBuilder(model);
    if (own) b.replace({ start: own.start, end: own.end }, 'CGO_ENABLED=0');
    else b.insert(inv.command.argv[0].start, 'CGO_ENABLED=0 ');
    return b.build();
  };
  return [{ title: 'Build with CGO_ENABLED=0', kind: onPurpose ? 'suggestion' : 'safe', preferred: true, edits }];
}
