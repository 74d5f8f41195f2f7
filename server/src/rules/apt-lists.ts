import { defineRule, type Fix } from '../engine/rule';
import type { DockerfileModel, RunInfo } from '../model/model';
import { EditBuilder } from '../engine/edits';
import { appendCommand } from '../fixes/shell';
import { mountsCacheOver, packageCommands, type PackageCommand } from '../model/packages';
import { shipsToUsers } from '../model/runtime';
import { commandName, unwrap, type SimpleCommand } from '../model/shell';

/** Removes /etc/apt/apt.conf.d/docker-clean (which makes apt keep the .deb archives it downloads). */
function removesDockerClean(command: SimpleCommand): boolean {
  const e = unwrap(command);
  return commandName(e.argv) === 'rm' && e.argv.some((w) => /^\/etc\/apt\/apt\.conf\.d\/docker-clean$/.test(w.value));
}

/**
 * The install keeps its .deb archives in the layer: docker-clean was removed (earlier in this RUN, or
 * in an earlier RUN of the stage or a stage it inherits from), /var/cache/apt is not a cache mount,
 * and no `apt-get clean` follows in the same RUN.
 */
function keptArchives(cmd: PackageCommand): boolean {
  const earlierRuns = cmd.stage.chain.flatMap((s) => s.runs).filter((r) => r !== cmd.run && r.instr.span.start < cmd.run.instr.span.start);
  const removed =
    cmd.run.commands.slice(0, cmd.index).some(removesDockerClean) || earlierRuns.some((r) => r.commands.some(removesDockerClean));
  if (!removed || mountsCacheOver(cmd.run, '/var/cache/apt/archives')) return false;
  return !cmd.run.commands.slice(cmd.index + 1).some((c) => {
    const e = unwrap(c);
    const name = commandName(e.argv);
    if ((name === 'apt-get' || name === 'apt') && e.argv.some((w) => w.value === 'clean' || w.value === 'dist-clean')) return true;
    return name === 'rm' && e.argv.some((w) => /^\/var\/cache\/apt(\/archives)?\/?\*?$/.test(w.value));
  });
}

const APT = new Set(['apt-get', 'apt', 'aptitude']);

/**
 * A later apt install, in this stage or a stage built on it, that runs no `apt-get update` before it
 * in its own RUN: it installs from the lists this RUN leaves, and fails once they are removed here.
 */
function laterInstallRelyingOnLists(model: DockerfileModel, cmd: PackageCommand): PackageCommand | undefined {
  const at = cmd.run.instr.span.start;
  const all = packageCommands(model);
  // An update between the two (in the later RUN before its install, or in a RUN in between) gives
  // that install lists of its own.
  const updated = (c: PackageCommand) =>
    all.some(
      (u) =>
        APT.has(u.manager) &&
        u.sub === 'update' &&
        c.stage.chain.includes(u.stage) &&
        (u.run === c.run ? u.index < c.index : u.run.instr.span.start > at && u.run.instr.span.start < c.run.instr.span.start),
    );
  return all.find(
    (c) =>
      APT.has(c.manager) &&
      c.sub === 'install' &&
      c.run !== cmd.run &&
      c.run.instr.span.start > at &&
      c.stage.chain.includes(cmd.stage) &&
      !mountsCacheOver(c.run, '/var/lib/apt/lists') &&
      !updated(c),
  );
}

/**
 * The `apt-get update` an install gets its lists from when its own RUN runs none before it: the
 * latest one in an earlier RUN of its stage or a stage it inherits from.
 */
function listsFromEarlierRun(model: DockerfileModel, cmd: PackageCommand): PackageCommand | undefined {
  const all = packageCommands(model);
  if (all.some((u) => APT.has(u.manager) && u.sub === 'update' && u.run === cmd.run && u.index < cmd.index)) return undefined;
  let from: PackageCommand | undefined;
  for (const u of all) {
    if (!APT.has(u.manager) || u.sub !== 'update' || u.run === cmd.run || !cmd.stage.chain.includes(u.stage)) continue;
    if (u.run.instr.span.start < cmd.run.instr.span.start) from = u;
  }
  return from;
}

