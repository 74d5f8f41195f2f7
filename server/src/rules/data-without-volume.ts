import { defineRule, type Fix } from '../engine/rule';
import { EditBuilder, keyword } from '../engine/edits';
import type { DockerfileModel, Stage } from '../model/model';
import { action, packageCommands, type Manager } from '../model/packages';
import { familyOf } from '../model/images';
import { basename, isWithin, resolvePath } from '../model/paths';
import { runtimeOf, type Runtime } from '../model/runtime';
import { commandName, unwrap } from '../model/shell';
import { createdUsers } from '../model/users';
import { expandWord } from '../model/variables';
import type { Span } from '../model/text';

/** A database or search server, how it is installed and started, and where it keeps its data by default. */
interface Server {
  label: string;
  /** Its package names, by package manager family. */
  apk?: RegExp;
  apt?: RegExp;
  rpm?: RegExp;
  programs: string[];
  /** Its init script's name (`service postgresql start`), where it differs from the programs. */
  service?: string;
  /** The data directory of a package install (and of the program when its command line does not say). */
  dir: (s: Stage) => string | undefined;
  /** The option of its command line that names the data directory. */
  dirOption?: RegExp;
  /** The data directory when only the program (not a package) is seen: unknown unless its options say. */
  programDir?: boolean;
}

const env = (s: Stage, name: string) => s.env.get(name)?.value || undefined;

const SERVERS: Server[] = [
  {
    label: 'PostgreSQL',
    apk: /^postgresql\d*$/,
    apt: /^postgresql(-\d+(\.\d+)?)?$/,
    rpm: /^postgresql\d*-server$/,
    programs: ['postgres', 'postmaster', 'pg_ctl', 'pg_ctlcluster'],
    service: 'postgresql',
    dir: (s) => env(s, 'PGDATA') ?? (familyOf(s) === 'rhel' ? '/var/lib/pgsql' : '/var/lib/postgresql'),
    dirOption: /^(?:-D|--pgdata)=?$/,
  },
  {
    label: 'MySQL',
    apk: /^(mariadb|mysql)$/,
    apt: /^(default-mysql-server|mysql-server(-\d+\.\d+)?|mariadb-server(-\d+(\.\d+)?)?|percona-server-server(-\d+\.\d+)?)$/,
    rpm: /^(mysql-server|mysql-community-server|mariadb-server|percona-server-server)$/,
    programs: ['mysqld', 'mariadbd', 'mysqld_safe', 'mariadbd-safe'],
    service: 'mysql|mariadb',
    dir: () => '/var/lib/mysql',
    dirOption: /^--datadir=?$/,
    programDir: true,
  },
  {
    label: 'MongoDB',
    apk: /^mongodb$/,
    apt: /^(mongodb|mongodb-server|mongodb-org|mongodb-org-server)$/,
    rpm: /^(mongodb-org|mongodb-org-server)$/,
    programs: ['mongod'],
    dir: () => '/data/db',
    dirOption: /^--dbpath=?$/,
    programDir: true,
  },
  {
    label: 'Redis',
    apk: /^(redis|valkey)$/,
    apt: /^(redis|redis-server|valkey-server)$/,
    rpm: /^(redis|valkey)$/,
    programs: ['redis-server', 'valkey-server'],
    dir: () => '/var/lib/redis',
    dirOption: /^--dir=?$/,
  },
  {
    label: 'Elasticsearch',
    apt: /^elasticsearch$/,
    rpm: /^elasticsearch$/,
    programs: ['elasticsearch'],
    dir: () => '/var/lib/elasticsearch',
  },
  { label: 'OpenSearch', apt: /^opensearch$/, rpm: /^opensearch$/, programs: ['opensearch'], dir: () => '/var/lib/opensearch' },
  { label: 'Cassandra', apt: /^cassandra$/, rpm: /^cassandra$/, programs: ['cassandra'], dir: () => '/var/lib/cassandra' },
  {
    label: 'RabbitMQ',
    apk: /^rabbitmq-server$/,
    apt: /^rabbitmq-server$/,
    rpm: /^rabbitmq-server$/,
    programs: ['rabbitmq-server'],
    dir: () => '/var/lib/rabbitmq',
  },
  {
    label: 'InfluxDB',
    apt: /^influxdb2?$/,
    rpm: /^influxdb2?$/,
    programs: ['influxd'],
    service: 'influxdb',
    dir: () => '/var/lib/influxdb',
  },
  {
    label: 'ClickHouse',
    apt: /^clickhouse-server$/,
    rpm: /^clickhouse-server$/,
    programs: ['clickhouse-server'],
    dir: () => '/var/lib/clickhouse',
  },
  { label: 'Neo4j', apt: /^neo4j$/, rpm: /^neo4j$/, programs: ['neo4j'], dir: () => '/var/lib/neo4j/data' },
  { label: 'CouchDB', apt: /^couchdb$/, rpm: /^couchdb$/, programs: ['couchdb'], dir: () => '/opt/couchdb/data' },
];

