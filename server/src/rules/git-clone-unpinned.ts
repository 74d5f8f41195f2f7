import { defineRule } from '../engine/rule';
import type { DockerfileModel, RunInfo, Stage } from '../model/model';
import { commandName, unwrap, type SimpleCommand, type Word } from '../model/shell';
import type { Span } from '../model/text';
import { basename } from '../model/paths';
import { expandWord } from '../model/variables';

/** Options of `git clone` that take a value (when not written with `=`). */
const CLONE_VALUE_OPTIONS = new Set([
  '-b',
  '--branch',
  '--revision',
  '-o',
  '--origin',
  '-c',
  '--config',
  '--depth',
  '--filter',
  '--reference',
  '--reference-if-able',
  '--separate-git-dir',
  '-u',
  '--upload-pack',
  '-j',
  '--jobs',
  '--template',
  '--shallow-since',
  '--shallow-exclude',
  '--server-option',
  '--bundle-uri',
]);

/** Options of `git` itself, before the subcommand, that take a value. */
const GIT_VALUE_OPTIONS = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path', '--config-env']);

/** A ref as the build will see it: its value, or undefined when a build argument or a command decides it. */
interface Ref {
  word: Word;
  /** As written (the value of `--branch=…`). */
  raw: string;
  value?: string;
}

/**
 * Whether a ref pins what is checked out, as far as the file shows: a commit, a version tag
 * (`v1.2.3`, `1.27.3-1`, `release-2.4`: it has a digit), or a value a build argument or a command
 * decides (the build passes the version). A branch name without a digit (main, master, develop,
 * stable) moves.
 */
function pins(ref: Ref): boolean {
  return ref.value === undefined || /\d/.test(ref.value) || ref.value === 'FETCH_HEAD';
}

function refOf(w: Word, run: RunInfo, model: DockerfileModel, raw?: string): Ref {
  const text = raw ?? w.value;
  if (!w.dynamic) return { word: w, raw: text, value: text };
  const value = text.includes('$(') || text.includes('`') ? undefined : expandWord(text, run.scope, model.escapeChar);
  return { word: w, raw: text, value };
}

/** `git [global options] SUBCOMMAND args…`: the subcommand's index in argv, and `-C dir`. */
function gitSubcommand(argv: Word[]): { at: number; dir?: string } | undefined {
  if (commandName(argv) !== 'git') return undefined;
  let dir: string | undefined;
  for (let k = 1; k < argv.length; k++) {
    const v = argv[k].value;
    if (GIT_VALUE_OPTIONS.has(v)) {
      if (v === '-C') dir = argv[k + 1]?.value;
      k++;
    } else if (!v.startsWith('-')) return { at: k, dir };
  }
  return undefined;
}

interface Clone {
  stage: Stage;
  /** `git clone` as written, the span reported when no branch is named. */
  span: Span;
  url: string;
  /** The directory it clones into (as written, its last component). */
  dir: string;
  branch?: Ref;
  pinned: boolean;
}

/** A `git clone` of a remote repository, with its branch (-b, --branch, --revision). */
function readClone(argv: Word[], at: number, stage: Stage, run: RunInfo): Clone | undefined {
  const positional: Word[] = [];
  let branch: Ref | undefined;
  for (let k = at + 1; k < argv.length; k++) {
    const w = argv[k];
    const eq = /^(--[a-z-]+)=(.*)$/.exec(w.value);
    const name = eq ? eq[1] : w.value;
    const value = eq ? { word: w, raw: eq[2] } : CLONE_VALUE_OPTIONS.has(name) ? { word: argv[++k], raw: undefined } : undefined;
    if (value?.word && ['-b', '--branch', '--revision'].includes(name)) branch = refOf(value.word, run, stage.model, value.raw);
    if (!value && !w.value.startsWith('-')) positional.push(w);
  }
  const url = positional[0];
  if (!url) return undefined;
  // A local repository (a path, file://, the build context's .git) is no download.
  if (!url.dynamic && !/^([a-z][\w+.-]*:\/\/|[\w.-]+@[\w.-]+:|[\w.-]+\.[a-z]+:)/i.test(url.value)) return undefined;
  if (/^file:/i.test(url.value)) return undefined;
  const dir = positional[1]?.value ?? basename(url.value.replace(/\/+$/, '')).replace(/\.git$/, '');
  const span = { start: argv[0].start, end: argv[at].end };
  return { stage, span, url: url.value, dir: basename(dir.replace(/\/+$/, '')), branch, pinned: !!branch && pins(branch) };
}

