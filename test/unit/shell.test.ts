/**
 * The shell tokenizer on its own, over plain strings (each character its own document offset):
 * words after quote removal with the range they were written in, operators, redirections, heredocs,
 * and the unwrapping of env / sudo / exec-like wrappers.
 */
import * as assert from 'node:assert/strict';
import { LogicalText } from '../../server/src/model/logical';
import { allCommands, commandName, parseShell, unwrap, type SimpleCommand } from '../../server/src/model/shell';
import { underline } from './helpers';

function logical(text: string): LogicalText {
  return LogicalText.plain(text);
}

function parse(text: string): SimpleCommand[] {
  return allCommands(parseShell(logical(text)));
}

/** Each command as `after | assignments | argv`. */
function shape(text: string): string[] {
  return parse(text).map(
    (c) =>
      `${c.after === '\n' ? '\\n' : c.after} | ${c.assignments.map((w) => w.value).join(' ')} | ${c.argv.map((w) => w.value).join(' ')}`,
  );
}

describe('shell tokenizer', () => {
  it('draws each word where it is written, quotes included', () => {
    const text = `A="x y" go build -o '/out/a b' "$DIR"/bin \${X:-1} $(echo "a b") \`pwd\` a\\ b`;
    const words = parse(text).flatMap((c) => [...c.assignments, ...c.argv]);
    assert.deepEqual(
      words.map((w) => w.value),
      ['A=x y', 'go', 'build', '-o', '/out/a b', '$DIR/bin', '${X:-1}', '$(echo "a b")', '`pwd`', 'a b'],
    );
    assert.equal(
      underline(text, words),
      `A="x y" go build -o '/out/a b' "$DIR"/bin \${X:-1} $(echo "a b") \`pwd\` a\\ b
^^^^^^^
        ^^
           ^^^^^
                 ^^
                    ^^^^^^^^^^
                               ^^^^^^^^^^
                                          ^^^^^^^
                                                  ^^^^^^^^^^^^^
                                                                ^^^^^
                                                                      ^^^^`,
    );
    assert.deepEqual(
      words.map((w) => `${w.quoted ? 'q' : '-'}${w.dynamic ? 'd' : '-'}`),
      ['q-', '--', '--', '--', 'q-', 'qd', '-d', '-d', '-d', 'q-'],
    );
  });

  it('splits at control operators and records the one before each command', () => {
    assert.deepEqual(shape('a && b || c; d | e & f |& g\nh'), [
      ' |  | a',
      '&& |  | b',
      '|| |  | c',
      '; |  | d',
      '| |  | e',
      '& |  | f',
      '|& |  | g',
      '\\n |  | h',
    ]);
  });

  it('looks through subshells, groups and compound commands', () => {
    assert.deepEqual(
      shape('(cd src && make) && { go vet; } ; if [ -f x ]; then go build; else exit 1; fi; for f in a b; do go test $f; done'),
      [
        '( |  | cd src',
        '&& |  | make',
        '{ |  | go vet',
        'if |  | [ -f x ]',
        'then |  | go build',
        'else |  | exit 1',
        '; |  | for f in a b',
        'do |  | go test $f',
      ],
    );
  });

  it('counts the if/while/until/for/case blocks around each command', () => {
    const depths = (text: string) => parse(text).map((c) => `${c.argv.map((w) => w.value).join(' ')}@${c.depth}`);
    assert.deepEqual(depths('a; if [ x ]; then b; for f in 1; do c; done; fi && d'), [
      'a@0',
      '[ x ]@1',
      'b@1',
      'for f in 1@1',
      'c@2',
      'd@0',
    ]);
    assert.deepEqual(depths('case $x in a) b;; esac; while true; do c; done; { d; }'), ['case $x in a@0', 'b@1', 'true@1', 'c@1', 'd@0']);
    // Quoted reserved words are arguments, and a stray `fi` does not go below zero.
    assert.deepEqual(depths('echo if fi; fi; e'), ['echo if fi@0', 'e@0']);
  });

  it('keeps VAR=value words before the command name as assignments only', () => {
    assert.deepEqual(shape('A=1 B="2 3" env C=4 cmd D=5; E=6'), [' | A=1 B=2 3 | env C=4 cmd D=5', '; | E=6 | ']);
  });

  it('reads redirections with their targets and file descriptors, apart from the words', () => {
    const [c] = parse('go build ./... 2>&1 >/dev/null &>log 3< in <<< "here" cmd');
    assert.deepEqual(
      c.argv.map((w) => w.value),
      ['go', 'build', './...', 'cmd'],
    );
    assert.deepEqual(
      c.redirects.map((r) => [r.fd, r.op, r.target?.value]),
      [
        [2, '>&', '1'],
        [undefined, '>', '/dev/null'],
        [undefined, '&>', 'log'],
        [3, '<', 'in'],
        [undefined, '<<<', 'here'],
      ],
    );
    const text = 'go build 2>&1 >/dev/null';
    const [d] = parse(text);
    assert.equal(
      underline(
        text,
        d.redirects.flatMap((r) => [r, r.target]),
      ),
      `go build 2>&1 >/dev/null
         ^^^
            ^
              ^
               ^^^^^^^^^`,
    );
  });

  it('takes process substitution for a word, not a redirection', () => {
    const [c] = parse('diff <(sort a) >(tee b) c');
    assert.deepEqual(
      c.argv.map((w) => [w.value, w.dynamic]),
      [
        ['diff', false],
        ['<(sort a)', true],
        ['>(tee b)', true],
        ['c', false],
      ],
    );
    assert.deepEqual(c.redirects, []);
  });

  it('skips comments, and a # inside a word is not one', () => {
    assert.deepEqual(shape('echo a#b # go get x\ngo vet # && go get y'), [' |  | echo a#b', '\\n |  | go vet']);
  });

  it('joins a backslash-newline inside a heredoc script', () => {
    const text = 'sh <<EOF\ngo build \\\n  -o /app\nEOF\n';
    assert.deepEqual(shape(text), [' |  | sh', ' |  | go build -o /app']);
  });

  it('reads heredoc bodies after the line of their operator, in order, each to its delimiter', () => {
    const text = 'cat <<A >a && bash <<-B\nbody a\nA\n\tgo get x\n\tB\necho after\n';
    const cmds = parse(text);
    assert.deepEqual(shape(text), [' |  | cat', '&& |  | bash', ' |  | go get x', '\\n |  | echo after']);
    const docs = cmds.flatMap((c) => c.redirects.flatMap((r) => (r.heredoc ? [r.heredoc] : [])));
    assert.deepEqual(
      docs.map((h) => [h.delimiter, h.stripTabs, h.quoted, h.body && text.slice(h.body.start, h.body.end)]),
      [
        ['A', false, false, 'body a\n'],
        ['B', true, false, '\tgo get x\n'],
      ],
    );
  });

  it('runs an unterminated heredoc body to the end', () => {
    const text = 'sh <<EOF\ngo get x\n';
    const [, inner] = parse(text);
    assert.deepEqual(
      inner.argv.map((w) => w.value),
      ['go', 'get', 'x'],
    );
  });

  it('keeps a bare heredoc script apart from one that nothing reads', () => {
    assert.deepEqual(shape('<<EOF\ngo get x\nEOF\n'), [' |  | ', ' |  | go get x']);
    assert.deepEqual(shape('true && <<EOF\ngo get x\nEOF\n'), [' |  | true', '&& |  | ']);
  });

  it('names a command by its basename, unless it is an expansion', () => {
    const [a, b] = parse('/usr/local/go/bin/go version; $GO version');
    assert.equal(commandName(a.argv), 'go');
    assert.equal(commandName(b.argv), undefined);
  });

  describe('unwrap', () => {
    const table: [string, string][] = [
      ['env CGO_ENABLED=0 go build', 'env | CGO_ENABLED=0 | go build'],
      ['env -i -u HOME -C /src A=1 -- go build', 'env | A=1 | go build'],
      ['sudo -u app -g app -E go build', 'sudo | | go build'],
      ['sudo --user=app go build', 'sudo | | go build'],
      ['exec -a name go run .', 'exec | | go run .'],
      ['timeout -s KILL 60 go test', 'timeout | | go test'],
      ['gosu app su-exec app go env', 'gosu>su-exec | | go env'],
      ['nohup nice -n 10 time -f %e go build', 'nohup>nice>time | | go build'],
      ['X=1 xargs -n 1 -P 4 go get', 'xargs | X=1 | go get'],
      ['go build', ' | | go build'],
      ['$WRAP go build', ' | | $WRAP go build'],
      ['env', 'env | | '],
    ];
    for (const [text, expected] of table) {
      it(text, () => {
        const [c] = parse(text);
        const e = unwrap(c);
        assert.equal(
          `${e.wrappers.join('>')} | ${e.assignments.map((w) => w.value).join(' ')} | ${e.argv.map((w) => w.value).join(' ')}`.replace(
            / {2}\|/g,
            ' |',
          ),
          expected,
        );
        assert.equal(e.command, c);
      });
    }
  });
});
