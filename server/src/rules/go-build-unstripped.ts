import { defineRule } from '../engine/rule';
import { expandedFlagArgs, flagArgs, goEnv, goInstallDir, goInvocations, goOutputShips, lastFlag } from '../model/go';
import { addLdflags, mergeLdflags } from '../fixes/go';

function hasStripFlags(words: string[]): boolean {
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

\`go install\` is checked where its binary ships: it runs in a shipped stage, or the shipped image copies
from \$GOBIN or \$GOPATH/bin of its stage (a tool installed only to build is not reported).

An -ldflags value that holds expansions is read around them: \`-ldflags "-X main.v=$(git describe)"\`
lacks -s -w whatever the command prints. Not reported when the flags come from a variable
(\`go build $GOFLAGS\`, \`-ldflags "$LDFLAGS"\`, a whole word that may add any flag), for
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
      if ((inv.sub !== 'build' && inv.sub !== 'install') || inv.dynamicFlags) continue;
      if (inv.sub === 'build' && !lastFlag(inv, 'o') && inv.args.some((a) => a.value.endsWith('/...'))) continue;
      // A go install's binary counts only where it ships (a tool installed to build does not).
      if (inv.sub === 'install') {
        const dir = goInstallDir(inv);
        if (!goOutputShips(model, inv, dir === undefined ? undefined : { dir })) continue;
      }
      const gc = lastFlag(inv, 'gcflags');
      if (gc?.value !== undefined && !gc.dynamic && isDebugBuild(gc.value)) continue;
      const ld = lastFlag(inv, 'ldflags');
      if (ld) {
        if (ld.value === undefined) continue;
        const words = ld.dynamic ? expandedFlagArgs(ld.value) : flagArgs(ld.value);
        if (!words || hasStripFlags(words)) continue;
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
        message: `go ${inv.sub} without -ldflags="-s -w": the binary keeps its symbol table and debug info (often a quarter of its size).`,
        fixes: [addLdflags(model, inv)],
      });
    }
  },
});