/** Base images that are such a server (they declare their own VOLUME, or the tool cannot tell). */
const SERVER_IMAGE =
  /(^|[/-])(postgres|postgis|timescale|mysql|maria|percona|mongo|redis|valkey|keydb|cassandra|scylla|rabbitmq|influx|clickhouse|neo4j|couch|elastic|opensearch|cockroach)/;

function family(m: Manager): 'apk' | 'apt' | 'rpm' | undefined {
  if (m === 'apk') return 'apk';
  if (m === 'apt-get' || m === 'apt' || m === 'aptitude') return 'apt';
  return m === 'zypper' ? undefined : 'rpm';
}

interface Candidate {
  dir: string;
  span: Span;
  what: string;
}

/** The program's words and, behind an entrypoint script, CMD's (`docker-entrypoint.sh` then `postgres -D /x`). */
function commandWords(rt: Runtime): string[] {
  return [...(rt.entry.argv ?? []), ...(rt.entry.entrypoint ? (rt.entry.cmd?.words ?? []) : [])];
}

/** The server program the image starts: PID 1's program, or the CMD an entrypoint script is given. */
function programOf(rt: Runtime): string | undefined {
  const names = [rt.entry.program, rt.entry.entrypoint ? rt.entry.cmd?.words?.[0] : undefined].map((n) => (n ? basename(n) : undefined));
  return names.find((n) => n && SERVERS.some((x) => x.programs.includes(n))) ?? names[0];
}

/** The value of the option naming the data directory in a command line of the program (`--dbpath /x`, `-D/x`). */
function optionDir(rt: Runtime, srv: Server, argv = commandWords(rt)): string | undefined {
  if (!srv.dirOption) return undefined;
  for (let k = 1; k < argv.length; k++) {
    const eq = /^(--?[\w-]+=)(.+)$/.exec(argv[k]);
    if (eq && srv.dirOption.test(eq[1])) return resolvePath(eq[2], rt.stage.workdir);
    if (srv.dirOption.test(argv[k]) && argv[k + 1]) return resolvePath(argv[k + 1], rt.stage.workdir);
  }
  return undefined;
}

/**
 * Where Redis keeps its dump, from the command lines that start redis-server (PID 1's, a `sh -c`
 * script's, an entrypoint script's): its `--dir`, or with a configuration file the package's
 * directory; null when every one starts it without either (it writes to its working directory);
 * undefined when none is seen (an init script or a supervisor starts it).
 */
function redisDir(rt: Runtime, srv: Server): string | null | undefined {
  const runs = [commandWords(rt), ...rt.entry.commands].flatMap((argv) => {
    const k = argv.findIndex((w) => srv.programs.includes(basename(w)));
    return k < 0 ? [] : [argv.slice(k)];
  });
  if (!runs.length) return undefined;
  const config = (a: string[]) => (a[1] !== undefined && !a[1].startsWith('--')) || a.some((w) => w.endsWith('.conf'));
  return runs.map((a) => optionDir(rt, srv, a) ?? (config(a) ? srv.dir(rt.stage) : undefined)).find((d) => d) ?? null;
}

/** Programs that start the services their configuration names (which the tool does not read). */
const SUPERVISORS = new Set(['supervisord', 'runsvdir', 'my_init', 's6-svscan', 'init', 'systemd', 'tini-supervisor', 'circusd']);

/**
 * Whether the image starts the server: its command or entrypoint runs one of its programs or its
 * init script (`service postgresql start`), or a supervisor that may. A package installed for its
 * tools (pg_dump of an Alpine `postgresql`, redis-cli of RHEL's `redis`) is not a server.
 */
