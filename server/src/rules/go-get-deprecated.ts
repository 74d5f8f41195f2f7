import { defineRule } from '../engine/rule';
import { EditBuilder } from '../engine/edits';
import { goInvocations } from '../model/go';
import { commandStyle } from '../fixes/shell';

export default defineRule({
  id: 'go-get-deprecated',
  severity: 'hint',
  summary: 'go get used to download dependencies or install tools.',
  rationale: `In module mode \`go get\` edits go.mod; it no longer builds or installs anything (Go 1.18),
and \`-d\` is deprecated (it is always on). To download a module's dependencies in a cacheable layer,
copy go.mod and go.sum and run \`go mod download\`; to install a tool, use
\`go install example.com/tool@v1.2.3\`.`,
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
      const command = inv.command.command;
      const fixes =
        fetchOnly && commandStyle(inv.run) !== 'exec' && command.redirects.length === 0
          ? [
              {
                // go mod download does not add missing requirements to go.mod as go get did.
                title: 'Use go mod download',
                kind: 'suggestion' as const,
                preferred: true,
                edits: () => new EditBuilder(model).replace({ start: inv.command.argv[0].start, end: command.end }, 'go mod download').build(),
              },
            ]
          : [];
      report({
        span: inv.span,
        fixes,
        message: fetchOnly
          ? `go get to download dependencies is deprecated: use go mod download (after copying go.mod and go.sum).`
          : `go get no longer builds or installs packages (Go 1.18): use go install <package>@<version> for tools, or go mod download for dependencies.`,
      });
    }
  },
});
