/**
 * Custom rules (`customRules:` in .dockerfile-hardener.yaml): how a declaration is read and checked
 * (problems with their lines, a bad rule dropped and the others kept), and what the rules match:
 * the instruction, a command through wrappers, its arguments, a pattern over the arguments, the
 * stages in scope; ignore comments and `rules:` severities.
 */
import * as assert from 'node:assert/strict';
import { parseConfig } from '../../server/src/config/projectConfig';
import { lintOptions } from '../../server/src/config/options';
import { lint } from '../../server/src/linter/lint';
import type { CustomRule, LintOptions } from '../../server/src/engine/findings';

const config = (yaml: string) => parseConfig('/p/.dockerfile-hardener.yaml', yaml);
const problems = (yaml: string) => config(yaml).problems.map((p) => `${p.line}:${p.column} ${p.message}`);

/** The findings of the custom rules only, as `line:column severity rule «the text reported»`. */
function run(dockerfile: string, yaml: string, extra: LintOptions = {}): string[] {
  const c = config(yaml);
  assert.deepEqual(
    c.problems.map((p) => p.message),
    [],
  );
  const ids = (c.customRules ?? []).map((r) => r.id);
  const lines = dockerfile.split('\n');
  return lint(dockerfile, { ...lintOptions(c), only: ids, ...extra }).findings.map((f) => {
    const { start, end } = f.range;
    const text = start.line === end.line ? lines[start.line].slice(start.character, end.character) : `${lines[start.line]}…`;
    return `${start.line + 1}:${start.character + 1} ${f.severity} ${f.rule} «${text}»`;
  });
}

const rule = (match: string, more = '') => `customRules:\n  - id: my-rule\n    message: "Mine."\n${more}    match: ${match}\n`;

describe('custom rules: matching', () => {
  it('an instruction keyword alone reports the whole instruction; a pattern, what it matches', () => {
    assert.deepEqual(run('FROM alpine:3.20\nEXPOSE 22\nEXPOSE 8080\n', rule('{ instruction: expose, pattern: "^22$" }')), [
      '2:8 warning my-rule «22»',
    ]);
    assert.deepEqual(run('FROM alpine:3.20\nMAINTAINER me\nUSER 1000\n', rule('{ instruction: MAINTAINER }')), [
      '2:1 warning my-rule «MAINTAINER me»',
    ]);
  });

  it('a command is found through sudo and env, and reported at the whole command', () => {
    const df =
      'FROM alpine:3.20\nRUN apk add curl && sudo -u root curl https://x.example/a && env A=1 curl -o f https://y\nRUN echo curl\n';
    assert.deepEqual(run(df, rule('{ command: curl }')), [
      '2:21 warning my-rule «sudo -u root curl https://x.example/a»',
      '2:62 warning my-rule «env A=1 curl -o f https://y»',
    ]);
  });

  it('args: one argument of the command matches, and is what is reported', () => {
    const df = 'FROM alpine:3.20\nRUN curl -fsSL https://a && curl --insecure https://b\nRUN wget -k x\nRUN ["curl", "-k", "https://c"]\n';
    assert.deepEqual(run(df, rule('{ command: curl, args: "^(-k|--insecure)$" }')), [
      '2:34 warning my-rule «--insecure»',
      '4:14 warning my-rule «"-k"»',
    ]);
    // Without a command: any command's arguments.
    assert.deepEqual(run(df, rule('{ args: "^-k$" }')), ['3:10 warning my-rule «-k»', '4:14 warning my-rule «"-k"»']);
  });

  it('pattern: the arguments as the builder reads them (continuations joined, flags left out), reported where it matches', () => {
    const df = 'FROM --platform=linux/amd64 node:latest AS build\nFROM alpine:3.20\nCOPY --from=build /app \\\n  /srv\n';
    assert.deepEqual(run(df, rule('{ pattern: ":latest\\\\b" }', '    stages: all\n')), ['1:33 warning my-rule «:latest»']);
    assert.deepEqual(run(df, rule('{ pattern: "platform" }', '    stages: all\n')), []);
    assert.deepEqual(run(df, rule('{ instruction: COPY, pattern: "/app\\\\s+/srv" }')), [
      '3:19 warning my-rule «COPY --from=build /app \\…»',
    ]);
  });

  it('case: a leading (?i) or ignoreCase: true; otherwise the case counts', () => {
    const df = 'FROM alpine:3.20\nLABEL Maintainer=me\n';
    assert.deepEqual(run(df, rule('{ pattern: "^maintainer=" }')), []);
    assert.deepEqual(run(df, rule('{ pattern: "(?i)^maintainer=" }')), ['2:7 warning my-rule «Maintainer=»']);
    assert.deepEqual(run(df, rule('{ pattern: "^maintainer=" }', '    ignoreCase: true\n')), ['2:7 warning my-rule «Maintainer=»']);
  });

  it('every condition must hold', () => {
    const df = 'FROM alpine:3.20\nRUN curl -k https://internal.example\nRUN curl -k https://public.example\n';
    assert.deepEqual(run(df, rule('{ command: curl, args: "^-k$", pattern: "internal" }')), ['2:10 warning my-rule «-k»']);
  });

  it('stages: shipped (default) is the shipped stage and the stages it is built on; all is every stage', () => {
    const df = [
      'FROM alpine:3.20 AS tools',
      'RUN curl -k https://a',
      'FROM alpine:3.20 AS base',
      'RUN curl -k https://b',
      'FROM base',
      'RUN curl -k https://c',
      '',
    ].join('\n');
    assert.deepEqual(run(df, rule('{ command: curl }')), [
      '4:5 warning my-rule «curl -k https://b»',
      '6:5 warning my-rule «curl -k https://c»',
    ]);
    assert.equal(run(df, rule('{ command: curl }', '    stages: all\n')).length, 3);
    assert.deepEqual(run(df, rule('{ command: curl }'), { targetStage: 'tools' }), ['2:5 warning my-rule «curl -k https://a»']);
  });

  it('an ONBUILD is matched as its trigger; instruction: ONBUILD matches the ONBUILD itself', () => {
    const df = 'FROM alpine:3.20\nONBUILD RUN sudo curl -k https://a\nONBUILD COPY --chown=1 app /srv\n';
    assert.deepEqual(run(df, rule('{ command: curl, args: "^-k$" }')), ['2:23 warning my-rule «-k»']);
    assert.deepEqual(run(df, rule('{ instruction: COPY, pattern: "^app " }')), ['3:24 warning my-rule «app »']);
    assert.deepEqual(run(df, rule('{ instruction: COPY }')), ['3:9 warning my-rule «COPY --chown=1 app /srv»']);
    assert.deepEqual(run(df, rule('{ instruction: ONBUILD, pattern: "^COPY" }')), ['3:9 warning my-rule «COPY»']);
  });

  it('reads at most 64 KB of an instruction', () => {
    const df = `FROM alpine:3.20\nRUN echo ${'a'.repeat(70_000)} end\n`;
    assert.deepEqual(run(df, rule('{ pattern: "end$" }')), []);
    assert.equal(run(df, rule('{ pattern: "^echo a" }')).length, 1);
  });
});