function startsServer(rt: Runtime, srv: Server): boolean {
  const words = [...commandWords(rt), ...rt.entry.commands.flat()].map((w) => basename(w));
  if (words.some((w) => srv.programs.includes(w) || SUPERVISORS.has(w))) return true;
  const texts = [rt.entry.script?.text, rt.entry.entrypoint?.script?.text, rt.entry.cmd?.script?.text].filter((t): t is string => !!t);
  const names = [...srv.programs, ...(srv.service ? srv.service.split('|') : [])].map((n) => n.replace(/[-.]/g, '\\$&')).join('|');
  const re = new RegExp(`(^|[\\s/;&|('"])(${names})($|[\\s;&|)'"])`, 'm');
  return texts.some((t) => re.test(t));
}

/** The servers the shipped image installs or starts, with their data directories. */
function serverCandidates(model: DockerfileModel, rt: Runtime): Candidate[] {
  const s = rt.stage;
  const out: Candidate[] = [];
  const program = programOf(rt);
  for (const p of packageCommands(model)) {
    if (!s.chain.includes(p.stage) || p.run.instr.onbuild || !['install', 'add'].includes(action(p))) continue;
    const fam = family(p.manager);
    for (const w of p.packages) {
      // `postgresql-$PG_MAJOR=$PG_VERSION`, `mariadb-server="$MARIADB_VERSION"`: the name without its version.
      const name = (w.dynamic ? expandWord(w.value, p.run.scope, model.escapeChar) : w.value)?.replace(/[=~<>].*$/, '');
      const srv = name ? SERVERS.find((x) => fam && x[fam]?.test(name)) : undefined;
      if (!srv || !startsServer(rt, srv)) continue;
      const started = program !== undefined && srv.programs.includes(program);
      // Redis started without a configuration file keeps its dump in the working directory, not the package's.
      const redis = srv.label === 'Redis' ? redisDir(rt, srv) : undefined;
      if (redis === null) continue;
      const dir = redis ?? ((started && optionDir(rt, srv)) || srv.dir(s));
      if (dir) out.push({ dir, span: { start: w.start, end: w.end }, what: `${srv.label} (installed here, package ${name})` });
    }
  }
  const srv = program ? SERVERS.find((x) => x.programs.includes(program)) : undefined;
  if (srv && !out.length && familyOf(s) !== 'unknown' && rt.entry.programInstr) {
    const dir = optionDir(rt, srv) ?? (srv.programDir ? srv.dir(s) : undefined);
    const instr = rt.entry.programInstr;
    if (dir) out.push({ dir, span: model.commandArgs(instr).span, what: `${srv.label} (${program}, started by ${instr.keyword})` });
  }
  return out;
}

/**
 * A directory where a program keeps what it writes: /data or …/data by its name; /var/lib/<app> (also
 * a home, a chroot, a socket's place) only where an ENV of a data-like name or the command names it.
 */
function dataLike(dir: string, rt: Runtime): boolean {
  if (dir === '/data' || (/^(data|db)$/.test(basename(dir)) && dir.split('/').length <= 4)) return true;
  if (!/^\/var\/lib\/[\w.-]+$/.test(dir)) return false;
  for (const [name, e] of rt.stage.env)
    if (/DATA|(^|_)DB(_|$)|STORAGE|STATE|PERSIST/i.test(name) && e.value && (e.value === dir || isWithin(e.value, dir))) return true;
  return commandWords(rt).some((a) => a === dir || a.endsWith(`=${dir}`));
}

