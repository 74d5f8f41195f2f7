import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { applyFix, fixTitles, messages, ruleCases } from '../helpers';

describe('package-install-prompt', () => {
  ruleCases('package-install-prompt', {
    valid: [
      {
        name: 'options that answer yes, apt-get quiet level 2 included',
        code: `FROM debian:12
RUN apt-get -qq install curl && apt-get install -q=2 git && apt-get -q -q upgrade
RUN apt-get --assume-yes install jq && apt-get install -yq vim && apt-get -o APT::Get::Assume-Yes=true purge nano
`,
      },
      {
        name: 'input fed to the command',
        code: `FROM debian:12
RUN yes | apt-get install curl
RUN apt-get remove nano < /answers
`,
      },
      {
        name: 'options in a variable the tool cannot read',
        code: `FROM debian:12
RUN apt-get install $APT_FLAGS curl
`,
      },
      {
        name: 'an apt.conf written by an earlier RUN that answers yes',
        code: `FROM debian:12
RUN echo 'APT::Get::Assume-Yes "true";' > /etc/apt/apt.conf.d/90yes
RUN apt-get install curl
`,
      },
      {
        name: 'microdnf never asks; zypper global -n; commands that ask nothing',
        code: `FROM registry.access.redhat.com/ubi9/ubi-minimal
RUN microdnf install tar && microdnf clean all
FROM opensuse/leap:15.6
RUN zypper --non-interactive in curl && zypper -n up && zypper refresh && zypper clean
FROM rockylinux:9
RUN dnf makecache && dnf clean all && dnf -y install httpd
`,
      },
      {
        name: 'a simulated install changes nothing',
        code: `FROM debian:12
RUN apt-get install -s curl
`,
      },
    ],
    invalid: [
      {
        name: 'apt-get and apt install, upgrade and remove; DEBIAN_FRONTEND does not answer',
        code: `FROM debian:12
RUN DEBIAN_FRONTEND=noninteractive apt-get install -q curl
#                                  ^^^^^^^^^^^^^^^ package-install-prompt
RUN apt upgrade && apt-get autoremove
#   ^^^^^^^^^^^ package-install-prompt
#                  ^^^^^^^^^^^^^^^^^^ package-install-prompt
`,
      },
      {
        name: 'yum, dnf group install, zypper, in an ONBUILD trigger too',
        code: `FROM rockylinux:9
RUN yum install httpd && dnf group install "Development Tools"
#   ^^^^^^^^^^^ package-install-prompt
#                        ^^^^^^^^^ package-install-prompt
ONBUILD RUN zypper install curl
#           ^^^^^^^^^^^^^^ package-install-prompt
`,
      },
    ],
  });

  it('passes the peer code of each manager', () => {
    const codes = lint('FROM x\nRUN apt-get install a && yum install b && dnf install c && zypper in d\n', {
      only: ['package-install-prompt'],
    }).findings.map((f) => f.peerCodes?.hadolint.join(','));
    assert.deepEqual(codes, ['DL3014', 'DL3030', 'DL3038', 'DL3034']);
  });

  it('says what happens', () => {
    assert.deepEqual(messages('package-install-prompt', 'FROM debian:12\nRUN apt-get install curl\n'), [
      'apt-get install without -y: if it asks for confirmation, the build has nobody to answer and fails.',
    ]);
  });

  it('adds -y after the action word, or -n before the zypper subcommand, and re-lints clean', async () => {
    const cases: [string, string][] = [
      ['FROM debian:12\nRUN apt-get install curl\n', 'FROM debian:12\nRUN apt-get install -y curl\n'],
      ['FROM rockylinux:9\nRUN dnf group install "Dev"\n', 'FROM rockylinux:9\nRUN dnf group install -y "Dev"\n'],
      ['FROM rockylinux:9\nRUN sudo yum --enablerepo=x install a\n', 'FROM rockylinux:9\nRUN sudo yum --enablerepo=x install -y a\n'],
      ['FROM opensuse/leap\nRUN zypper in curl\n', 'FROM opensuse/leap\nRUN zypper -n in curl\n'],
    ];
    for (const [before, after] of cases) {
      assert.deepEqual(fixTitles('package-install-prompt', before).length, 1);
      const fixed = await applyFix('package-install-prompt', before);
      assert.equal(fixed, after);
      assert.deepEqual(lint(fixed, { only: ['package-install-prompt'] }).findings, []);
    }
  });
});
