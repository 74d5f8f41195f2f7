import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { applyFix, fixTitles, messages, ruleCases } from '../helpers';

const rule = 'package-cache-left';

describe('package-cache-left', () => {
  ruleCases(rule, {
    valid: [
      {
        name: 'cleaned in the same RUN, after the install',
        code: `FROM rockylinux:9
RUN yum install -y httpd && yum clean all
RUN dnf -y upgrade && rm -rf /var/cache/dnf
RUN microdnf install -y tar && microdnf clean all
FROM opensuse/leap:15.6
RUN zypper -n in curl && zypper cc -a
`,
      },
      {
        name: 'pip without a cache: the option, PIP_NO_CACHE_DIR, a cache mount, pip cache purge',
        code: `FROM python:3.12
RUN pip install --no-cache-dir flask
RUN PIP_NO_CACHE_DIR=1 pip install flask
RUN export PIP_NO_CACHE_DIR=on && python -m pip install flask
RUN --mount=type=cache,target=/root/.cache/pip pip install flask
RUN pip install flask && pip cache purge
RUN pip download flask && pipx install black
`,
      },
      {
        name: 'pip configured earlier not to cache',
        code: `FROM python:3.12
RUN pip config set global.no-cache-dir true
RUN pip install flask
`,
      },
      {
        name: 'PIP_NO_CACHE_DIR from the ENV of a stage it inherits',
        code: `FROM python:3.12 AS base
ENV PIP_NO_CACHE_DIR=1
FROM base
RUN pip install flask
`,
      },
      {
        name: 'yarn: cache cleaned, cache mount, yarn --version',
        code: `FROM node:22
RUN yarn install --frozen-lockfile && yarn cache clean
RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install
RUN yarn --version
`,
      },
      {
        name: 'a builder stage whose files do not ship',
        code: `FROM python:3.12 AS build
RUN pip install build && python -m build

FROM python:3.12-slim
COPY --from=build /dist /dist
CMD ["python", "-m", "app"]
`,
      },
    ],
    invalid: [
      {
        name: 'a clean before the install, or in another manager, or in a later RUN, does not count',
        code: `FROM rockylinux:9
RUN dnf clean all && dnf install -y httpd
#                    ^^^^^^^^^^^ package-cache-left
RUN dnf install -y git && microdnf clean all
#   ^^^^^^^^^^^ package-cache-left
RUN yum install -y jq
#   ^^^^^^^^^^^ package-cache-left
RUN yum clean all
`,
      },
      {
        name: 'one finding per RUN and cache, pip each',
        code: `FROM python:3.12
RUN zypper in -y a && zypper in -y b && pip install c && pip3 install d
#   ^^^^^^^^^ package-cache-left
#                                       ^^^^^^^^^^^ package-cache-left
#                                                        ^^^^^^^^^^^^ package-cache-left
`,
      },
      {
        name: 'PIP_NO_CACHE_DIR=0 keeps the cache; yarn install',
        code: `FROM node:22
ENV PIP_NO_CACHE_DIR=0
RUN pip install flask && yarn install
#   ^^^^^^^^^^^ package-cache-left
#                        ^^^^^^^^^^^^ package-cache-left
`,
      },
    ],
  });

  it('says a cleanup in a later RUN frees nothing, and passes each peer code', () => {
    const text = 'FROM rockylinux:9\nRUN yum install -y jq\nRUN yum clean all\n';
    assert.deepEqual(messages(rule, text), [
      'yum leaves its download cache in this layer (the cleanup in a later RUN frees nothing: the files stay in this layer): end the same RUN with yum clean all.',
    ]);
    const codes = lint('FROM x\nRUN yum install -y a && dnf install -y b && zypper in -y c && pip install d && yarn\n', {
      only: [rule],
    }).findings.map((f) => f.peerCodes?.hadolint.join(','));
    assert.deepEqual(codes, ['DL3032', 'DL3040', 'DL3036', 'DL3042', 'DL3060']);
  });

  it('fixes: --no-cache-dir and a clean at the end of an && chain are safe', async () => {
    const cases: [string, string][] = [
      ['FROM python:3.12\nRUN pip3 install -U pip\n', 'FROM python:3.12\nRUN pip3 install --no-cache-dir -U pip\n'],
      [
        'FROM rockylinux:9\nRUN dnf install -y a && \\\n    make\n',
        'FROM rockylinux:9\nRUN dnf install -y a && \\\n    make && \\\n    dnf clean all\n',
      ],
      ['FROM opensuse/leap\nRUN zypper -n in a\n', 'FROM opensuse/leap\nRUN zypper -n in a && zypper clean --all\n'],
      ['FROM rockylinux:9\nRUN sudo microdnf install a\n', 'FROM rockylinux:9\nRUN sudo microdnf install a && sudo microdnf clean all\n'],
    ];
    for (const [before, after] of cases) {
      const f = lint(before, { only: [rule] }).findings[0];
      assert.equal(f.fixes?.[0].kind, 'safe', before);
      const fixed = await applyFix(rule, before);
      assert.equal(fixed, after);
      assert.deepEqual(lint(fixed, { only: [rule] }).findings, []);
    }
  });

  it('suggests (does not apply) a clean after `;` commands, and for yarn', () => {
    for (const text of ['FROM rockylinux:9\nRUN yum install -y a; make\n', 'FROM node:22\nRUN yarn install\n']) {
      const f = lint(text, { only: [rule] }).findings[0];
      assert.equal(f.fixes?.[0].kind, 'suggestion', text);
      assert.deepEqual(fixTitles(rule, text).length, 1);
    }
  });
});
