import * as assert from 'node:assert/strict';
import { fixAll } from '../../../server/src/linter/fix';
import { fixTitles, messages, ruleCases, severities } from '../helpers';

describe('apt-recommends', () => {
  ruleCases('apt-recommends', {
    valid: [
      {
        name: '--no-install-recommends, anywhere among the options',
        code: `FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends curl \\
 && apt-get --no-install-recommends install -y jq \\
 && apt install --no-install-recommends -y git
`,
      },
      {
        name: 'APT::Install-Recommends=false (or 0) with -o',
        code: `FROM debian:12
RUN apt-get update \\
 && apt-get -o APT::Install-Recommends=false install -y curl \\
 && apt-get install -y -o APT::Install-Recommends=0 jq \\
 && apt-get install -y --option=APT::Install-Recommends=false git
`,
      },
      {
        name: 'an apt.conf file written by an earlier RUN',
        code: `FROM debian:12
RUN echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/90norecommends
RUN apt-get update && apt-get install -y curl
`,
      },
      {
        name: 'an apt.conf file written in a stage the shipped one inherits from',
        code: `FROM debian:12 AS base
RUN printf 'APT::Install-Recommends "0";\\n' > /etc/apt/apt.conf.d/01norecommend
FROM base
RUN apt-get update && apt-get install -y curl
`,
      },
      {
        name: 'an apt.conf file written by a COPY heredoc',
        code: `FROM debian:12
COPY <<EOF /etc/apt/apt.conf.d/90norecommends
APT::Install-Recommends "false";
EOF
RUN apt-get update && apt-get install -y curl
`,
      },
      {
        name: 'a builder stage whose files do not ship',
        code: `FROM debian:12 AS build
RUN apt-get update && apt-get install -y build-essential
FROM gcr.io/distroless/cc-debian12
COPY --from=build /out/app /app
`,
      },
      {
        name: 'other apt subcommands, and a dry run',
        code: `FROM debian:12
RUN apt-get update && apt-get upgrade -y && apt-get remove -y curl && apt-get install -s curl && apt-get -qqs install jq
`,
      },
      {
        name: "hadolint's DL3015 ignore comment",
        code: `FROM debian:12
# hadolint ignore=DL3015
RUN apt-get update && apt-get install -y curl
`,
      },
    ],
    invalid: [
      {
        name: 'apt-get install: from apt-get to the subcommand',
        code: `FROM debian:12
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
#                     ^^^^^^^^^^^^^^^ apt-recommends
`,
      },
      {
        name: 'options before the subcommand are in the range',
        code: `FROM debian:12
RUN apt-get -qqy install curl
#   ^^^^^^^^^^^^^^^^^^^^ apt-recommends
`,
      },
      {
        name: 'apt install too',
        code: `FROM debian:12
RUN apt update && apt install -y curl
#                 ^^^^^^^^^^^ apt-recommends
`,
      },
      {
        name: '-o for another command does not configure later RUNs',
        code: `FROM debian:12
RUN apt-get update && apt-get -o APT::Install-Recommends=false install -y curl
RUN apt-get install -y jq
#   ^^^^^^^^^^^^^^^ apt-recommends
`,
      },
      {
        name: 'an apt.conf file written after the install does not count',
        code: `FROM debian:12
RUN apt-get update && apt-get install -y curl
#                     ^^^^^^^^^^^^^^^ apt-recommends
RUN echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/90norecommends
`,
      },
      {
        name: 'Install-Recommends set to true',
        code: `FROM debian:12
RUN apt-get -o APT::Install-Recommends=true install -y curl
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ apt-recommends
`,
      },
      {
        name: 'every install of a RUN, behind env and on continuation lines',
        code: `FROM debian:12
RUN apt-get update \\
 && env DEBIAN_FRONTEND=noninteractive apt-get install -y tzdata \\
#                                      ^^^^^^^^^^^^^^^ apt-recommends
 && apt-get install -y curl
#   ^^^^^^^^^^^^^^^ apt-recommends
`,
      },
      {
        name: 'a stage the shipped one inherits from',
        code: `FROM debian:12 AS base
RUN apt-get update && apt-get install -y ca-certificates
#                     ^^^^^^^^^^^^^^^ apt-recommends
FROM base
CMD ["/app"]
`,
      },
    ],
  });

  it('is info and names the command', () => {
    const source = 'FROM debian:12\nRUN apt install -y curl\n';
    assert.deepEqual(severities('apt-recommends', source), ['2:4 info']);
    assert.deepEqual(messages('apt-recommends', source), [
      'apt install without --no-install-recommends also installs recommended packages the image does not need.',
    ]);
  });

  // Reproduction: --no-install-recommends dropped ca-certificates (a Recommends of libcurl4) and a
  // later update-ca-certificates was not found. A fix that changes what is installed is not safe.
  it('its fix is a suggestion that says what to check, never applied by fix --unsafe', async () => {
    const text =
      'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nRUN update-ca-certificates\n';
    assert.deepEqual(fixTitles('apt-recommends', text), [
      'Add --no-install-recommends (check: the packages curl recommends are no longer installed)',
    ]);
    const unsafe = await fixAll(text, { only: ['apt-recommends'], unsafe: true });
    assert.equal(unsafe.text, text);
  });
});
