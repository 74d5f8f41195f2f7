import { defineRule } from '../engine/rule';
import { goInvocations } from '../model/go';

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
      report({
        span: inv.span,
        message: fetchOnly
          ? `go get to download dependencies is deprecated: use go mod download (after copying go.mod and go.sum).`
          : `go get no longer builds or installs packages (Go 1.18): use go install <package>@<version> for tools, or go mod download for dependencies.`,
      });
    }
  },
});
