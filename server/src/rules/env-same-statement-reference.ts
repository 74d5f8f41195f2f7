import { defineRule } from '../engine/rule';
import { variableReferences } from '../model/variables';

export default defineRule({
  id: 'env-same-statement-reference',
  severity: 'warning',
  summary: 'An ENV value uses a variable that the same ENV instruction sets: it gets the old value.',
  rationale: `The builder substitutes every value of an ENV instruction with the environment as it was before
the instruction. In \`ENV DIR=/opt/app BIN=$DIR/bin\`, \`$DIR\` is DIR's earlier value (often
nothing), not \`/opt/app\`: BIN becomes \`/bin\`. Set the variable in one ENV and use it in the next.`,
  equivalents: { hadolint: ['DL3044'] },
  examples: {
    invalid: [
      `FROM debian:12
ENV APP_HOME=/opt/app PATH=$APP_HOME/bin:$PATH
#                          ^^^^^^^^^ env-same-statement-reference
`,
    ],
    valid: [
      `FROM debian:12
ENV APP_HOME=/opt/app
ENV PATH=$APP_HOME/bin:$PATH
`,
    ],
  },
  check({ model, report }) {
    const byInstr = new Map<unknown, typeof model.declarations>();
    for (const d of model.declarations) {
      if (d.keyword !== 'ENV') continue;
      byInstr.set(d.instr, [...(byInstr.get(d.instr) ?? []), d]);
    }
    for (const decls of byInstr.values()) {
      decls.forEach((d, k) => {
        if (k === 0 || d.raw === undefined) return;
        // A name set earlier in this ENV to what it already was (`HOME=\${HOME}`, from an ARG of that
        // name) has one value before and after: reading the old one changes nothing.
        const same = (e: (typeof decls)[number]) =>
          [`$${e.name}`, `\${${e.name}}`].includes((e.raw ?? '').replace(/^(["'])(.*)\1$/s, '$2')) ||
          (e.value !== undefined && d.instr.scope?.get(e.name) === e.value);
        const earlier = new Set(
          decls
            .slice(0, k)
            .filter((e) => !same(e))
            .map((e) => e.name),
        );
        const at = d.nameSpan.end + 1; // the value starts after NAME=
        if (model.text[d.nameSpan.end] !== '=') return;
        for (const ref of variableReferences(d.raw, model.escapeChar)) {
          if (!earlier.has(ref.name)) continue;
          const written = model.text.slice(at, at + d.raw.length) === d.raw;
          const text = d.raw.slice(ref.start, ref.end);
          report({
            span: written ? { start: at + ref.start, end: at + ref.end } : d.nameSpan,
            message: `${text} is ${ref.name}'s value from before this ENV, not the one this ENV sets: set ${ref.name} in an ENV of its own first.`,
          });
        }
      });
    }
  },
});