/** The RUN runs apt-get update and nothing but commands that do not install (an update-only layer). */
function updateOnly(model: DockerfileModel, update: PackageCommand): boolean {
  return !packageCommands(model).some((c) => c.run === update.run && APT.has(c.manager) && c.sub === 'install');
}

/**
 * `RUN apt-get update` alone, then one `RUN apt-get install …`: the update moves into the install's
 * RUN, which then removes the lists. Offered where the update RUN is that one command and nothing
 * else installs from its lists.
 */
function joinUpdateFix(model: DockerfileModel, update: PackageCommand, installs: PackageCommand[]): Fix[] {
  const [install] = installs;
  if (
    installs.length !== 1 ||
    update.run.commands.length !== 1 ||
    update.run.command.form !== 'shell' ||
    install.run.command.form !== 'shell'
  )
    return [];
  const first = install.run.script?.commands[0];
  if (!first?.argv.length || install.run.commands.length === 0) return [];
  // Nothing between the two RUNs: the install then sees the same sources the update saw.
  const between = update.stage === install.stage && install.stage.runs.indexOf(install.run) === install.stage.runs.indexOf(update.run) + 1;
  const updateText = model.text.slice(update.run.commands[0].start, update.run.commands[0].end);
  return [
    {
      title: "Run apt-get update in the install's RUN and remove the lists there",
      kind: between ? 'safe' : 'suggestion',
      preferred: between,
      edits: () => {
        const b = new EditBuilder(model);
        if (!appendCommand(model, b, install.run, 'rm -rf /var/lib/apt/lists/*')) return [];
        const sudo = install.command.wrappers.includes('sudo') && !updateText.startsWith('sudo') ? 'sudo ' : '';
        b.insert(first.start, `${sudo}${updateText} && `);
        b.deleteInstruction(update.run.instr);
        return b.build();
      },
    },
  ];
}

/** A script the install's RUN runs before it (a shell reading a piped script, `sh -c`, `./setup.sh`), as named in messages. */
function runsScriptBefore(c: PackageCommand): string | undefined {
  for (const x of c.run.commands.slice(0, c.index)) {
    const e = unwrap(x);
    const name = commandName(e.argv);
    if (name === 'sh' || name === 'bash' || name === 'dash' || name === 'zsh') return 'shell script';
    if (name && /\.(sh|bash)$/.test(name)) return `script ${name}`;
  }
  return undefined;
}

/**
 * Removes the lists here and makes the later install fetch its own: a suggestion, since that install
 * then gets the lists of its build day (newer versions, perhaps), not this RUN's.
 */
function updateLaterFix(model: DockerfileModel, cmd: PackageCommand, later: PackageCommand, line: number): Fix[] {
  if (cmd.run.command.form !== 'shell' || later.run.command.form !== 'shell') return [];
  return [
    {
      title: `Remove the package lists here, and run apt-get update before the install at line ${line}`,
      kind: 'suggestion',
      edits: () => {
        const b = new EditBuilder(model);
        if (!appendCommand(model, b, cmd.run, 'rm -rf /var/lib/apt/lists/*')) return [];
        // At the start of that RUN (before `a || apt-get install`, an update would join the `||`),
        // with the install's sudo where it has one (after a USER that is not root).
        const first = later.run.script?.commands[0];
        if (!first?.argv.length) return []; // a heredoc script (`RUN <<EOF`): no place on its first line

        const sudo = later.command.wrappers.includes('sudo') ? 'sudo ' : '';
        b.insert(first.start, `${sudo}apt-get update && `);
        return b.build();
      },
    },
  ];
}

