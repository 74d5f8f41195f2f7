/**
 * End-of-life dates of the release lines base images carry (eol-base-image): when each release
 * of a language runtime, an operating system or a server stops getting security fixes.
 *
 * Sources: the endoflife.date project (https://endoflife.date, data in
 * https://github.com/endoflife-date/endoflife.date, products/<product>.md; API
 * https://endoflife.date/api/<product>.json), read from its repository as of 2026-08-22 (commit
 * a70eca3). It cites the vendors' own pages: go.dev/doc/devel/release, nodejs.org/en/about/previous-releases,
 * devguide.python.org/versions, www.ruby-lang.org/en/downloads/branches, www.php.net/supported-versions.php,
 * adoptium.net/support, dotnet.microsoft.com/platform/support/policy, wiki.debian.org/DebianReleases,
 * wiki.ubuntu.com/Releases, alpinelinux.org/releases, docs.fedoraproject.org/en-US/releases/eol,
 * wiki.centos.org/About/Product, access.redhat.com/support/policy/updates/errata, nginx.org/en/CHANGES,
 * www.postgresql.org/support/versioning, redis.io/about/releases.
 *
 * The date kept is the end of security fixes an image gets without a subscription: Debian's LTS
 * end (free, same archives), Ubuntu's end of standard support (ESM needs Ubuntu Pro), RHEL's end of
 * maintenance (UBI images follow it; ELS is paid). '' = no end announced. Release lines upstream
 * lists as ended without a date, and lines ended before Docker's first release (2013-03-20), are
 * left out. Refresh with `npx tsx scripts/refresh-eol.ts` (network) or `--repo <clone>`; it
 * rewrites the table between the markers and EOL_COMPILED only.
 */

export type EolProduct =
  | 'go'
  | 'nodejs'
  | 'python'
  | 'ruby'
  | 'php'
  | 'eclipse-temurin'
  | 'dotnet'
  | 'debian'
  | 'ubuntu'
  | 'alpine-linux'
  | 'fedora'
  | 'centos'
  | 'rhel'
  | 'nginx'
  | 'postgresql'
  | 'redis';

interface EolProductInfo {
  /** What messages call it. */
  name: string;
  /** A language toolchain: what a build stage on it compiles carries its standard library. */
  toolchain?: boolean;
  /** Which end counts: Debian's LTS (free, in the same archives). */
  until?: 'lts';
  /** Releases have codenames images are tagged with (Debian, Ubuntu). */
  codenames?: boolean;
}

/** The products the table covers (endoflife.date's names), in the order the table lists them. */
export const EOL_PRODUCTS: Record<EolProduct, EolProductInfo> = {
  go: { name: 'Go', toolchain: true },
  nodejs: { name: 'Node.js' },
  python: { name: 'Python' },
  ruby: { name: 'Ruby' },
  php: { name: 'PHP' },
  'eclipse-temurin': { name: 'Java' },
  dotnet: { name: '.NET' },
  debian: { name: 'Debian', until: 'lts', codenames: true },
  ubuntu: { name: 'Ubuntu', codenames: true },
  'alpine-linux': { name: 'Alpine Linux' },
  fedora: { name: 'Fedora' },
  centos: { name: 'CentOS Linux' },
  rhel: { name: 'Red Hat Enterprise Linux' },
  nginx: { name: 'nginx' },
  postgresql: { name: 'PostgreSQL' },
  redis: { name: 'Redis' },
};

/**
 * Official images (Docker Hub's `library/`) whose tags start with a product's version. Tags after
 * the version may name the OS beneath (`-alpine3.12`, `-slim-buster`), read for every official
 * image. The `openjdk` image's tags start with the Java feature release: Temurin's dates (a line no
 * vendor supports is unsupported in any build); eol-base-image also says the image is deprecated.
 */
export const VERSIONED_IMAGES: Readonly<Record<string, EolProduct>> = {
  golang: 'go',
  node: 'nodejs',
  python: 'python',
  ruby: 'ruby',
  php: 'php',
  'eclipse-temurin': 'eclipse-temurin',
  openjdk: 'eclipse-temurin',
  nginx: 'nginx',
  postgres: 'postgresql',
  redis: 'redis',
  debian: 'debian',
  ubuntu: 'ubuntu',
  alpine: 'alpine-linux',
  fedora: 'fedora',
  centos: 'centos',
};

