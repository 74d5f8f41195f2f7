import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { memoryContext, messages, ruleCases, severities } from '../helpers';

// Fake credentials, built from parts so that no credential-shaped string sits in the repository.
const VARIED = '0123456789abcdefghij' + 'ABCDEFGHIJ012345';
const GHP = 'ghp' + '_' + VARIED;
const GHS = 'ghs' + '_' + 'Zy9' + VARIED.slice(3);
const PAT = 'github' + '_pat_' + '11ABCDEFG0123456789abc' + '_' + 'Qw3rTy'.repeat(9) + 'Zx9Cv';
const GLPAT = 'glpat' + '-' + 'a1B2c3D4e5F6g7H8i9J0';
const NPM = 'npm' + '_' + 'Zy9' + VARIED.slice(3);
const AKIA = 'AKIA' + 'Q3T7Z2MW' + 'K5R8N4PB';
const AWS_SECRET = 'k9Tq/2Lm' + 'Xv7Rb+4Wz' + 'N1pHs8Yc' + 'D3fGj6Ku' + 'E0aQw5Z';
const XOXB = 'xoxb' + '-' + '123456789012-1234567890123-' + 'aB3dE5gH7jK9mN1pQ3sT5vW7';
const HOOK = 'https://hooks.slack' + '.com/services/' + 'T0A1B2C3D/' + 'B4E5F6G7H/' + 'x1Y2z3W4v5U6t7S8r9Q0p1O2';
const STRIPE = 'sk' + '_live_' + '4eC39HqLyjWDarjtT1zdp7dc';
const GOOGLE = 'AI' + 'za' + 'SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY';
const KEY_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC' + 'BKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj';
const BEGIN = '-----BEGIN ' + 'RSA PRIVATE' + ' KEY-----';
const carets = (s: string) => '^'.repeat(s.length);

