import * as assert from 'node:assert/strict';
import { fixAll } from '../../../server/src/linter/fix';
import { applyFix, fixTitles, messages, ruleCases, severities } from '../helpers';

describe('apt-lists', () => {
  ruleCases('apt-lists', {
    valid: [
      {
        name: 'rm -rf /var/lib/apt/lists/* in the same RUN',
        code: `FROM debian:12
RUN apt-get update \\
 && apt-get install -y --no-install-recommends curl \\
 && rm -rf /var/lib/apt/lists/*
`,
      },
      {
        name: 'other ways to write the removal',
        code: `FROM debian:12
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists
RUN apt-get update && apt-get install -y jq && rm -rf /tmp/* /var/lib/apt/lists/* /var/cache/apt/*
RUN apt-get update && apt-get install -y git && rm -fr /var/lib/apt/lists*
RUN apt-get update && apt-get install -y vim && rm -rf /var/lib/apt/*
RUN apt-get update; apt-get install -y less; rm -rf /var/lib/apt/
`,
      },
      {
        name: 'apt-get dist-clean (apt 2.7+) removes the lists',
        code: `FROM debian:trixie-slim
RUN set -eux; \\
    apt-get install --update -y --no-install-recommends ca-certificates; \\
    apt-get dist-clean
`,
      },
      {
        name: 'docker-clean removed, with cache mounts over both the lists and the archives',
        code: `FROM debian:12
RUN rm -f /etc/apt/apt.conf.d/docker-clean
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\
    --mount=type=cache,target=/var/lib/apt,sharing=locked \\
    apt-get update && apt-get install -y --no-install-recommends curl
`,
      },
      {
        name: 'aptitude cleaning up after itself',
        code: `FROM debian:12
RUN aptitude update && aptitude install -y curl && rm -rf /var/lib/apt/lists/*
`,
      },
      {
        name: 'a cache or tmpfs mount over the lists',
        code: `FROM debian:12
RUN --mount=type=cache,target=/var/lib/apt,sharing=locked \\
    apt-get update && apt-get install -y --no-install-recommends curl
RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y jq
RUN --mount=type=tmpfs,target=/var/lib/apt/lists/ apt-get update && apt-get install -y git
`,
      },
      {
        name: 'a builder stage whose files do not ship',
        code: `FROM debian:12 AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc
FROM debian:12
COPY --from=build /out/app /app
`,
      },
      {
        name: 'a dry run installs nothing',
        code: `FROM debian:12
RUN if apt-get install -s "postgresql-16-jit" > /dev/null 2>&1; then echo yes; fi
`,
      },
      {
        name: "hadolint's DL3009 ignore comment",
        code: `FROM debian:12
# hadolint ignore=DL3009
RUN apt-get update && apt-get install -y curl
`,
      },
    ],
    invalid: [
      {
        name: 'docker-clean removed and only the lists cached: the .deb archives stay in the layer',
        code: `FROM debian:12
RUN rm -f /etc/apt/apt.conf.d/docker-clean
RUN --mount=type=cache,target=/var/lib/apt \\
    apt-get update && apt-get install -y --no-install-recommends curl
#                     ^^^^^^^^^^^^^^^ apt-lists
`,
      },
      {
        name: 'docker-clean removed in the same RUN, only the archives cached: the lists stay',
        code: `FROM debian:12
RUN --mount=type=cache,target=/var/cache/apt \\
    rm -f /etc/apt/apt.conf.d/docker-clean && apt-get update && apt-get install -y --no-install-recommends curl
#                                                               ^^^^^^^^^^^^^^^ apt-lists
`,
      },
      {
        name: 'aptitude',
        code: `FROM debian:12
RUN aptitude update && aptitude install -y curl
#                      ^^^^^^^^^^^^^^^^ apt-lists
`,
      },
      {
        name: 'no removal: the install command',
        code: `FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends curl
#                     ^^^^^^^^^^^^^^^ apt-lists
`,
      },
      {
        name: 'removed in a later RUN: the lists are already in the earlier layer',
        code: `FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends curl
#                     ^^^^^^^^^^^^^^^ apt-lists
RUN rm -rf /var/lib/apt/lists/*
`,
      },
      {
        name: 'removed before the install, not after',
        code: `FROM debian:12
RUN rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y curl
#                                                    ^^^^^^^^^^^^^^^ apt-lists
`,
      },
      {
        name: 'apt-get clean removes the archives, not the lists',
        code: `FROM debian:12
RUN apt-get update && apt install -y curl && apt-get clean
#                     ^^^^^^^^^^^ apt-lists
`,
      },
      {
        name: 'removing only a part of the lists does not count',
        code: `FROM debian:12
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/partial
#                     ^^^^^^^^^^^^^^^ apt-lists
`,
      },
      {
        name: 'a cache mount over the archives only',
        code: `FROM debian:12
RUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y curl
#                                                              ^^^^^^^^^^^^^^^ apt-lists
`,
      },
      {
        // Judged on the corpus: one removal fixes every install of a RUN, so one finding, on the first.
        name: 'once per RUN that never removes them, on its first install',
        code: `FROM debian:12
RUN apt-get update \\
 && apt-get install -y curl \\
#   ^^^^^^^^^^^^^^^ apt-lists
 && apt-get -y install jq
`,
      },
      {
        name: 'in a stage the shipped one inherits from',
        code: `FROM debian:12 AS base
RUN apt-get update && apt-get install -y curl
#                     ^^^^^^^^^^^^^^^ apt-lists
FROM base
RUN apt-get update && apt-get install -y jq && rm -rf /var/lib/apt/lists/*
`,
      },
    ],
  });

  // Reproduction: lists from a separate `RUN apt-get update` layer. The old fix (rm in the install's
  // RUN) freed nothing, and the finding vanished.
  const SEPARATE = 'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\n';
  it('lists from a separate update RUN: the finding is on the update, and the fix joins the two RUNs', async () => {
    assert.deepEqual(severities('apt-lists', SEPARATE), ['2:4 info']);
    assert.deepEqual(messages('apt-lists', SEPARATE), [
      'The package lists this apt-get update downloads stay in this layer: the install at line 3 runs in another RUN, where removing them frees nothing. Run apt-get update in the same RUN as the install, and remove the lists there.',
    ]);
    const fixed = await fixAll(SEPARATE, { only: ['apt-lists'] });
    assert.equal(
      fixed.text,
      'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n',
    );
    assert.deepEqual(messages('apt-lists', fixed.text), [], 'nothing left to report');
  });

  it('lists from a separate update RUN: removing them in the install RUN does not hide it', () => {
    const removedLater = 'FROM debian:12\nRUN apt-get update -qq\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n';
    assert.equal(messages('apt-lists', removedLater).length, 1);
    assert.match(messages('apt-lists', removedLater)[0], /^The package lists this apt-get update downloads stay in this layer/);
  });

  it('lists from a separate update RUN used by two installs, or with a RUN between: no preferred fix', async () => {
    const two = 'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\nRUN apt-get install -y jq\n';
    assert.deepEqual(messages('apt-lists', two), [
      'The package lists this apt-get update downloads stay in this layer: the installs at lines 3, 4 run in another RUN, where removing them frees nothing. Run apt-get update in the same RUN as the install, and remove the lists there.',
    ]);
    assert.deepEqual(fixTitles('apt-lists', two), []);
    const between =
      'FROM debian:12\nRUN apt-get update\nRUN echo deb http://example.com/debian stable main > /etc/apt/sources.list.d/x.list\nRUN apt-get install -y curl\n';
    assert.equal((await fixAll(between, { only: ['apt-lists'] })).text, between, 'a RUN between may change the sources: only a suggestion');
    assert.deepEqual(fixTitles('apt-lists', between), ["Run apt-get update in the install's RUN and remove the lists there"]);
  });

  it('is info and says how to fix it', () => {
    const source = 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\n';
    assert.deepEqual(severities('apt-lists', source), ['2:22 info']);
    assert.deepEqual(messages('apt-lists', source), [
      'The package lists stay in this layer: end the same RUN with && rm -rf /var/lib/apt/lists/*.',
    ]);
  });

  // Reproduction: the safe fix removed the lists a later RUN installed from (Unable to locate package gosu).
  const LATER =
    'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nRUN apt-get install -y --no-install-recommends gosu && rm -rf /var/lib/apt/lists/*\n';
  it('says so when a later RUN installs from these lists, and offers no safe fix', async () => {
    assert.deepEqual(messages('apt-lists', LATER), [
      'The package lists stay in this layer, and the install at line 3 relies on them (it runs no apt-get update of its own). Removing them here alone would break it: run apt-get update in that RUN too, or install everything here.',
    ]);
    assert.deepEqual(fixTitles('apt-lists', LATER), ['Remove the package lists here, and run apt-get update before the install at line 3']);
    const safe = await fixAll(LATER, { only: ['apt-lists'] });
    assert.equal(safe.text, LATER, 'fix-all leaves it alone');
    assert.equal(
      await applyFix('apt-lists', LATER, 'Remove the package lists here'),
      'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nRUN apt-get update && apt-get install -y --no-install-recommends gosu && rm -rf /var/lib/apt/lists/*\n',
    );
  });

  it('the update goes first in that RUN, with its sudo; an update in a RUN between makes it no finding of this kind', async () => {
    const or =
      'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nUSER app\nRUN test -x /usr/sbin/gosu || sudo apt-get install -y --no-install-recommends gosu\n';
    assert.equal(
      await applyFix('apt-lists', or, 'Remove the package lists here'),
      'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nUSER app\nRUN sudo apt-get update && test -x /usr/sbin/gosu || sudo apt-get install -y --no-install-recommends gosu\n',
    );
    const between = 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN apt-get update\nRUN apt-get install -y gosu\n';
    assert.doesNotMatch(messages('apt-lists', between)[0], /relies on them/);
  });

  it("says it cannot know when the later RUN first runs a script (nodesource's setup runs apt-get update)", () => {
    const text =
      'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nRUN curl -fsSL https://deb.nodesource.com/setup_20.x | bash - && apt-get install -y nodejs\n';
    assert.match(
      messages('apt-lists', text)[0],
      /the install at line 3 may rely on them: the shell script it runs first may run apt-get update, which the tool cannot see/,
    );
    assert.deepEqual(fixTitles('apt-lists', text), ['Remove the package lists here, and run apt-get update before the install at line 3']);
  });

  it('a later RUN in a stage built on this one counts too; one with its own update does not', () => {
    const child =
      'FROM debian:12 AS base\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nFROM base\nRUN apt-get install -y --no-install-recommends gosu\n';
    assert.match(messages('apt-lists', child)[0], /the install at line 4 relies on them/);
    const own = LATER.replace('RUN apt-get install -y', 'RUN apt-get update && apt-get install -y');
    assert.deepEqual(fixTitles('apt-lists', own), ['* Remove the package lists in the same RUN']);
  });
});