/** A safe fix that appends a cleanup command to the RUN, in its own layout. */
function appendFix(model: DockerfileModel, run: RunInfo, command: string, title: string): Fix[] {
  if (run.command.form !== 'shell') return [];
  return [
    {
      title,
      kind: 'safe',
      preferred: true,
      edits: () => {
        const b = new EditBuilder(model);
        return appendCommand(model, b, run, command) ? b.build() : [];
      },
    },
  ];
}

export default defineRule({
  id: 'apt-lists',
  severity: 'info',
  summary: 'apt-get install without removing /var/lib/apt/lists in the same RUN.',
  rationale: `\`apt-get update\` downloads package lists (tens of MB) to /var/lib/apt/lists. Unless the
same RUN deletes them (\`&& rm -rf /var/lib/apt/lists/*\`, or \`apt-get dist-clean\` with apt 2.7+),
they stay in that layer for good: removing them in a later RUN does not shrink the image. A cache
mount over /var/lib/apt (or its lists) keeps them out of the layer too.

The Debian and Ubuntu images delete downloaded packages after each install
(/etc/apt/apt.conf.d/docker-clean). A Dockerfile that removes that file to use a cache mount must
mount /var/cache/apt as well (or run \`apt-get clean\` in the same RUN), or the downloaded .deb
archives stay in the layer: that is reported too. Also checked for \`apt\` and \`aptitude\`.

When the lists come from an \`apt-get update\` in a RUN of its own (\`RUN apt-get update\` then
\`RUN apt-get install …\`), they stay in that earlier layer whatever the install's RUN removes: the
finding is on the update, and the fix moves it into the install's RUN (offered when one install
uses those lists; preferred when no RUN stands between the two).

When a later RUN (of this stage or one built on it) installs packages without an \`apt-get update\`
of its own, it relies on the lists this RUN leaves: removing them here alone would make it fail
(\`Unable to locate package\`). The finding says so, and the only fix offered is a suggestion that
also runs \`apt-get update\` in that later RUN.

Checked in the shipped stage and the stages it inherits from.`,
  differences: `hadolint DL3009 reports every stage that is not used as the base of another; this rule
only the stages whose files ship.`,
  equivalents: { hadolint: ['DL3009'] },
  examples: {
    invalid: [
      `FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends curl
#                     ^^^^^^^^^^^^^^^ apt-lists
`,
    ],
    fixes: [
      {
        before: `FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n`,
        after: `FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n`,
      },
      {
        before: `FROM debian:12\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends \\\n      curl \\\n      git\n`,
        after: `FROM debian:12\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends \\\n      curl \\\n      git \\\n && rm -rf /var/lib/apt/lists/*\n`,
      },
      {
        before: `FROM debian:12\nRUN set -eux; \\\n    apt-get update; \\\n    apt-get install -y --no-install-recommends curl\n`,
        after: `FROM debian:12\nRUN set -eux; \\\n    apt-get update; \\\n    apt-get install -y --no-install-recommends curl; \\\n    rm -rf /var/lib/apt/lists/*\n`,
      },
      {
        before: `FROM debian:12\nRUN <<EOF\nset -e\napt-get update\napt-get install -y --no-install-recommends curl\nEOF\n`,
        after: `FROM debian:12\nRUN <<EOF\nset -e\napt-get update\napt-get install -y --no-install-recommends curl\nrm -rf /var/lib/apt/lists/*\nEOF\n`,
      },
    ],
    valid: [
      `FROM debian:12
RUN apt-get update \\
 && apt-get install -y --no-install-recommends curl \\
 && rm -rf /var/lib/apt/lists/*
`,
      `FROM debian:12
RUN --mount=type=cache,target=/var/lib/apt,sharing=locked \\
    apt-get update && apt-get install -y --no-install-recommends curl
`,
    ],
  },
  check({ model, report }) {
    // A builder, development or CI image is not shipped: its caches reach nobody.
    if (!shipsToUsers(model)) return;
    const shipped = model.shipped?.chain ?? [];
    // Update-only RUNs whose lists installs in later RUNs use: reported once each, on the update.
    const separate = new Map<PackageCommand, PackageCommand[]>();
    const reportedRuns = new Set<RunInfo>();
    for (const cmd of packageCommands(model)) {
      if (!APT.has(cmd.manager) || cmd.sub !== 'install' || !shipped.includes(cmd.stage)) continue;
      if (keptArchives(cmd)) {
        report({
          span: cmd.span,
          message: `/etc/apt/apt.conf.d/docker-clean was removed but /var/cache/apt is not a cache mount: the downloaded .deb archives stay in this layer. Mount a cache over /var/cache/apt too, or run apt-get clean in the same RUN.`,
          fixes: appendFix(model, cmd.run, 'apt-get clean', 'End the RUN with apt-get clean'),
        });
        continue;
      }
      const from = mountsCacheOver(cmd.run, '/var/lib/apt/lists') ? undefined : listsFromEarlierRun(model, cmd);
      if (from && !mountsCacheOver(from.run, '/var/lib/apt/lists')) {
        // The lists are in the update's layer: removing them here frees nothing. Where that RUN also
        // installs, its own finding covers them; an update-only RUN gets one finding of its own.
        if (updateOnly(model, from)) separate.set(from, [...(separate.get(from) ?? []), cmd]);
        continue;
      }
      if (mountsCacheOver(cmd.run, '/var/lib/apt/lists')) continue;
      const cleaned = cmd.run.commands.slice(cmd.index + 1).some((c) => {
        const e = unwrap(c);
        const name = commandName(e.argv);
        // apt 2.7+ `apt-get dist-clean` removes the lists along with the package cache.
        if ((name === 'apt-get' || name === 'apt') && e.argv.some((w) => w.value === 'dist-clean')) return true;
        // rm -rf /var/lib/apt/lists/* (or lists, lists*, /var/lib/apt, /var/lib/apt/*)
        return name === 'rm' && e.argv.some((w) => /^\/var\/lib\/apt\/?(\*|lists(\/?\*?|\*))?$/.test(w.value));
      });
      if (cleaned) continue;
      const later = laterInstallRelyingOnLists(model, cmd);
      if (later) {
        // Removing the lists here would make that install fail ("Unable to locate package"). A script
        // that RUN runs first (`curl … | bash -` from nodesource, `./setup.sh`) may update them itself.
        const line = model.lines.positionAt(later.run.instr.span.start).line + 1;
        const script = runsScriptBefore(later);
        report({
          span: cmd.span,
          message: script
            ? `The package lists stay in this layer, and the install at line ${line} may rely on them: the ${script} it runs first may run apt-get update, which the tool cannot see. Removing them here alone could break it: run apt-get update in that RUN too, or install everything here.`
            : `The package lists stay in this layer, and the install at line ${line} relies on them (it runs no apt-get update of its own). Removing them here alone would break it: run apt-get update in that RUN too, or install everything here.`,
          fixes: updateLaterFix(model, cmd, later, line),
        });
        continue;
      }
      // One finding per RUN: one removal at its end fixes every install in it.
      if (reportedRuns.has(cmd.run)) continue;
      reportedRuns.add(cmd.run);
      report({
        span: cmd.span,
        message: `The package lists stay in this layer: end the same RUN with && rm -rf /var/lib/apt/lists/*.`,
        fixes: appendFix(model, cmd.run, 'rm -rf /var/lib/apt/lists/*', 'Remove the package lists in the same RUN'),
      });
    }
    for (const [update, installs] of separate) {
      const lines = installs.map((c) => model.lines.positionAt(c.run.instr.span.start).line + 1);
      const where = lines.length === 1 ? `the install at line ${lines[0]} runs` : `the installs at lines ${lines.join(', ')} run`;
      report({
        span: update.span,
        message: `The package lists this apt-get update downloads stay in this layer: ${where} in another RUN, where removing them frees nothing. Run apt-get update in the same RUN as the install, and remove the lists there.`,
        fixes: joinUpdateFix(model, update, installs),
      });
    }
  },
});