describe('secret-in-content', () => {
  ruleCases('secret-in-content', {
    valid: [
      {
        name: 'placeholders: variables, <token>, AWS documentation keys, xxxx, repeated characters',
        code: `FROM node:22-alpine
RUN echo "//registry.npmjs.org/:_authToken=\${NPM_TOKEN}" > ~/.npmrc
RUN echo "//registry.npmjs.org/:_authToken=$NPM_TOKEN" >> ~/.npmrc
RUN echo "//npm.pkg.github.com/:_authToken=<token>" >> ~/.npmrc
ENV AWS_KEY_HINT=AKIAIOSFODNN7EXAMPLE
LABEL hint="${'ghp_' + 'x'.repeat(36)}" other="${'npm_' + 'A'.repeat(36)}"
RUN git clone https://${'ghp_' + 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX'}@github.com/a/b.git
`,
      },
      {
        name: 'a script that looks for a private key header, without a key',
        code: `FROM alpine:3.20
RUN grep -q "${BEGIN}" /etc/app/key.pem || echo "no key"
`,
      },
      {
        name: 'a prefix inside a longer word, or too short to be a token',
        code: `FROM alpine:3.20
RUN echo myghp_${VARIED}x && echo ghp_abc && echo AKIA123
`,
      },
      {
        name: 'token bodies a person typed: only digits, only lower case',
        code: `FROM alpine:3.20
RUN git clone https://${'ghp_' + '1234567890'.repeat(3) + '123456'}@github.com/a/b.git
RUN echo ${'npm_' + 'abcdefghijklmnopqrstuvwxyz'}0123456789 ${'npm_' + 'abcdefghijklmnopqrstuvwxyz'}abcdefghij
`,
      },
      {
        name: 'a private key header followed by a hex digest, not a key',
        code: `FROM alpine:3.20
RUN grep -q "${BEGIN}" key.pem && echo "${'3f786850e387550fdab836ed'}7e6dc881de23001b3f786850e387550f  key.pem" | sha256sum -c
`,
      },
      {
        name: "the key pair of AWS's documentation",
        code: `FROM amazon/aws-cli
RUN aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE && \\
    aws configure set aws_secret_access_key ${'wJalrXUtnFEMI/K7MDENG/' + 'bPxRfiCYEXAMPLEKEY'}
`,
      },
      {
        name: 'an ENV that secret-in-env reports by its name is not reported twice',
        code: `FROM alpine:3.20
ENV GITHUB_TOKEN=${GHP} LOG_LEVEL=info
ARG NPM_TOKEN=${NPM}
`,
      },
      {
        name: 'a private key in a CI image is a test fixture',
        code: `FROM python:3.12
RUN printf '%s\\n' "${BEGIN}" "${KEY_BODY}" > /tests/key.pem
`,
        options: { path: 'test/integration/Dockerfile' },
      },
      {
        name: 'files secret-file-copied reports (by name or header) are not reported twice',
        code: `FROM node:22-alpine
COPY deploy/id_rsa /root/.ssh/
COPY .npmrc ./
`,
        options: {
          buildContext: memoryContext({
            'deploy/id_rsa': `${BEGIN}\n${KEY_BODY}\n`,
            '.npmrc': `//registry.npmjs.org/:_authToken=${NPM}\n`,
          }),
        },
      },
      {
        name: 'a context file without credentials, a binary, and a file that cannot be read',
        code: `FROM node:22-alpine
COPY .npmrc app.bin missing.txt ./
`,
        options: {
          buildContext: memoryContext({ '.npmrc': 'registry=https://registry.npmjs.org/\n', 'app.bin': `\u0000${GHP}` }),
        },
      },
    ],
    invalid: [
      {
        name: 'a token in a RUN script, in a git URL',
        code: `FROM alpine:3.20
RUN git clone https://${GHP}@github.com/acme/app.git
#                     ${carets(GHP)} secret-in-content
`,
      },
      {
        name: 'npm tokens written to .npmrc: the literal after _authToken=',
        code: `FROM node:22-alpine
RUN echo "//registry.npmjs.org/:_authToken=${NPM}" > ~/.npmrc
#                                          ${carets(NPM)} secret-in-content
RUN echo "//npm.example.com/repo/:_authToken=s3cr3tV4lu3Qz" >> ~/.npmrc
#                                            ^^^^^^^^^^^^^ secret-in-content
`,
      },
      {
        name: 'ENV and ARG values whose names do not say secret, and LABEL values',
        code: `FROM alpine:3.20
ENV REMOTE=https://x:${GLPAT}@gitlab.com/a/b.git
#                    ${carets(GLPAT)} secret-in-content
ARG WEBHOOK=${HOOK}
#                   ${'^'.repeat(HOOK.length - 8)} secret-in-content
LABEL ci.key="${GOOGLE}"
#             ${carets(GOOGLE)} secret-in-content
`,
      },
      {
        name: 'an AWS access key id, and the secret key next to it (not a commit hash)',
        code: `FROM amazon/aws-cli
RUN aws configure set aws_access_key_id ${AKIA} && \\
#                                       ${carets(AKIA)} secret-in-content
    git checkout 3f786850e387550fdab836ed7e6dc881de23001b && \\
    aws configure set aws_secret_access_key ${AWS_SECRET}
#                                           ${carets(AWS_SECRET)} secret-in-content
`,
      },
      {
        name: 'a heredoc body of RUN and of COPY',
        code: `FROM alpine:3.20
RUN <<EOF
echo "machine github.com login bot password ${GHS}" > ~/.netrc
#                                           ${carets(GHS)} secret-in-content
EOF
COPY <<EOF /root/.config/stripe
key = ${STRIPE}
#     ${carets(STRIPE)} secret-in-content
EOF
`,
      },
      {
        name: 'a private key block, on the header',
        code: `FROM alpine:3.20
COPY <<EOF /root/.ssh/id_rsa
${BEGIN}
${carets(BEGIN)} secret-in-content
${KEY_BODY}
EOF
`,
      },
      {
        name: 'a fine-grained GitHub token and a Slack token, in a builder stage',
        code: `FROM golang:1.23 AS build
ENV GOPRIVATE_URL=https://${PAT}@github.com
#                         ${carets(PAT)} secret-in-content
RUN curl -H "Authorization: Bearer ${XOXB}" https://slack.com/api/auth.test
#                                  ${carets(XOXB)} secret-in-content
FROM scratch
COPY --from=build /go/bin/app /app
`,
      },
      {
        name: 'a token split over a line continuation',
        code: `FROM alpine:3.20
RUN echo ${GHP.slice(0, 10)}\\
#        ^^^^^^^^^^^ secret-in-content ~+1:${GHP.length - 10}
${GHP.slice(10)} > /t
`,
      },
      {
        name: 'a service token is reported in a CI image too',
        code: `FROM python:3.12
RUN git clone https://${GHP}@github.com/acme/app.git
#                     ${carets(GHP)} secret-in-content
`,
        options: { path: 'test/integration/Dockerfile' },
      },
      {
        name: 'an ENV with a secret name when secret-in-env is off',
        code: `FROM alpine:3.20
ENV GITHUB_TOKEN=${GHP}
#                ${carets(GHP)} secret-in-content
`,
        options: { rules: { 'secret-in-env': 'off' } },
      },
      {
        name: 'a text file the COPY takes from the build context, on its source',
        code: `FROM node:22-alpine
COPY package.json .yarnrc.yml ./
#                 ^^^^^^^^^^^ secret-in-content
`,
        options: {
          buildContext: memoryContext({ 'package.json': '{}', '.yarnrc.yml': `nodeLinker: node-modules\nnpmAuthToken: ${NPM}\n` }),
        },
      },
      {
        name: 'a key file in a builder stage, which secret-file-copied leaves alone',
        code: `FROM alpine:3.20 AS fetch
COPY deploy/id_rsa /root/.ssh/
#    ^^^^^^^^^^^^^ secret-in-content
RUN git clone git@github.com:acme/private.git /src
FROM alpine:3.20
COPY --from=fetch /src /app
`,
        options: { buildContext: memoryContext({ 'deploy/id_rsa': `${BEGIN}\n${KEY_BODY}\n` }) },
      },
    ],
  });

  it('names the format with a masked prefix, never the secret, and says the stage does not ship', () => {
    const source = `FROM golang:1.23 AS build
RUN git clone https://${GHP}@github.com/acme/app.git
FROM scratch
COPY --from=build /app /app
`;
    const [m] = messages('secret-in-content', source);
    assert.equal(
      m,
      'GitHub personal access token (ghp_…) in this RUN, in stage "build", which does not ship but keeps it in its layers, history and the build cache. Revoke and rotate it, then pass it with RUN --mount=type=secret; no edit can make it safe.',
    );
    assert.ok(!m.includes(VARIED.slice(0, 8)));
  });

  it('says when the stage ships, and names the context file and line', () => {
    const options = {
      buildContext: memoryContext({ 'deploy/app.conf': `a = 1\nslack = ${XOXB}\n` }),
    };
    const source = `FROM alpine:3.20 AS base
FROM base
ENV URL=https://${GHP}@github.com
COPY deploy/app.conf /app/
`;
    assert.deepEqual(messages('secret-in-content', source, options), [
      'GitHub personal access token (ghp_…) in an ENV value, in a stage that ships. Revoke and rotate it, then pass it with RUN --mount=type=secret; no edit can make it safe.',
      'Slack token (xoxb-…) in deploy/app.conf (line 2), which this COPY puts into the image, in a stage that ships. Revoke and rotate it, then pass it with RUN --mount=type=secret; no edit can make it safe.',
    ]);
  });

  it('is an error, with no fix', () => {
    const source = `FROM alpine:3.20\nRUN echo ${GHP}\n`;
    assert.deepEqual(severities('secret-in-content', source), ['2:9 error']);
    const { findings } = lint(source, { only: ['secret-in-content'] });
    assert.equal(findings[0].fixes, undefined);
  });

  it('a Google API key is a warning, and the message says why', () => {
    const source = `FROM nginx:1.27\nLABEL maps="${GOOGLE}"\n`;
    assert.deepEqual(severities('secret-in-content', source), ['2:12 warning']);
    assert.match(
      messages('secret-in-content', source)[0],
      /^Google API key \(AIza…\) in a LABEL, in a stage that ships\. A browser key \(Maps, Firebase\) is public by design/,
    );
  });

  it('one secret, one finding: secret-in-env and this rule do not report the same ENV', () => {
    const source = `FROM alpine:3.20\nENV GITHUB_TOKEN=${GHP} URL=https://${GHS}@github.com\n`;
    const { findings } = lint(source, { only: ['secret-in-env', 'secret-in-content'] });
    assert.deepEqual(
      findings.map((f) => `${f.rule} ${f.range.start.character}`),
      ['secret-in-env 4', `secret-in-content ${source.indexOf(GHS) - 17}`],
    );
  });
});
