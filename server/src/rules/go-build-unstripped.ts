import { defineRule } from '../engine/rule';
import { flagArgs, goEnv, goInvocations, lastFlag } from '../model/go';
import { addLdflags, mergeLdflags } from '../fixes/go';

function hasStripFlags(ldflags: string): boolean {
  const words = flagArgs(ldflags);
  return words.some((w) => /^-?-s(=true|=1)?$/.test(w)) && words.some((w) => /^-?-w(=true|=1)?$/.test(w));
}

/** `-gcflags "all=-N -l"`: a build for a debugger, which needs the debug information. */
function isDebugBuild(gcflags: string): boolean {
  const words = flagArgs(gcflags);
  return words.includes('-N') && words.includes('-l');
}

export default defineRule({
  id: 'go-build-unstripped',
  severity: 'info',
  summary: 'go build without -ldflags="-s -w".',
  rationale: `By default a Go binary keeps its symbol table and DWARF debug information, typically a
quarter to a third of its size. \`-ldflags="-s -w"\` drops both; panics still print stack traces with
function names and lines. Keep other linker flags such as \`-X main.version=…\` in the same
\`-ldflags\` value (the go tool uses only the last \`-ldflags\`).

Not reported when the flags come from a variable (\`go build $GOFLAGS\`, \`-ldflags "$LDFLAGS"\`), for
\`go build ./...\` without \`-o\`, which only checks that packages compile, or for a debug build
(\`-gcflags "all=-N -l"\`, for Delve), which needs its debug information.`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM golang:1.22 AS build
RUN go build -o /out/app ./cmd/app
#   ^^^^^^^^ go-build-unstripped
`,
      `FROM golang:1.22 AS build
RUN CGO_ENABLED=0 go build -ldflags "-X main.version=1.2.3" -o /out/app .
#                          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ go-build-unstripped
`,
    ],
    fixes: [
      {
        before: `FROM golang:1.22 AS build\nRUN go build -o /out/app ./cmd/app\n`,
        after: `FROM golang:1.22 AS build\nRUN go build -ldflags="-s -w" -o /out/app ./cmd/app\n`,
      },
      {
        before: `FROM golang:1.22 AS build\nRUN go build -ldflags "-X main.version=1.2.3" -o /out/app .\n`,
        after: `FROM golang:1.22 AS build\nRUN go build -ldflags "-s -w -X main.version=1.2.3" -o /out/app .\n`,
      },
      {
        before: `FROM golang:1.22 AS build\nRUN go build -ldflags=all=-w -o /out/app .\n`,
        after: `FROM golang:1.22 AS build\nRUN go build -ldflags="all=-s -w" -o /out/app .\n`,
      },
      {
        before: `FROM golang:1.22 AS build\nRUN ["go", "build", "-o", "/out/app", "."]\n`,
        after: `FROM golang:1.22 AS build\nRUN ["go", "build", "-ldflags=-s -w", "-o", "/out/app", "."]\n`,
      },
    ],
    valid: [
      `FROM golang:1.22 AS build
RUN go build -ldflags="-s -w -X main.version=1.2.3" -o /out/app .
`,
      `FROM golang:1.22 AS build
ARG LDFLAGS
RUN go build -ldflags "\${LDFLAGS}" -o /out/app .
`,
      `FROM golang:1.22 AS build
RUN go build ./...
`,
    ],
  },
  check({ model, report }) {
    for (const inv of goInvocations(model)) {
      if (inv.sub !== 'build' || inv.dynamicFlags) continue;
      if (!lastFlag(inv, 'o') && inv.args.some((a) => a.value.endsWith('/...'))) continue;
      const gc = lastFlag(inv, 'gcflags');
      if (gc?.value !== undefined && !gc.dynamic && isDebugBuild(gc.value)) continue;
      const ld = lastFlag(inv, 'ldflags');
      if (ld) {
        if (ld.dynamic || ld.value === undefined || hasStripFlags(ld.value)) continue;
        const merge = mergeLdflags(model, ld);
        report({
          span: ld.span,
          message: `-ldflags lacks -s -w: the binary keeps its symbol table and debug info. Add them to this -ldflags value.`,
          fixes: merge ? [merge] : [],
        });
        continue;
      }
      const goflags = goEnv(inv, 'GOFLAGS');
      if (goflags.set && (goflags.value === undefined || goflags.value.includes('-ldflags'))) continue;
      report({
        span: inv.span,
        message: `go build without -ldflags="-s -w": the binary keeps its symbol table and debug info (often a quarter of its size).`,
        fixes: [addLdflags(model, inv)],
      });
    }
  },
});
