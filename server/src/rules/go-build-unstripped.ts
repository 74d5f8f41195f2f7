import { defineRule, type Fix } from '../engine/rule';
import { expandedFlagArgs, flagArgs, goEnv, goInvocations, lastFlag } from '../model/go';
import { goInstallOutput, goOutput, goOutputShips } from '../model/goOutput';
import { runtimeOf } from '../model/runtime';
import { addLdflags, ldflagsMerge } from '../fixes/go';
import { EditBuilder } from '../engine/edits';

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

Only binaries that ship are checked: built or installed in a stage the shipped image is built on, or
copied from their stage into it (by their path: \`go build -o\`'s output, \`go install\`'s
$GOBIN/<name> or $GOPATH/bin/<name>); a tool built only to build, lint or generate code is not, and
neither is anything in a builder, development or CI image (a lint or e2e Dockerfile).

An -ldflags value that holds expansions is read around them: \`-ldflags "-X main.v=$(git describe)"\`
lacks -s -w whatever the command prints. Not reported when the flags come from a variable
(\`go build $GOFLAGS\`, \`-ldflags "$LDFLAGS"\`, a whole word that may add any flag), for
\`go build ./...\` without \`-o\`, which only checks that packages compile, or for a debug build
(\`-gcflags "all=-N -l"\`, for Delve), which needs its debug information.`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM golang:1.22
RUN go build -o /out/app ./cmd/app
#   ^^^^^^^^ go-build-unstripped
`,
      `FROM golang:1.22
RUN CGO_ENABLED=0 go build -ldflags "-X main.version=1.2.3" -o /out/app .
#                          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ go-build-unstripped
`,
    ],
    fixes: [
      {
        before: `FROM golang:1.22\nRUN go build -o /out/app ./cmd/app\n`,
        after: `FROM golang:1.22\nRUN go build -ldflags="-s -w" -o /out/app ./cmd/app\n`,
      },
      {
        before: `FROM golang:1.22\nRUN go build -ldflags "-X main.version=1.2.3" -o /out/app .\n`,
        after: `FROM golang:1.22\nRUN go build -ldflags "-s -w -X main.version=1.2.3" -o /out/app .\n`,
      },
      {
        before: `FROM golang:1.22\nRUN go build -ldflags=all=-w -o /out/app .\n`,
        after: `FROM golang:1.22\nRUN go build -ldflags="all=-s -w" -o /out/app .\n`,
      },
      {
        before: `FROM golang:1.22\nRUN ["go", "build", "-o", "/out/app", "."]\n`,
        after: `FROM golang:1.22\nRUN ["go", "build", "-ldflags=-s -w", "-o", "/out/app", "."]\n`,
      },
    ],
    valid: [
      `FROM golang:1.22
RUN go build -ldflags="-s -w -X main.version=1.2.3" -o /out/app .
`,
      `FROM golang:1.22
ARG LDFLAGS
RUN go build -ldflags "\${LDFLAGS}" -o /out/app .
`,
      `FROM golang:1.22
RUN go build ./...
`,
    ],
  },
  check({ model, report }) {
    const shipped = model.shipped;
    if (!shipped || !['service', 'toolchain'].includes(runtimeOf(shipped).role.kind)) return;
    for (const inv of goInvocations(model)) {
      if ((inv.sub !== 'build' && inv.sub !== 'install') || inv.dynamicFlags) continue;
      if (inv.sub === 'build' && !lastFlag(inv, 'o') && inv.args.some((a) => a.value.endsWith('/...'))) continue;
      // Only a binary that ships: built in the shipped stages or copied into them (a tool built or
      // installed to build, lint or generate does not), and not in a builder, development or CI image.
      if (!goOutputShips(model, inv, inv.sub === 'install' ? goInstallOutput(inv) : goOutput(inv))) continue;
      const gc = lastFlag(inv, 'gcflags');
      if (gc?.value !== undefined && !gc.dynamic && isDebugBuild(gc.value)) continue;
      const ld = lastFlag(inv, 'ldflags');
      if (ld) {
        if (ld.value === undefined) continue;
        const words = ld.dynamic ? expandedFlagArgs(ld.value) : flagArgs(ld.value);
        if (!words || hasStripFlags(words)) continue;
        const merge = ldflagsMerge(model, ld);
        const fix: Fix | undefined = merge && {
          title: `Add ${merge.missing.join(' ')} to -ldflags`,
          kind: 'safe',
          preferred: true,
          edits: () => merge.apply(new EditBuilder(model)).build(),
        };
        report({
          span: ld.span,
          message: `-ldflags lacks -s -w: the binary keeps its symbol table and debug info. Add them to this -ldflags value.`,
          fixes: fix ? [fix] : [],
        });
        continue;
      }
      const goflags = goEnv(inv, 'GOFLAGS');
      if (goflags.set && (goflags.value === undefined || goflags.value.includes('-ldflags'))) continue;
      report({
        span: inv.span,
        message: `go ${inv.sub} without -ldflags="-s -w": the binary keeps its symbol table and debug info (often a quarter of its size).`,
        fixes: [
          { title: 'Add -ldflags="-s -w"', kind: 'safe', preferred: true, edits: () => addLdflags(new EditBuilder(model), inv).build() },
        ],
      });
    }
  },
});
