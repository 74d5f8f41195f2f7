import * as assert from 'node:assert/strict';
import { lint } from '../../../server/src/linter/lint';
import { fixTitles, memoryContext, messages, ruleCases } from '../helpers';

const ENTRY = (body: string) => `#!/bin/sh\nset -e\nif [ "$(id -u)" = '0' ]; then\n  chown -R app:app /data\nfi\n${body}\n`;
const DOCKERFILE = `FROM debian:12-slim
RUN useradd --system app && mkdir /data && chown app:app /data
COPY docker-entrypoint.sh /usr/local/bin/
ENTRYPOINT ["docker-entrypoint.sh"]
#          ^^^^^^^^^^^^^^^^^^^^^^^^ root-entrypoint
CMD ["server"]
`;

describe('root-entrypoint', () => {
  ruleCases('root-entrypoint', {
    valid: [
      {
        name: "an official image's own entrypoint steps down by its publisher's design (judged on real files: true and of no use)",
        code: `FROM redis:7
COPY redis.conf /usr/local/etc/redis/redis.conf
CMD ["redis-server", "/usr/local/etc/redis/redis.conf"]
`,
      },
      {
        name: 'a USER that is not root: nothing starts as root',
        code: `FROM debian:12-slim
USER 10001:10001
ENTRYPOINT ["gosu", "app", "server"]
`,
      },
      {
        name: '"stepping down" to root is no step-down',
        code: `FROM debian:12-slim
ENTRYPOINT ["gosu", "root", "server"]
`,
      },
      {
        name: 'an entrypoint script the tool cannot read says nothing of stepping down',
        code: DOCKERFILE.replace(/#.*root-entrypoint\n/, ''),
      },
      {
        name: 'a development image',
        code: `# dockerfile-hardener role=dev
FROM debian:12-slim
ENTRYPOINT ["gosu", "app", "server"]
`,
      },
      {
        name: 'a stage that does not ship',
        code: `FROM postgres:16 AS db
FROM debian:12-slim
USER 10001
`,
      },
    ],
    invalid: [
      {
        name: 'gosu in the entrypoint script read from the build context',
        code: DOCKERFILE,
        options: { buildContext: memoryContext({ 'docker-entrypoint.sh': ENTRY('exec gosu app "$@"') }) },
      },
      ...(
        [
          ['su-exec', 'exec su-exec app:app "$@"'],
          ['setpriv', 'exec setpriv --reuid=app --regid=app --init-groups "$@"'],
          ['s6-setuidgid', 'exec s6-setuidgid app "$@"'],
          ['chpst', 'exec chpst -u app:app "$@"'],
          ['runuser', 'exec runuser -u app -- "$@"'],
          ['su', 'exec su -s /bin/sh app -c "$*"'],
          ['sudo -u', 'exec sudo -E -u app "$@"'],
        ] as const
      ).map(([tool, line]) => ({
        name: `${tool} in the script`,
        code: DOCKERFILE,
        options: { buildContext: memoryContext({ 'docker-entrypoint.sh': ENTRY(line) }) },
      })),
      {
        name: 'inline, in sh -c',
        code: `FROM debian:12-slim
RUN useradd --system app
CMD ["sh", "-c", "chown -R app /data && exec gosu app server"]
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ root-entrypoint
`,
      },
    ],
  });

  it('names the user, the tool and where the step-down is', () => {
    const options = { buildContext: memoryContext({ 'docker-entrypoint.sh': ENTRY('exec gosu app "$@"') }) };
    assert.deepEqual(messages('root-entrypoint', DOCKERFILE.replace(/#.*\n/, ''), options), [
      'The container starts as root and docker-entrypoint.sh line 6 steps down to app with gosu: the program runs as app, but PID 1 starts as root (runAsNonRoot refuses the image). If the entrypoint does not need root, USER app avoids it altogether.',
    ]);
  });

  it('says so when the user comes from a variable the image does not fix', () => {
    const text = `FROM debian:12-slim\nCOPY entry.sh /entry.sh\nENTRYPOINT ["/entry.sh"]\n`;
    const [m] = messages('root-entrypoint', text, { buildContext: memoryContext({ 'entry.sh': '#!/bin/sh\nexec gosu "$RUN_AS" "$@"\n' }) });
    assert.match(m, /steps down to a user it takes from a variable with gosu/);
    assert.doesNotMatch(m, /USER /);
  });

  it('reads the user from the image ENV where the script uses a variable', () => {
    const text = `FROM debian:12-slim\nENV APP_USER=svc\nCOPY entry.sh /entry.sh\nENTRYPOINT ["/entry.sh"]\n`;
    const [m] = messages('root-entrypoint', text, {
      buildContext: memoryContext({ 'entry.sh': '#!/bin/sh\nexec su-exec "$APP_USER" "$@"\n' }),
    });
    assert.match(m, /steps down to svc with su-exec/);
  });

  it('and root-user is silent where the entrypoint steps down', () => {
    const options = { buildContext: memoryContext({ 'docker-entrypoint.sh': ENTRY('exec gosu app "$@"') }) };
    const rules = lint(DOCKERFILE.replace(/#.*\n/, ''), { ...options, only: ['root-user', 'root-entrypoint'] }).findings.map((f) => f.rule);
    assert.deepEqual(rules, ['root-entrypoint']);
  });

  it('counts a step-down only where it runs the program, and an official entrypoint only for its server', () => {
    const script = (body: string) => ({ buildContext: memoryContext({ 'start.sh': `#!/bin/sh\nset -e\n${body}\n` }) });
    const text = 'FROM debian:12-slim\nRUN useradd --system app\nCOPY start.sh /start.sh\nENTRYPOINT ["/start.sh"]\n';
    // One step as app, then the program as root.
    assert.deepEqual(messages('root-entrypoint', text, script('su app -c "migrate"\nexec /srv/server')), []);
    assert.deepEqual(messages('root-entrypoint', text, script('gosu app true\nexec /srv/server')), []);
    assert.equal(messages('root-user', text, script('gosu app true\nexec /srv/server')).length, 1);
    // …and a USER would stop that one step (gosu needs root to switch): no edit is preferred.
    assert.ok(
      fixTitles('root-user', text, script('gosu app true\nexec /srv/server')).every(
        (t) => !t.startsWith('*') && /start.sh line 3 runs gosu/.test(t),
      ),
    );
    // Re-running itself as app, or the last command: the program.
    assert.equal(
      messages('root-entrypoint', text, script('if [ "$(id -u)" = 0 ]; then exec gosu app "$0" "$@"; fi\nexec /srv/server')).length,
      1,
    );
    assert.equal(messages('root-entrypoint', text, script('chown -R app /data\ngosu app /srv/server')).length, 1);
    // redis' entrypoint steps down for redis-server (or its options), not for another program.
    // (the official entrypoint's step-down is the publisher's design: root-user is silent, and so is this rule)
    assert.deepEqual(messages('root-user', 'FROM redis:7\nCMD ["--appendonly", "yes"]\n'), []);
    assert.deepEqual(messages('root-entrypoint', 'FROM redis:7\nCMD ["--appendonly", "yes"]\n'), []);
    assert.deepEqual(messages('root-entrypoint', 'FROM redis:7\nCOPY myserver /usr/local/bin/\nCMD ["myserver"]\n'), []);
    assert.equal(messages('root-user', 'FROM redis:7\nCOPY myserver /usr/local/bin/\nCMD ["myserver"]\n').length, 1);
  });
});