/** Directories the chain makes with mkdir and chowns to the user the image runs as, with a data-like name. */
function ownedDataDirs(model: DockerfileModel, rt: Runtime): Candidate[] {
  const s = rt.stage;
  const u = s.user;
  if (u.root !== false || !u.user) return [];
  const who = new Set([u.user]);
  for (const c of createdUsers(model)) {
    if (c.kind === 'user' && s.chain.includes(c.stage) && c.uid !== undefined) {
      if (c.name === u.user) who.add(String(c.uid));
      if (String(c.uid) === u.user) who.add(c.name);
    }
  }
  const owned = rt.chowned.filter((c) => c.instr.keyword === 'RUN' && who.has(c.owner.split(/[:.]/)[0]));
  const out: Candidate[] = [];
  for (const st of s.chain) {
    for (const run of st.runs) {
      let cwd = run.instr.workdir;
      for (const c of run.commands) {
        const e = unwrap(c).argv;
        if (commandName(e) === 'cd') cwd = undefined;
        if (commandName(e) !== 'mkdir') continue;
        for (const w of e.slice(1)) {
          if (w.value.startsWith('-') || /^[0-7]{3,4}$/.test(w.value) || /[{*?]/.test(w.value)) continue;
          const v = w.dynamic ? expandWord(w.value, run.scope, model.escapeChar) : w.value;
          const dir = v === undefined ? undefined : resolvePath(v, cwd);
          if (!dir || !dataLike(dir, rt)) continue;
          if (!owned.some((o) => o.paths.some((p) => p === dir || (o.recursive && isWithin(dir, p) && p !== '/')))) continue;
          // Files copied into it (the program itself, its assets): not a directory only the program writes.
          if (s.chain.some((t) => t.copies.some((k) => k.destPath && (k.destPath === dir || isWithin(k.destPath, dir))))) continue;
          out.push({ dir, span: { start: w.start, end: w.end }, what: '' });
        }
      }
    }
  }
  return out;
}

/** Whether a comment or LABEL of the file mentions a mount or volume for the directory (or one around it). */
function documented(model: DockerfileModel, dir: string): boolean {
  const near = (p: string) => p === dir || isWithin(dir, p) || isWithin(p, dir);
  const texts = model.text.split(/\r?\n/).filter((l) => /^\s*#/.test(l));
  for (const i of model.instructions) if (i.keyword === 'LABEL') texts.push(model.argumentsOf(i).text);
  return texts.some(
    (t) =>
      /volume|mount|(^|\s)-v\s/i.test(t) &&
      (t.match(/\/[\w./-]*/g) ?? []).some((p) => p.replace(/[./]+$/, '').length > 1 && near(p.replace(/[./]+$/, ''))),
  );
}

/** VOLUME <dir> after the shipped stage's last RUN, COPY or ADD, so that no later build step writes under it. */
function volumeFix(model: DockerfileModel, s: Stage, dir: string): Fix[] {
  if (!/^\/[\w./-]+$/.test(dir)) return [];
  const writers = s.instructions.filter((i) => ['RUN', 'COPY', 'ADD'].includes(i.keyword));
  const after = writers[writers.length - 1] ?? s.from;
  return [
    {
      title: `Declare VOLUME ${dir} after the last build step (every container then gets a volume there)`,
      kind: 'suggestion',
      preferred: false,
      edits: () => new EditBuilder(model).insertLinesAfter(after, [`${keyword(model, 'VOLUME')} ${dir}`]).build(),
    },
  ];
}

const TRADE_OFF = `the data lives in the container's writable layer and is lost with the container`;

export default defineRule({
  id: 'data-without-volume',
  severity: 'info',
  summary: 'A stateful server image keeps its data directory in the container: no VOLUME or documented mount.',
  rationale: `A database or search server writes its data to a directory of the container. Without a volume
there, the data lives in the container's writable layer: it is lost with the container (an upgrade
is a new container), it is slow (copy-on-write), and it cannot be backed up or moved apart from the
image. Whoever runs the image must mount a volume at that directory, and needs to know which one.

The rule reports the shipped image when it
- installs a server from a package (PostgreSQL, MySQL/MariaDB, MongoDB, Redis, Elasticsearch,
  OpenSearch, Cassandra, RabbitMQ, InfluxDB, ClickHouse, Neo4j, CouchDB) or starts one on a plain
  distribution image, with its data directory from the package's default, \`PGDATA\`, or the
  program's option (\`--datadir\`, \`--dbpath\`, \`-D\`, \`--dir\`); Redis started without a
  configuration file (by its command, a \`sh -c\` script or an entrypoint script the file writes)
  keeps its dump in the working directory and is not reported;
- or makes a directory with a data-like name (\`/data\`, \`/var/lib/<app>\`, \`…/data\`) and
  chowns it to the user the image runs as, for the program to write,

and no \`VOLUME\` of the image or the stages it builds on covers that directory, and no comment or
\`LABEL\` of the file documents a mount or volume for it. An image built on an official database
image (\`postgres\`, \`mysql\`, \`mongo\`, \`redis\`…) is not reported: those declare their
\`VOLUME\` themselves, and the tool does not know every vendor image's.

The trade-off, honestly: \`VOLUME\` in a Dockerfile is not free.
- Every \`docker run\` without a mount there creates an anonymous volume, which piles up unnoticed
  (\`docker volume prune\`) and is not reused by the next container.
- With the legacy builder, a \`RUN\` after the \`VOLUME\` cannot change files under it: its changes
  are discarded. BuildKit keeps them, but a \`VOLUME\` belongs after the last build step all the same.
- A child image cannot remove it: whoever builds on the image gets the volume too.

So documenting the mount (a comment or a label naming the directory, \`docker run -v data:/var/lib/mysql\`,
Compose \`volumes:\`) is as good an answer, and the rule takes either. The fix, a suggestion, adds the
\`VOLUME\` after the stage's last \`RUN\`, \`COPY\` or \`ADD\`, only for a directory the file itself
makes (a volume over a directory the image lacks is created owned by root, which a non-root server
cannot write).`,
  equivalents: {},
  examples: {
    fixes: [
      {
        before: `FROM alpine:3.20\nRUN adduser -D -u 10001 app && mkdir /data && chown app /data\nCOPY server /usr/local/bin/server\nUSER app\nCMD ["server", "--data", "/data"]\n`,
        after: `FROM alpine:3.20\nRUN adduser -D -u 10001 app && mkdir /data && chown app /data\nCOPY server /usr/local/bin/server\nVOLUME /data\nUSER app\nCMD ["server", "--data", "/data"]\n`,
      },
    ],
    invalid: [
      `FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends mariadb-server && rm -rf /var/lib/apt/lists/*
#                                                                ^^^^^^^^^^^^^^ data-without-volume
CMD ["mysqld"]
`,
      `FROM alpine:3.20
RUN adduser -D -u 10001 app && mkdir -p /srv/data && chown app /srv/data
#                                       ^^^^^^^^^ data-without-volume
USER app
CMD ["/usr/local/bin/app", "--data-dir", "/srv/data"]
`,
    ],
    valid: [
      `FROM postgres:16
COPY init.sql /docker-entrypoint-initdb.d/
`,
      `FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends mariadb-server && rm -rf /var/lib/apt/lists/*
VOLUME /var/lib/mysql
CMD ["mysqld"]
`,
      `FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends mariadb-server && rm -rf /var/lib/apt/lists/*
# Run with a volume: docker run -v db:/var/lib/mysql …
CMD ["mysqld"]
`,
    ],
  },
  check({ model, report }) {
    const s = model.shipped;
    if (!s || !s.isRunnable || s.isScratch || familyOf(s) === 'windows') return;
    const rt = runtimeOf(s);
    if (rt.role.kind !== 'service') return;
    const root = s.rootImage;
    if (root && SERVER_IMAGE.test(root.repository)) return;
    const servers = serverCandidates(model, rt);
    const owned = ownedDataDirs(model, rt);
    // On a base the tool does not know, /data may be the base's own VOLUME.
    const dirs = familyOf(s) === 'unknown' ? [] : owned;
    const made = new Set(owned.map((c) => c.dir));
    const done = new Set<string>();
    for (const c of [...servers, ...dirs]) {
      if (done.has(c.dir)) continue;
      done.add(c.dir);
      if (rt.volumes.some((v) => v.path === c.dir || isWithin(c.dir, v.path) || isWithin(v.path, c.dir))) continue;
      if (documented(model, c.dir)) continue;
      const head = c.what
        ? `The image runs ${c.what}, which keeps its data in ${c.dir}`
        : `${c.dir} is made and given to ${s.user.user}, the user the image runs as, to write to`;
      report({
        span: c.span,
        message: `${head}, and no VOLUME or documented mount covers it: ${TRADE_OFF}. Document the mount (\`-v\`, Compose \`volumes:\`) in a comment or label, or declare VOLUME ${c.dir}.`,
        fixes: made.has(c.dir) ? volumeFix(model, s, c.dir) : [],
      });
    }
  },
});
