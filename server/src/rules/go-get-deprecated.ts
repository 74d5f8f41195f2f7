import { defineRule } from '../engine/rule';
import { EditBuilder } from '../engine/edits';
import { goInvocations, type GoInvocation } from '../model/go';
import type { Stage } from '../model/model';
import { commandStyle } from '../fixes/shell';

/** The Go release of a stage's official golang base (`golang:1.16-alpine` → [1, 16]), where its tag says. */
function goRelease(stage: Stage): [number, number] | undefined {
  const img = stage.rootImage;
  if (!img || !/(^|\/)golang$/.test(img.repository)) return undefined;
  const m = /^(\d+)\.(\d+)/.exec(img.tag ?? '');
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/**
 * `go get pkg@version` of a library inside a module that the stage then builds: it adds or changes a
 * requirement in go.mod, which is what go get is for in module mode (a go build, test or mod tidy
 * follows, which needs a module; the module may be copied in or cloned). A command's package
 * (`…/cmd/…`) is a tool being installed the old way, and is still reported.
 */
function editsModule(inv: GoInvocation, packages: string[]): boolean {
  if (packages.some((p) => /\/cmd(\/|@|$)/.test(p))) return false;
  const later = goInvocations(inv.stage.model).filter(
    (g) => g.stage === inv.stage && (g.run !== inv.run ? g.run.instr.span.start > inv.run.instr.span.start : g.index > inv.index),
  );
  return later.some(
    (g) =>
      ['build', 'test', 'run', 'vet', 'generate'].includes(g.sub) ||
      (g.sub === 'mod' && ['tidy', 'vendor', 'download'].includes(g.args[0]?.value ?? '')),
  );
}

export default defineRule({
  id: 'go-get-deprecated',
  severity: 'hint',
  summary: 'go get used to download dependencies or install tools.',
  rationale: `In module mode \`go get\` edits go.mod; it no longer builds or installs anything (Go 1.18),
and \`-d\` is deprecated (it is always on). To download a module's dependencies in a cacheable layer,
copy go.mod and go.sum and run \`go mod download\`; to install a tool, use
\`go install example.com/tool@v1.2.3\`.

Not reported for \`go get example.com/pkg@v1.2.3\` in a module the stage then builds (the module's
files copied before it, a go build, test or mod tidy after it): that adds a requirement to go.mod,
which is what go get is for. With a golang base older than 1.18, where go get still installs, the
message says that an update of the base will stop it.`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM golang:1.22 AS build
COPY go.mod go.sum ./
RUN go get -d -v ./...
#   ^^^^^^ go-get-deprecated
`,
      `FROM golang:1.22 AS build
RUN go get github.com/golang/mock/mockgen
#   ^^^^^^ go-get-deprecated
`,
    ],
    fixes: [
      {
        before: `FROM golang:1.22 AS build\nCOPY go.mod go.sum ./\nRUN go get -d -v ./... && go build -o /app .\n`,
        after: `FROM golang:1.22 AS build\nCOPY go.mod go.sum ./\nRUN go mod download && go build -o /app .\n`,
      },
    ],
    valid: [
      `FROM golang:1.22 AS build
COPY go.mod go.sum ./
RUN go mod download
RUN go install github.com/golang/mock/mockgen@v1.6.0
`,
    ],
  },
  check({ model, report }) {
    for (const inv of goInvocations(model)) {
      if (inv.sub !== 'get') continue;
      const packages = inv.args.filter((a) => !/^(\.|\.\/\.\.\.|all|\.\.\.)$/.test(a.value));
      const fetchOnly = inv.flags.some((f) => f.name === 'd') || packages.length === 0;
      if (
        !fetchOnly &&
        packages.every((p) => p.value.includes('@')) &&
        editsModule(
          inv,
          packages.map((p) => p.value),
        )
      )
        continue;
      const release = goRelease(inv.stage);
      const old = release && (release[0] < 1 || (release[0] === 1 && release[1] < 18));
      const command = inv.command.command;
      const fixes =
        fetchOnly && commandStyle(inv.run) !== 'exec' && command.redirects.length === 0
          ? [
              {
                // go mod download does not add missing requirements to go.mod as go get did.
                title: 'Use go mod download',
                kind: 'suggestion' as const,
                preferred: true,
                edits: () =>
                  new EditBuilder(model).replace({ start: inv.command.argv[0].start, end: command.end }, 'go mod download').build(),
              },
            ]
          : [];
      report({
        span: inv.span,
        fixes,
        message: fetchOnly
          ? `go get to download dependencies is deprecated: use go mod download (after copying go.mod and go.sum).`
          : old
            ? `go get stops building and installing packages in Go 1.18; this image's Go ${release!.join('.')} still does, and an update of the base will break it: use go install <package>@<version> for tools (Go 1.16 and later), or go mod download for dependencies.`
            : `go get no longer builds or installs packages (Go 1.18): use go install <package>@<version> for tools, or go mod download for dependencies.`,
      });
    }
  },
});
