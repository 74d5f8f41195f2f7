import { defineRule, type Fix } from '../engine/rule';
import { EditBuilder } from '../engine/edits';
import type { DockerfileModel, Instr } from '../model/model';

/** A legacy `ENV key value` / `LABEL key value`: the key, and the value (the rest of the instruction). */
interface Legacy {
  key: string;
  value: string;
  /** Document offsets of the key's start and the value's end. */
  start: number;
  end: number;
}

/** The first word of `text` as the builder splits words (quotes and escapes keep blanks in a word). */
function firstWord(text: string, escapeChar: string): string {
  let i = 0;
  while (i < text.length && /\s/.test(text[i])) i++;
  const start = i;
  let quote = '';
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === escapeChar && quote !== "'") i++;
    else if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (/\s/.test(c)) break;
  }
  return text.slice(start, i);
}

function legacyForm(model: DockerfileModel, instr: Instr): Legacy | undefined {
  const args = model.argumentsOf(instr);
  const text = args.text;
  // The builder's test: a first word (quotes included) without `=` is the legacy form.
  if (firstWord(text, model.escapeChar).includes('=')) return undefined;
  // Then the key runs to the first blank and the value is the rest (ENV and LABEL have no heredocs).
  const m = /^\s*(\S+)([ \t]+)(\S[^]*?)\s*$/.exec(text);
  // A key alone is an error the builder reports.
  if (!m) return undefined;
  const keyAt = text.indexOf(m[1]);
  const valueEnd = keyAt + m[1].length + m[2].length + m[3].length;
  return { key: m[1], value: m[3], start: args.at(keyAt), end: args.at(valueEnd - 1) + 1 };
}

/**
 * The `key="value"` rewrite, where it means exactly what the legacy form does. The legacy form takes
 * the rest of the line as one word, which the builder then reads like a word in double quotes
 * (variables expanded, blanks kept); quotes and escapes inside it are read differently once the value
 * is put in quotes, and a value over several lines would need its continuations kept: those get no fix.
 */
function rewrite(model: DockerfileModel, l: Legacy): string | undefined {
  const raw = model.text.slice(l.start, l.end);
  if (/[\r\n"'`\\]/.test(raw) || /[=$"'`\\]/.test(l.key)) return undefined;
  const value = raw.slice(l.key.length).replace(/^[ \t]+/, '');
  if (value !== l.value) return undefined;
  return /\s/.test(value) ? `${l.key}="${value}"` : `${l.key}=${value}`;
}

export default defineRule({
  id: 'legacy-key-value',
  severity: 'info',
  summary: 'ENV key value / LABEL key value: the legacy form, which takes the whole rest of the line as the value.',
  rationale: `\`ENV\` and \`LABEL\` have two forms. The legacy one, \`ENV key value\`, sets one variable, and
everything after the first blank is its value: \`ENV ONE TWO= THREE=world\` sets \`ONE\` to
\`TWO= THREE=world\`, not three variables. The \`key=value\` form says where each value starts and
ends, sets several at once, and is the one Docker documents; the legacy form may be removed.

The fix writes \`key=value\` (quoted when the value has blanks), where that means exactly the same:
not where the value holds quotes or escape characters, which the two forms read differently.`,
  equivalents: { buildkit: ['LegacyKeyValueFormat'] },
  examples: {
    invalid: [
      `FROM alpine:3.20
ENV APP_HOME /srv/app
^^^^^^^^^^^^^^^^^^^^^ legacy-key-value
LABEL description A small web service
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ legacy-key-value
`,
    ],
    fixes: [
      { before: `FROM alpine:3.20\nENV APP_HOME /srv/app\n`, after: `FROM alpine:3.20\nENV APP_HOME=/srv/app\n` },
      {
        before: `FROM alpine:3.20\nLABEL description A small web service\n`,
        after: `FROM alpine:3.20\nLABEL description="A small web service"\n`,
      },
    ],
    valid: [
      `FROM alpine:3.20
ENV APP_HOME=/srv/app PATH=/srv/app/bin:$PATH
LABEL description="A small web service"
`,
    ],
  },
  check({ model, report }) {
    for (const instr of model.instructions) {
      if ((instr.keyword !== 'ENV' && instr.keyword !== 'LABEL') || instr.onbuild) continue;
      const l = legacyForm(model, instr);
      if (!l) continue;
      const kw = instr.keyword;
      const replacement = rewrite(model, l);
      const fixes: Fix[] = replacement
        ? [
            {
              title: `Write ${kw} ${replacement}`,
              kind: 'safe',
              preferred: true,
              edits: () => new EditBuilder(model).replace({ start: l.start, end: l.end }, replacement).build(),
            },
          ]
        : [];
      report({
        span: { start: instr.keywordSpan.start, end: l.end },
        message: `${kw} ${l.key} <value> is the legacy form: everything after the key is one value. Write ${kw} ${l.key}=<value>.`,
        fixes,
      });
    }
  },
});