describe('custom rules: ignores and severities', () => {
  const yaml = `${rule('{ command: curl }', '    severity: info\n')}`;
  const df = 'FROM alpine:3.20\n# dockerfile-hardener ignore=my-rule\nRUN curl https://a\nRUN curl https://b\n';

  it('reports at its severity, and an ignore comment above an instruction silences it there', () => {
    assert.deepEqual(run(df, yaml), ['4:5 info my-rule «curl https://b»']);
  });

  it('a global ignore comment silences it in the whole file', () => {
    assert.deepEqual(run(`# dockerfile-hardener global ignore=my-rule\n${df}`, yaml), []);
  });

  it('rules: sets its severity or turns it off, in the same file', () => {
    assert.deepEqual(run(df, `rules:\n  my-rule: error\n${yaml}`), ['4:5 error my-rule «curl https://b»']);
    assert.deepEqual(run(df, `${yaml}rules:\n  my-rule: off\n`), []);
  });

  it('runs beside the built-in rules', () => {
    const c = config(yaml);
    const found = lint('FROM alpine:3.20\nRUN curl https://b\nENTRYPOINT echo hi\n', lintOptions(c)).findings.map((f) => f.rule);
    assert.ok(found.includes('my-rule'));
    assert.ok(found.length > 1, found.join(', '));
  });

  it('a rule that throws is reported through onRuleError and the others still run', () => {
    const bad: CustomRule = { id: 'bad', message: 'x', severity: 'warning', stages: 'all', match: { pattern: { source: '(', flags: '' } } };
    const good: CustomRule = { id: 'good', message: 'y', severity: 'warning', stages: 'all', match: { instruction: 'FROM' } };
    const errors: string[] = [];
    const { findings } = lint('FROM alpine:3.20\n', {
      customRules: [bad, good],
      only: ['bad', 'good'],
      onRuleError: (id) => errors.push(id),
    });
    assert.deepEqual(errors, ['bad']);
    assert.deepEqual(
      findings.map((f) => f.rule),
      ['good'],
    );
  });
});

