import * as assert from 'node:assert/strict';
import { fixTitles, memoryContext, messages, ruleCases } from '../helpers';
import { nopasswdAll } from '../../../server/src/model/sudoers';

const context = memoryContext({ 'sudoers/app': '# for the app\napp ALL=(ALL) NOPASSWD: ALL\n' });

describe('passwordless-sudo', () => {
  ruleCases('passwordless-sudo', {
    valid: [
      {
        name: 'the image runs as root (root-user reports that)',
        code: `FROM debian:12
RUN apt-get update && apt-get install -y sudo
RUN useradd -m app && echo 'app ALL=(ALL) NOPASSWD: ALL' >> /etc/sudoers
CMD ["/srv/app"]
`,
      },
      {
        name: 'a group grant that asks for a password',
        code: `FROM debian:12
RUN apt-get update && apt-get install -y sudo
RUN useradd -m app && usermod -aG sudo app && echo '%sudo ALL=(ALL:ALL) ALL' >> /etc/sudoers
USER app
CMD ["/srv/app"]
`,
      },
      {
        name: 'a grant of one command',
        code: `FROM debian:12
RUN apt-get update && apt-get install -y sudo
RUN useradd -m app && echo 'app ALL=(root) NOPASSWD: /usr/sbin/service nginx reload' > /etc/sudoers.d/app
USER app
CMD ["/srv/app"]
`,
      },
      {
        name: 'a grant to a group the user is not in',
        code: `FROM debian:12
RUN apt-get update && apt-get install -y sudo
RUN useradd -m app && echo '%admin ALL=(ALL) NOPASSWD: ALL' >> /etc/sudoers
USER app
CMD ["/srv/app"]
`,
      },
      {
        name: 'a grant to another user',
        code: `FROM debian:12
RUN apt-get update && apt-get install -y sudo
RUN useradd -m ops && echo "ops ALL=(ALL) NOPASSWD: ALL" >> /etc/sudoers
RUN useradd -m app
USER app
CMD ["/srv/app"]
`,
      },
      {
        name: 'in a builder stage that does not ship',
        code: `FROM debian:12 AS build
RUN apt-get update && apt-get install -y sudo
RUN useradd -m app && echo 'app ALL=(ALL) NOPASSWD: ALL' >> /etc/sudoers
USER app
RUN make

FROM debian:12
RUN apt-get update && apt-get install -y sudo
RUN useradd -m app
USER app
CMD ["/srv/app"]
`,
      },
      {
        name: 'sudo is not installed on an official image: the grant does nothing',
        code: `FROM debian:12
RUN useradd -m app && echo 'app ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/app
USER app
CMD ["/srv/app"]
`,
      },
      {
        name: 'a file that is not sudoers',
        code: `FROM debian:12
RUN apt-get update && apt-get install -y sudo
RUN useradd -m app && echo 'app ALL=(ALL) NOPASSWD: ALL' >> /tmp/sudoers.example
USER app
CMD ["/srv/app"]
`,
      },
      {
        name: 'a development container',
        code: `FROM debian:12
RUN apt-get update && apt-get install -y sudo
RUN useradd -m app && echo 'app ALL=(ALL) NOPASSWD: ALL' >> /etc/sudoers.d/app
USER app
CMD ["sleep", "infinity"]
`,
        options: { path: '.devcontainer/Dockerfile' },
      },
      {
        name: 'a copied sudoers file granting one command',
        code: `FROM debian:12
RUN apt-get update && apt-get install -y sudo
RUN useradd -m app
COPY sudoers/app /etc/sudoers.d/app
USER app
CMD ["/srv/app"]
`,
        options: { buildContext: memoryContext({ 'sudoers/app': 'app ALL=(root) NOPASSWD: /usr/bin/apt-get update\n' }) },
      },
      {
        name: 'a sudoers.d file sudo skips: its name has a dot or ends in ~',
        code: `FROM debian:12
RUN apt-get update && apt-get install -y sudo
RUN useradd -m app && echo "app ALL=(ALL) NOPASSWD: ALL" >> /etc/sudoers.d/app.conf
RUN echo "app ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/app~ && echo "app ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/x/app
COPY sudoers/app /etc/sudoers.d/app.conf
COPY sudoers/app.conf /etc/sudoers.d/
USER app
CMD ["/srv/app"]
`,
        options: {
          buildContext: memoryContext({
            'sudoers/app': 'app ALL=(ALL) NOPASSWD: ALL\n',
            'sudoers/app.conf': 'app ALL=(ALL) NOPASSWD: ALL\n',
          }),
        },
      },
      {
        name: 'a grant the file removes later (rm of the file, of the directory, of a glob)',
        code: `FROM debian:12
RUN apt-get update && apt-get install -y sudo
RUN useradd -m app && echo "app ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/app && echo "app ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/b
RUN echo "app ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/c && make install && rm -rf /etc/sudoers.d/*
RUN rm -f /etc/sudoers.d/app && rm -r /etc/sudoers.d/b
USER app
CMD ["/srv/app"]
`,
      },
      {
        name: 'a grant a later sed -i deletes or strips of NOPASSWD, in a later stage of the chain',
        code: `FROM debian:12 AS base
RUN apt-get update && apt-get install -y sudo
RUN useradd -m app && echo "app ALL=(ALL) NOPASSWD: ALL" >> /etc/sudoers && echo "app ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/app
RUN echo "app ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/two

FROM base
RUN sed -i '/NOPASSWD/d' /etc/sudoers && sed -i -e 's/NOPASSWD: *//' /etc/sudoers.d/app
RUN sed -Ei 's/^(app.*)NOPASSWD:[[:space:]]*(.*)$/\\1\\2/' /etc/sudoers.d/two
USER app
CMD ["/srv/app"]
`,
      },
      {
        name: 'sudo removed after the grant (apt-get purge, apk del, dnf remove)',
        code: `FROM debian:12
RUN apt-get update && apt-get install -y sudo
RUN useradd -m app && echo "app ALL=(ALL) NOPASSWD: ALL" >> /etc/sudoers
RUN make install && apt-get purge -y --auto-remove sudo
USER app
CMD ["/srv/app"]
`,
      },
      {
        name: 'sudo removed with apk del and dnf remove',
        code: `FROM alpine:3.23
RUN apk add --no-cache sudo && adduser -D app && echo "app ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/app && apk del sudo
USER app
CMD ["/srv/app"]
`,
      },
      {
        name: 'sudo removed with dnf remove',
        code: `FROM rockylinux:9
RUN dnf install -y sudo && useradd app && echo "app ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/app
RUN dnf remove -y sudo && dnf clean all
USER app
CMD ["/srv/app"]
`,
      },
    ],
    invalid: [
      {
        name: 'printf into sudoers.d',
        code: `FROM debian:12
RUN apt-get update && apt-get install -y sudo
RUN useradd -m app && printf 'app ALL=(ALL:ALL) NOPASSWD: ALL\\n' > /etc/sudoers.d/app
#                     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ passwordless-sudo
USER app
CMD ["/srv/app"]
`,
      },
      {
        name: 'echo piped to tee -a',
        code: `FROM ubuntu:24.04
RUN apt-get update && apt-get install -y sudo
RUN useradd -m app
RUN echo "app ALL=(ALL) NOPASSWD:ALL" | sudo tee -a /etc/sudoers > /dev/null
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ passwordless-sudo
USER app
CMD ["/srv/app"]
`,
      },
      {
        name: 'sed enabling the wheel NOPASSWD line, the user added to wheel',
        code: `FROM rockylinux:9
RUN dnf install -y sudo && dnf clean all \\
 && sed -i 's/^# %wheel\\tALL=(ALL)\\tNOPASSWD: ALL/%wheel\\tALL=(ALL)\\tNOPASSWD: ALL/' /etc/sudoers \\
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ passwordless-sudo
 && useradd app && usermod -aG wheel app
USER app
CMD ["/srv/app"]
`,
      },
      {
        name: 'a group given with useradd -G',
        code: `FROM debian:12
RUN apt-get update && apt-get install -y sudo
RUN useradd -m -G sudo,adm app
RUN echo '%sudo ALL=(ALL) NOPASSWD: ALL' >> /etc/sudoers
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ passwordless-sudo
USER app
CMD ["/srv/app"]
`,
      },
      {
        name: 'USER by uid',
        code: `FROM debian:12
RUN apt-get update && apt-get install -y sudo
RUN useradd --uid 10001 app && echo 'app ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/app
#                              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ passwordless-sudo
USER 10001
CMD ["/srv/app"]
`,
      },
      {
        name: 'names from a build argument',
        code: `FROM debian:12
RUN apt-get update && apt-get install -y sudo
ARG USERNAME=builder
RUN useradd -m $USERNAME && echo "$USERNAME ALL=(root) NOPASSWD:ALL" > /etc/sudoers.d/$USERNAME
#                           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ passwordless-sudo
USER $USERNAME
CMD ["/srv/app"]
`,
      },
      {
        name: 'a COPY heredoc',
        code: `FROM debian:12
RUN apt-get update && apt-get install -y sudo
RUN useradd -m app
COPY <<EOF /etc/sudoers.d/app
^^^^ passwordless-sudo
app ALL=(ALL) NOPASSWD: ALL
EOF
USER app
CMD ["/srv/app"]
`,
      },
      {
        name: 'a cat heredoc with several tags',
        code: `FROM debian:12
RUN apt-get update && apt-get install -y sudo
RUN useradd -m app
RUN cat <<EOF > /etc/sudoers.d/app
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ passwordless-sudo
Defaults:app !requiretty
app ALL=(ALL) SETENV: NOPASSWD: ALL
EOF
USER app
CMD ["/srv/app"]
`,
      },
      {
        name: 'every user, the entrypoint stepping down to app',
        code: `FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends gosu sudo && rm -rf /var/lib/apt/lists/*
RUN useradd -m app && echo 'ALL ALL=(ALL) NOPASSWD: ALL' >> /etc/sudoers
#                     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ passwordless-sudo
ENTRYPOINT ["gosu", "app", "/srv/app"]
`,
      },
      {
        name: 'a sudoers file copied from the build context',
        code: `FROM debian:12
RUN apt-get update && apt-get install -y sudo
RUN useradd -m app
COPY sudoers/app /etc/sudoers.d/app
#    ^^^^^^^^^^^ passwordless-sudo
USER app
CMD ["/srv/app"]
`,
        options: { buildContext: context },
      },
      {
        name: 'a copy into the sudoers.d directory keeps the source name',
        code: `FROM debian:12
RUN apt-get update && apt-get install -y sudo
RUN useradd -m app
COPY sudoers/app /etc/sudoers.d/
#    ^^^^^^^^^^^ passwordless-sudo
USER app
CMD ["/srv/app"]
`,
        options: { buildContext: context },
      },
      {
        name: 'what does not undo the grant: rm before it, rm or sed of another file or line, sudo installed again',
        code: `FROM debian:12
RUN apt-get update && apt-get install -y sudo && rm -f /etc/sudoers.d/app
RUN useradd -m app && echo "app ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/app
#                     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ passwordless-sudo
RUN echo "app ALL=(ALL) NOPASSWD: ALL" >> /etc/sudoers
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ passwordless-sudo
RUN rm -f /etc/sudoers.d/ops /etc/sudoers.d/app.bak && sed -i '/NOPASSWD/d' /etc/sudoers.d/ops
RUN sed -i '/^ops /d' /etc/sudoers && sed '/NOPASSWD/d' /etc/sudoers > /tmp/sudoers
RUN apt-get purge -y sudo && apt-get install -y sudo
USER app
CMD ["/srv/app"]
`,
      },
    ],
  });

  it('says who the image runs as and how the grant reaches them', () => {
    assert.deepEqual(
      messages(
        'passwordless-sudo',
        `FROM debian:12\nRUN apt-get install -y sudo\nRUN useradd -m -G sudo app && echo '%sudo ALL=(ALL) NOPASSWD: ALL' >> /etc/sudoers\nUSER app\nCMD ["/srv/app"]\n`,
      ),
      [
        'The image runs as app, who can become root without a password: this grants group sudo, which app is in, `NOPASSWD: ALL` in /etc/sudoers. Do the root steps before USER and drop the grant, or grant only the commands needed.',
      ],
    );
  });

  it('names the user of a numeric USER', () => {
    const [m] = messages(
      'passwordless-sudo',
      `FROM debian:12\nRUN apt-get install -y sudo\nRUN useradd -u 1200 sel && echo 'ALL ALL = (ALL) NOPASSWD: ALL' >> /etc/sudoers\nUSER 1200\nCMD ["/srv/app"]\n`,
    );
    assert.match(m, /^The image runs as 1200 \(sel\), who can become root without a password: this grants every user/);
  });

  it('reads sudoers lines: users, groups, lists, tags; ALL among the commands', () => {
    assert.deepEqual(nopasswdAll('app ALL=(ALL) NOPASSWD: ALL'), ['app']);
    assert.deepEqual(nopasswdAll('%wheel ALL=(ALL:ALL) NOPASSWD:ALL\nbob,carol ALL = (ALL) SETENV: NOPASSWD: /bin/ls, ALL'), [
      '%wheel',
      'bob',
      'carol',
    ]);
    assert.deepEqual(
      nopasswdAll('# app ALL=(ALL) NOPASSWD: ALL\nDefaults:app !authenticate\napp ALL=(ALL) ALL\napp ALL=NOPASSWD: /bin/ls'),
      [],
    );
  });
  it("root-user's fixes do not run the image as a user who can sudo to root without a password", () => {
    const grant = `FROM debian:12\nRUN apt-get update && apt-get install -y sudo\nRUN useradd -m ops && echo 'ops ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/ops\nCMD ["/srv/app"]\n`;
    const titles = fixTitles('root-user', grant);
    assert.ok(titles.length > 0);
    assert.ok(!titles.some((t) => /Run as ops/.test(t)), titles.join('\n'));
    assert.ok(
      fixTitles('root-user', grant.replace(" && echo 'ops ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/ops", '')).some((t) =>
        /Run as ops/.test(t),
      ),
    );
  });
});
