import * as assert from 'node:assert/strict';
import { messages, ruleCases } from '../helpers';

const RULE = 'healthcheck-missing';

describe(RULE, () => {
  ruleCases(RULE, {
    valid: [
      {
        name: 'a HEALTHCHECK, or HEALTHCHECK NONE, in the shipped stage or a stage it is built on',
        code: `FROM python:3.12 AS app
HEALTHCHECK --interval=30s CMD python -c "import urllib.request; urllib.request.urlopen('http://localhost:8000/health')"
FROM app
CMD ["gunicorn", "app:app"]
`,
      },
      {
        name: 'HEALTHCHECK NONE',
        code: `FROM nginx:1.27
HEALTHCHECK NONE
`,
      },
      {
        name: 'only the shipped stage counts: a builder stage needs none',
        code: `FROM golang:1.22 AS build
RUN go build -o /app .
FROM gcr.io/distroless/static-debian12
COPY --from=build /app /app
HEALTHCHECK CMD ["/app", "-health"]
ENTRYPOINT ["/app"]
`,
      },
      {
        name: 'a scratch export stage (nothing to run)',
        code: `FROM golang:1.22 AS build
RUN go build -o /out/app .
FROM scratch
COPY --from=build /out/app /
`,
      },
      {
        name: 'a development image',
        code: `# dockerfile-hardener role=dev
FROM node:22
CMD ["npm", "run", "dev"]
`,
      },
      {
        name: 'a toolchain image run one-shot',
        code: `FROM alpine:3.20
RUN apk add --no-cache jq
ENTRYPOINT ["jq"]
`,
      },
    ],
    invalid: [
      {
        name: 'the shipped stage, not the one that has a HEALTHCHECK',
        code: `FROM nginx:1.27 AS one
HEALTHCHECK CMD curl -fsS http://localhost/ || exit 1
FROM nginx:1.27
#    ^^^^^^^^^^ healthcheck-missing
COPY site/ /usr/share/nginx/html/
`,
      },
    ],
  });

  it('says the base image may have one, and why the image is taken as a service', () => {
    assert.deepEqual(messages(RULE, 'FROM python:3.12\nCMD ["python", "app.py"]\n'), [
      'The image has no HEALTHCHECK in this Dockerfile (its base image may define one): Docker cannot tell a hung service from a working one. Add a HEALTHCHECK, or HEALTHCHECK NONE if it needs none. (Taken as a service: it runs python.)',
    ]);
  });
});