describe('custom rules: the configuration', () => {
  it('reads a rule with its defaults', () => {
    const c = config('customRules:\n  - id: no-curl-bash\n    message: "Do not pipe curl into bash."\n    match:\n      command: curl\n');
    assert.deepEqual(c.problems, []);
    assert.deepEqual(c.customRules, [
      {
        id: 'no-curl-bash',
        message: 'Do not pipe curl into bash.',
        severity: 'warning',
        stages: 'shipped',
        match: { command: 'curl', instruction: 'RUN' },
      },
    ]);
  });

  it('reports each problem at its line, drops the bad rules and keeps the others', () => {
    const yaml = [
      'customRules:', //                                  1
      '  - id: good', //                                  2
      '    message: fine', //                             3
      '    match: { instruction: USER }', //              4
      '  - id: Bad_Id', //                                5
      '    message: x', //                                6
      '    match: { instruction: USER }', //              7
      '  - id: latest-tag', //                            8
      '    message: x', //                                9
      '    match: { instruction: FROM }', //              10
      '  - id: good', //                                  11
      '    message: x', //                                12
      '    match: { instruction: FROM }', //              13
      '  - id: no-message', //                            14
      '    severity: loud', //                            15
      '    stages: some', //                              16
      '    match: { instruction: FORM }', //              17
      '  - id: bad-regex', //                             18
      '    message: x', //                                19
      '    colour: red', //                               20
      '    match: { args: "(-k", pattern: "(?s)x" }', //  21
      '  - id: no-match', //                              22
      '    message: x', //                                23
      '  - id: wrong-instruction', //                     24
      '    message: x', //                                25
      '    match: { instruction: COPY, command: cp, flags: x }', // 26
      '  - id: long', //                                  27
      '    message: x', //                                28
      `    match: { pattern: "${'a'.repeat(501)}" }`, //  29
      '  - just a string', //                             30
      '',
    ].join('\n');
    const c = config(yaml);
    assert.deepEqual(
      c.problems.map((p) => `${p.line}:${p.column} ${p.message}`),
      [
        '5:9 custom rule: id "Bad_Id" must be lower-case words and hyphens (no-curl-bash)',
        '8:9 custom rule: id "latest-tag" is a built-in rule\'s; choose another',
        '11:9 custom rule: id "good" is declared more than once',
        '14:5 custom rule "no-message": message must be a non-empty string',
        '15:15 custom rule "no-message": severity must be one of error, warning, info, hint',
        '16:13 custom rule "no-message": stages must be one of shipped, all',
        '17:27 custom rule "no-message": instruction must be a keyword (ADD, ARG, CMD, COPY, ENTRYPOINT, ENV, EXPOSE, FROM, HEALTHCHECK, LABEL, MAINTAINER, ONBUILD, RUN, SHELL, STOPSIGNAL, USER, VOLUME, WORKDIR)',
        '20:5 custom rule "bad-regex": unknown key "colour" (known: id, message, severity, stages, ignoreCase, match)',
        '21:20 custom rule "bad-regex": args is not a valid regular expression: Invalid regular expression: /(-k/: Unterminated group',
        '21:36 custom rule "bad-regex": pattern: "(?s)" is not supported: only a leading (?i), or ignoreCase: true',
        '22:5 custom rule "no-match": match is missing (instruction, command, args or pattern)',
        '26:27 custom rule "wrong-instruction": command and args read RUN commands, not COPY',
        '26:46 custom rule "wrong-instruction": unknown match key "flags" (known: instruction, command, args, pattern)',
        '29:23 custom rule "long": pattern is 501 characters long; at most 500 are allowed',
        '30:5 customRules: each rule must be a mapping (id, message, match…)',
      ],
    );
    assert.deepEqual(
      c.customRules?.map((r) => r.id),
      ['good'],
    );
  });

  it("rules: accepts the ids the file declares (a dropped rule's too), and no others", () => {
    assert.deepEqual(problems(`rules:\n  my-rule: error\n  other-rule: off\n${rule('{ instruction: USER }')}`), [
      '3:3 unknown rule "other-rule"',
    ]);
    assert.deepEqual(problems(`rules:\n  my-rule: error\n${rule('{ pattern: "[" }')}`), [
      '6:23 custom rule "my-rule": pattern is not a valid regular expression: Invalid regular expression: /[/: Unterminated character class',
    ]);
    assert.deepEqual(problems('rules:\n  my-rule: error\n'), ['2:3 unknown rule "my-rule"']);
  });

  it('customRules must be a list, and a rule needs an id', () => {
    assert.deepEqual(problems('customRules: {}\n'), ['1:14 customRules must be a list of rules (id, message, match…)']);
    assert.deepEqual(problems('customRules:\n  - message: x\n    match: { instruction: USER }\n'), [
      '2:5 custom rule: id is missing (lower-case words and hyphens)',
    ]);
  });

  it('is not read from a .hadolint.yaml', () => {
    const c = parseConfig('/p/.hadolint.yaml', rule('{ instruction: USER }'));
    assert.equal(c.customRules, undefined);
    assert.deepEqual(
      c.problems.map((p) => p.message),
      ['unknown hadolint key "customRules"'],
    );
  });
});