/** `git checkout REF`, `git switch --detach REF`, `git reset --hard REF`: the ref, or undefined for another git command. */
function checkoutRef(argv: Word[], at: number): Word | undefined {
  const sub = argv[at].value;
  const words = argv.slice(at + 1);
  if (sub === 'reset' && !words.some((w) => w.value === '--hard')) return undefined;
  if (sub !== 'checkout' && sub !== 'switch' && sub !== 'reset') return undefined;
  for (let k = 0; k < words.length; k++) {
    const v = words[k].value;
    if (v === '--') return undefined; // paths follow
    if (v === '-b' || v === '-B' || v === '-c' || v === '-C' || v === '--orphan') k++;
    else if (!v.startsWith('-')) return words[k];
  }
  return undefined;
}

/** Every `git clone` of the stage, with whether a checkout after it (same RUN or a later one) pins it. */
function clonesOf(stage: Stage): Clone[] {
  const clones: Clone[] = [];
  for (const run of stage.runs) {
    for (const c of run.commands) clone(c, run);
  }
  return clones;

  function clone(c: SimpleCommand, run: RunInfo): void {
    const argv = unwrap(c).argv;
    const git = gitSubcommand(argv);
    if (!git) return;
    if (argv[git.at].value === 'clone') {
      const found = readClone(argv, git.at, stage, run);
      if (found) clones.push(found);
      return;
    }
    const ref = checkoutRef(argv, git.at);
    if (!ref || !clones.length) return;
    // `git -C dir checkout`: that clone; else the last one (after `cd dir`, or a WORKDIR).
    const target = (git.dir && clones.find((x) => x.dir === basename(git.dir!.replace(/["']|\/+$/g, '')))) || clones[clones.length - 1];
    if (pins(refOf(ref, run, stage.model))) target.pinned = true;
  }
}

export default defineRule({
  id: 'git-clone-unpinned',
  severity: 'info',
  summary: 'git clone takes the tip of a branch: the build depends on when it runs.',
  rationale: `\`git clone URL\` checks out whatever the default branch holds at build time (\`--branch main\`,
the tip of that branch): two builds of the same Dockerfile can build and ship different code, a
broken or compromised commit pushed upstream goes into the next image unreviewed, and a build cache
keeps an old checkout while a fresh builder takes a new one. Pin what is built: check out a commit
after the clone (\`git checkout <sha>\`, \`git reset --hard <sha>\`, best with \`ARG\`s that record it),
or clone a release tag (\`git clone --depth 1 --branch v1.2.3\`; a tag can be moved, but rarely is,
and it is the common pin).

A ref counts as a pin when it has a digit (a commit, \`v1.2.3\`, \`1.27.3-1\`, \`release-2.4\`) or when a
build argument or a command decides it (\`--branch "$VERSION"\` with no default, \`git checkout
"$(cat REVISION)"\`): the tool cannot know its value and gives the file the benefit of the doubt. A
branch without a digit (\`main\`, \`master\`, \`develop\`, \`stable\`) moves, and so does an \`ARG\`
whose default is one. A checkout later in the same RUN (after \`cd\`, or \`git -C dir\`) or in a later
RUN of the same stage pins the clone it follows. Local clones (a path, \`file://\`) are not checked.

Checked in every stage: a builder's checkout ends up in what it builds, which later stages copy.
\`go install …@latest\` and \`pip install git+https://…@main\` are other rules' matter. No fix: the
commit to pin cannot be known offline.`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM golang:1.23 AS build
RUN git clone https://github.com/example/tool.git && cd tool && go build -o /tool .
#   ^^^^^^^^^ git-clone-unpinned
RUN git clone --depth 1 --branch main https://github.com/example/lib.git
#                                ^^^^ git-clone-unpinned
FROM alpine:3.20
COPY --from=build /tool /usr/local/bin/tool
`,
    ],
    valid: [
      `FROM golang:1.23 AS build
ARG TOOL_COMMIT=0123456789abcdef0123456789abcdef01234567
RUN git clone https://github.com/example/tool.git && cd tool && git checkout "$TOOL_COMMIT" && go build -o /tool .
RUN git clone --depth 1 --branch v1.2.3 https://github.com/example/lib.git
FROM alpine:3.20
COPY --from=build /tool /usr/local/bin/tool
`,
    ],
  },
  check({ model, report }) {
    for (const stage of model.stages) {
      const where = model.shipped?.chain.includes(stage)
        ? ''
        : ` in stage ${stage.name ?? stage.index}, whose output later stages can copy,`;
      for (const c of clonesOf(stage)) {
        if (c.pinned) continue;
        const b = c.branch;
        const from = b?.word.dynamic ? ` (from ${b.raw})` : '';
        const what = b?.value !== undefined ? `the tip of the branch ${b.value}${from}` : 'the tip of its default branch';
        report({
          span: b ? { start: b.word.start, end: b.word.end } : c.span,
          message: `git clone of ${c.url}${where} takes ${what}: the build depends on when it runs. Check out a commit after the clone (git checkout <sha>) or clone a release tag (--branch v1.2.3).`,
        });
      }
    }
  },
});
