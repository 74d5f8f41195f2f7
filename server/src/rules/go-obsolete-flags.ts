import { defineRule } from '../engine/rule';
import { EditBuilder } from '../engine/edits';
import { goInvocations } from '../model/go';
import { deleteArgument } from '../fixes/shell';

export default defineRule({
  id: 'go-obsolete-flags',
  severity: 'hint',
  summary: 'go build uses -a or -installsuffix, obsolete since Go 1.10.',
  rationale: `\`-a -installsuffix cgo\` was the recipe for static binaries before Go 1.10: it forced a
rebuild of every package so that none built with cgo was reused from the install directory. Since the
build cache (Go 1.10) keys builds by their settings, \`CGO_ENABLED=0\` alone is enough. \`-a\` now only
throws the cache away and makes every build slow; \`-installsuffix\` does nothing useful in module
mode.`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM golang:1.22 AS build
RUN CGO_ENABLED=0 go build -a -installsuffix cgo -o /app .
#                          ^^ go-obsolete-flags
#                             ^^^^^^^^^^^^^^^^^^ go-obsolete-flags
`,
    ],
    fixes: [
      {
        before: `FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -a -o /app .\n`,
        after: `FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /app .\n`,
      },
      {
        before: `FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /app -installsuffix cgo\n`,
        after: `FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /app\n`,
      },
    ],
    valid: [
      `FROM golang:1.22 AS build
RUN CGO_ENABLED=0 go build -o /app .
`,
    ],
  },
  check({ model, report }) {
    for (const inv of goInvocations(model)) {
      if (inv.sub !== 'build' && inv.sub !== 'install') continue;
      for (const f of inv.flags) {
        const remove = [
          {
            title: `Remove ${f.words.map((w) => w.value).join(' ')}`,
            kind: 'safe' as const,
            preferred: true,
            edits: () => {
              const b = new EditBuilder(model);
              deleteArgument(model, b, inv.run, f.span);
              return b.build();
            },
          },
        ];
        if (f.name === 'a' && f.value === undefined) {
          report({ span: f.span, message: `-a rebuilds every package and defeats the build cache; since Go 1.10 it is not needed for static builds (CGO_ENABLED=0 is enough).`, fixes: remove });
        } else if (f.name === 'installsuffix') {
          report({ span: f.span, message: `-installsuffix is obsolete since Go 1.10's build cache; remove it (CGO_ENABLED=0 is enough for a static build).`, fixes: remove });
        }
      }
    }
  },
});