/** Node.js LTS codenames (tags such as `node:gallium-alpine`): each names one major for good. */
export const NODE_CODENAMES: Readonly<Record<string, string>> = {
  argon: '4',
  boron: '6',
  carbon: '8',
  dubnium: '10',
  erbium: '12',
  fermium: '14',
  gallium: '16',
  hydrogen: '18',
  iron: '20',
  jod: '22',
  krypton: '24',
};

/** The date of the table's data (scripts/refresh-eol.ts sets it). */
export const EOL_COMPILED = '2026-08-22';

/** [product, release line, end of security fixes ('' = none announced), codename], newest first. */
export const EOL_RELEASES: readonly (readonly [EolProduct, string, string, string?])[] = [
  // BEGIN RELEASES (scripts/refresh-eol.ts rewrites these lines)
  ['go', '1.27', ''],
  ['go', '1.26', ''],
  ['go', '1.25', '2026-08-19'],
  ['go', '1.24', '2026-02-10'],
  ['go', '1.23', '2025-08-12'],
  ['go', '1.22', '2025-02-11'],
  ['go', '1.21', '2024-08-13'],
  ['go', '1.20', '2024-02-06'],
  ['go', '1.19', '2023-09-06'],
  ['go', '1.18', '2023-02-01'],
  ['go', '1.17', '2022-08-02'],
  ['go', '1.16', '2022-03-15'],
  ['go', '1.15', '2021-08-16'],
  ['go', '1.14', '2021-02-16'],
  ['go', '1.13', '2020-08-11'],
  ['go', '1.12', '2020-02-25'],
  ['go', '1.11', '2019-09-03'],
  ['go', '1.10', '2019-02-25'],
  ['nodejs', '26', '2029-04-30'],
  ['nodejs', '25', '2026-06-01'],
  ['nodejs', '24', '2028-04-30'],
  ['nodejs', '23', '2025-06-01'],
  ['nodejs', '22', '2027-04-30'],
  ['nodejs', '21', '2024-06-01'],
  ['nodejs', '20', '2026-04-30'],
  ['nodejs', '19', '2023-06-01'],
  ['nodejs', '18', '2025-04-30'],
  ['nodejs', '17', '2022-06-01'],
  ['nodejs', '16', '2023-09-11'],
  ['nodejs', '15', '2021-06-01'],
  ['nodejs', '14', '2023-04-30'],
  ['nodejs', '13', '2020-06-01'],
  ['nodejs', '12', '2022-04-30'],
  ['nodejs', '11', '2019-06-30'],
  ['nodejs', '10', '2021-04-30'],
  ['nodejs', '9', '2018-06-30'],
  ['nodejs', '8', '2019-12-31'],
  ['nodejs', '7', '2017-06-30'],
  ['nodejs', '6', '2019-04-30'],
  ['nodejs', '5', '2016-06-30'],
  ['nodejs', '4', '2018-04-30'],
  ['python', '3.14', '2030-10-31'],
  ['python', '3.13', '2029-10-31'],
  ['python', '3.12', '2028-10-31'],
  ['python', '3.11', '2027-10-31'],
  ['python', '3.10', '2026-10-31'],
  ['python', '3.9', '2025-10-31'],
  ['python', '3.8', '2024-10-07'],
  ['python', '3.7', '2023-06-27'],
  ['python', '3.6', '2021-12-23'],
  ['python', '3.5', '2020-09-30'],
  ['python', '3.4', '2019-03-18'],
  ['python', '3.3', '2017-09-29'],
  ['python', '3.2', '2016-02-20'],
  ['python', '2.7', '2020-01-01'],
  ['python', '2.6', '2013-10-29'],
  ['ruby', '4.0', '2029-03-31'],
  ['ruby', '3.4', '2028-03-31'],
  ['ruby', '3.3', '2027-03-31'],
  ['ruby', '3.2', '2026-03-31'],
  ['ruby', '3.1', '2025-03-26'],
  ['ruby', '3.0', '2024-04-23'],
  ['ruby', '2.7', '2023-03-31'],
  ['ruby', '2.6', '2022-03-31'],
  ['ruby', '2.5', '2021-03-31'],
  ['ruby', '2.4', '2020-03-31'],
  ['ruby', '2.3', '2019-03-31'],
  ['ruby', '2.2', '2018-03-31'],
  ['ruby', '2.1', '2017-03-31'],
  ['ruby', '2.0.0', '2016-02-24'],
  ['ruby', '1.9.3', '2015-02-23'],
  ['php', '8.5', '2029-12-31'],
  ['php', '8.4', '2028-12-31'],
  ['php', '8.3', '2027-12-31'],
  ['php', '8.2', '2026-12-31'],
  ['php', '8.1', '2025-12-31'],
  ['php', '8.0', '2023-11-26'],
  ['php', '7.4', '2022-11-28'],
  ['php', '7.3', '2021-12-06'],
  ['php', '7.2', '2020-11-30'],
  ['php', '7.1', '2019-12-01'],
  ['php', '7.0', '2019-01-10'],
  ['php', '5.6', '2018-12-31'],
  ['php', '5.5', '2016-07-21'],
  ['php', '5.4', '2015-09-14'],
  ['php', '5.3', '2014-08-14'],
  ['eclipse-temurin', '26', '2026-09-15'],
  ['eclipse-temurin', '25', '2031-09-30'],
  ['eclipse-temurin', '24', '2025-09-16'],
  ['eclipse-temurin', '23', '2025-03-18'],
  ['eclipse-temurin', '22', '2024-09-17'],
  ['eclipse-temurin', '21', '2029-12-31'],
  ['eclipse-temurin', '20', '2023-09-19'],
  ['eclipse-temurin', '19', '2023-03-31'],
  ['eclipse-temurin', '18', '2022-09-30'],
  ['eclipse-temurin', '17', '2027-10-31'],
  ['eclipse-temurin', '16', '2021-09-30'],
  ['eclipse-temurin', '11', '2027-10-31'],
  ['eclipse-temurin', '8', '2030-12-31'],
  ['dotnet', '10', '2028-11-14'],
  ['dotnet', '9', '2026-11-10'],
  ['dotnet', '8', '2026-11-10'],
  ['dotnet', '7', '2024-05-14'],
  ['dotnet', '6', '2024-11-12'],
  ['dotnet', '5', '2022-05-10'],
  ['dotnet', '3.1', '2022-12-13'],
  ['dotnet', '3.0', '2020-03-03'],
  ['dotnet', '2.2', '2019-12-23'],
  ['dotnet', '2.1', '2021-08-21'],
  ['dotnet', '2.0', '2018-10-01'],
  ['dotnet', '1.1', '2019-06-27'],
  ['dotnet', '1.0', '2019-06-27'],
  ['debian', '13', '2030-06-30', 'trixie'],
  ['debian', '12', '2028-06-30', 'bookworm'],
  ['debian', '11', '2026-08-31', 'bullseye'],
  ['debian', '10', '2024-06-30', 'buster'],
  ['debian', '9', '2022-07-01', 'stretch'],
  ['debian', '8', '2020-06-30', 'jessie'],
  ['debian', '7', '2018-05-31', 'wheezy'],
  ['debian', '6', '2016-02-29', 'squeeze'],
  ['ubuntu', '26.04', '2031-04-30', 'resolute'],
  ['ubuntu', '25.10', '2026-07-01', 'questing'],
  ['ubuntu', '25.04', '2026-01-17', 'plucky'],
  ['ubuntu', '24.10', '2025-07-10', 'oracular'],
  ['ubuntu', '24.04', '2029-05-31', 'noble'],
  ['ubuntu', '23.10', '2024-07-12', 'mantic'],
  ['ubuntu', '23.04', '2024-01-20', 'lunar'],
  ['ubuntu', '22.10', '2023-07-20', 'kinetic'],
  ['ubuntu', '22.04', '2027-04-01', 'jammy'],
  ['ubuntu', '21.10', '2022-07-14', 'impish'],
  ['ubuntu', '21.04', '2022-01-20', 'hirsute'],
  ['ubuntu', '20.10', '2021-07-22', 'groovy'],
  ['ubuntu', '20.04', '2025-05-31', 'focal'],
  ['ubuntu', '19.10', '2020-07-06', 'eoan'],
  ['ubuntu', '19.04', '2020-01-23', 'disco'],
  ['ubuntu', '18.10', '2019-07-18', 'cosmic'],
  ['ubuntu', '18.04', '2023-05-31', 'bionic'],
  ['ubuntu', '17.10', '2018-07-19', 'artful'],
  ['ubuntu', '17.04', '2018-01-13', 'zesty'],
  ['ubuntu', '16.10', '2017-07-20', 'yakkety'],
  ['ubuntu', '16.04', '2021-04-02', 'xenial'],
  ['ubuntu', '15.10', '2016-07-28', 'wily'],
  ['ubuntu', '15.04', '2016-02-04', 'vivid'],
  ['ubuntu', '14.10', '2015-07-23', 'utopic'],
  ['ubuntu', '14.04', '2019-04-02', 'trusty'],
  ['ubuntu', '13.10', '2014-07-17', 'saucy'],
  ['ubuntu', '13.04', '2014-01-27', 'raring'],
  ['ubuntu', '12.10', '2014-05-16', 'quantal'],
  ['ubuntu', '12.04', '2017-04-28', 'precise'],
  ['ubuntu', '11.10', '2013-05-09', 'oneiric'],
  ['ubuntu', '10.04', '2013-05-09', 'lucid'],
  ['ubuntu', '8.04', '2013-05-09', 'hardy'],
  ['alpine-linux', '3.24', '2028-06-01'],
  ['alpine-linux', '3.23', '2027-11-01'],
  ['alpine-linux', '3.22', '2027-05-01'],
  ['alpine-linux', '3.21', '2026-11-01'],
  ['alpine-linux', '3.20', '2026-04-01'],
  ['alpine-linux', '3.19', '2025-11-01'],
  ['alpine-linux', '3.18', '2025-05-09'],
  ['alpine-linux', '3.17', '2024-11-22'],
  ['alpine-linux', '3.16', '2024-05-23'],
  ['alpine-linux', '3.15', '2023-11-01'],
  ['alpine-linux', '3.14', '2023-05-01'],
  ['alpine-linux', '3.13', '2022-11-01'],
  ['alpine-linux', '3.12', '2022-05-01'],
  ['alpine-linux', '3.11', '2021-11-01'],
  ['alpine-linux', '3.10', '2021-05-01'],
  ['alpine-linux', '3.9', '2020-11-01'],
  ['alpine-linux', '3.8', '2020-05-01'],
  ['alpine-linux', '3.7', '2019-11-01'],
  ['alpine-linux', '3.6', '2019-05-01'],
  ['alpine-linux', '3.5', '2018-11-01'],
  ['alpine-linux', '3.4', '2018-05-01'],
  ['alpine-linux', '3.3', '2017-11-01'],
  ['alpine-linux', '3.2', '2017-05-01'],
  ['alpine-linux', '3.1', '2016-11-01'],
  ['alpine-linux', '3.0', '2016-05-01'],
  ['alpine-linux', '2.7', '2015-11-01'],
  ['alpine-linux', '2.6', '2015-05-01'],
  ['alpine-linux', '2.5', '2014-11-01'],
  ['alpine-linux', '2.4', '2014-05-01'],
  ['alpine-linux', '2.3', '2013-11-01'],
  ['alpine-linux', '2.2', '2013-05-01'],
  ['fedora', '44', '2027-06-02'],
  ['fedora', '43', '2026-12-09'],
  ['fedora', '42', '2026-05-27'],
  ['fedora', '41', '2025-12-15'],
  ['fedora', '40', '2025-05-13'],
  ['fedora', '39', '2024-11-26'],
  ['fedora', '38', '2024-05-21'],
  ['fedora', '37', '2023-12-05'],
  ['fedora', '36', '2023-05-16'],
  ['fedora', '35', '2022-12-13'],
  ['fedora', '34', '2022-06-07'],
  ['fedora', '33', '2021-11-30'],
  ['fedora', '32', '2021-05-25'],
  ['fedora', '31', '2020-11-24'],
  ['fedora', '30', '2020-05-26'],
  ['fedora', '29', '2019-11-26'],
  ['fedora', '28', '2019-05-28'],
  ['fedora', '27', '2018-11-30'],
  ['fedora', '26', '2018-05-29'],
  ['fedora', '25', '2017-12-12'],
  ['fedora', '24', '2017-08-08'],
  ['fedora', '23', '2016-12-20'],
  ['fedora', '22', '2016-07-19'],
  ['fedora', '21', '2015-12-01'],
  ['fedora', '20', '2015-06-23'],
  ['fedora', '19', '2015-01-06'],
  ['fedora', '18', '2014-01-14'],
  ['fedora', '17', '2013-07-30'],
  ['centos', '8', '2021-12-31'],
  ['centos', '7', '2024-06-30'],
  ['centos', '6', '2020-11-30'],
  ['centos', '5', '2017-03-31'],
  ['rhel', '10', '2035-05-31'],
  ['rhel', '9', '2032-05-31'],
  ['rhel', '8', '2029-05-31'],
  ['rhel', '7', '2024-06-30'],
  ['rhel', '6', '2020-11-30'],
  ['rhel', '5', '2017-03-31'],
  ['nginx', '1.31', ''],
  ['nginx', '1.30', ''],
  ['nginx', '1.29', '2026-05-13'],
  ['nginx', '1.28', '2026-04-14'],
  ['nginx', '1.27', '2025-06-24'],
  ['nginx', '1.26', '2025-04-23'],
  ['nginx', '1.25', '2024-05-29'],
  ['nginx', '1.24', '2024-04-23'],
  ['nginx', '1.23', '2023-05-23'],
  ['nginx', '1.22', '2023-04-11'],
  ['nginx', '1.21', '2022-06-21'],
  ['nginx', '1.20', '2022-05-24'],
  ['nginx', '1.19', '2021-05-25'],
  ['nginx', '1.18', '2021-04-20'],
  ['nginx', '1.16', '2020-04-20'],
  ['nginx', '1.14', '2019-04-23'],
  ['nginx', '1.12', '2018-04-17'],
  ['nginx', '1.10', '2017-04-12'],
  ['nginx', '1.8', '2016-04-26'],
  ['nginx', '1.6', '2015-04-21'],
  ['nginx', '1.4', '2014-04-24'],
  ['nginx', '1.2', '2013-04-24'],
  ['postgresql', '18', '2030-11-14'],
  ['postgresql', '17', '2029-11-08'],
  ['postgresql', '16', '2028-11-09'],
  ['postgresql', '15', '2027-11-11'],
  ['postgresql', '14', '2026-11-12'],
  ['postgresql', '13', '2025-11-13'],
  ['postgresql', '12', '2024-11-21'],
  ['postgresql', '11', '2023-11-09'],
  ['postgresql', '10', '2022-11-10'],
  ['postgresql', '9.6', '2021-11-11'],
  ['postgresql', '9.5', '2021-02-11'],
  ['postgresql', '9.4', '2020-02-13'],
  ['postgresql', '9.3', '2018-11-08'],
  ['postgresql', '9.2', '2017-11-09'],
  ['postgresql', '9.1', '2016-10-27'],
  ['postgresql', '9.0', '2015-10-08'],
  ['postgresql', '8.4', '2014-07-24'],
  ['redis', '8.10', ''],
  ['redis', '8.8', ''],
  ['redis', '8.6', ''],
  ['redis', '8.4', ''],
  ['redis', '8.2', '2030-09-01'],
  ['redis', '8.0', '2026-12-01'],
  ['redis', '7.4', '2029-12-01'],
  ['redis', '7.2', '2029-12-01'],
  ['redis', '7.0', '2024-07-29'],
  ['redis', '6.2', '2027-04-01'],
  ['redis', '6.0', '2022-05-31'],
  ['redis', '5.0', '2022-04-27'],
  // END RELEASES
];

/** Release numbers compared part by part (`1.9` < `1.10`; `3` < `3.1`). */
export function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? -1) !== (y[i] ?? -1)) return (x[i] ?? -1) - (y[i] ?? -1);
  return 0;
}
