/**
 * Images a Dockerfile names that no registry serves under that name, so the project builds them
 * itself (another Dockerfile, a `docker build -t`, Compose or Bake): `localhost/app`, podman's and
 * buildah's name for a local build, or a bare name that is not one of Docker Hub's
 * official images (`FROM myproject-base` pulls `docker.io/library/myproject-base`, which exists only
 * for the official images). Rules about tags and digests say nothing of these: there is no upstream
 * tag to move and no registry to ask.
 */
import type { ImageRef } from './imageRef';
import type { DockerfileModel } from './model';

/**
 * The repositories of Docker Hub's `library/` namespace: its official images, current and
 * deprecated (a deprecated one can still be pulled). Compiled from Docker Hub's list of official
 * images (hub.docker.com/search?image_filter=official) in December 2026. A name missing here only
 * makes the rules stay silent on it.
 */
const OFFICIAL = new Set([
  'adminer',
  'adoptopenjdk',
  'aerospike',
  'almalinux',
  'alpine',
  'alt',
  'amazoncorretto',
  'amazonlinux',
  'api-firewall',
  'arangodb',
  'archlinux',
  'backdrop',
  'bash',
  'bonita',
  'buildpack-deps',
  'busybox',
  'caddy',
  'cassandra',
  'celery',
  'centos',
  'chronograf',
  'cirros',
  'clearlinux',
  'clefos',
  'clickhouse',
  'clojure',
  'composer',
  'consul',
  'convertigo',
  'couchbase',
  'couchdb',
  'crate',
  'crux',
  'dart',
  'debian',
  'django',
  'docker',
  'drupal',
  'eclipse-mosquitto',
  'eclipse-temurin',
  'eggdrop',
  'elasticsearch',
  'elixir',
  'emqx',
  'erlang',
  'euleros',
  'express-gateway',
  'fedora',
  'flink',
  'fluentd',
  'friendica',
  'fsharp',
  'gazebo',
  'gcc',
  'geonetwork',
  'ghost',
  'glassfish',
  'golang',
  'gradle',
  'groovy',
  'haproxy',
  'haskell',
  'haxe',
  'hello-world',
  'hitch',
  'httpd',
  'hylang',
  'ibm-semeru-runtimes',
  'ibmjava',
  'influxdb',
  'iojs',
  'irssi',
  'java',
  'jenkins',
  'jetty',
  'jobber',
  'joomla',
  'jruby',
  'julia',
  'kapacitor',
  'kibana',
  'known',
  'kong',
  'krakend',
  'lightstreamer',
  'liquibase',
  'logstash',
  'mageia',
  'mariadb',
  'matomo',
  'maven',
  'mediawiki',
  'memcached',
  'mongo',
  'mongo-express',
  'monica',
  'mono',
  'mysql',
  'nats',
  'nats-streaming',
  'neo4j',
  'neurodebian',
  'nextcloud',
  'nginx',
  'node',
  'notary',
  'nuxeo',
  'odoo',
  'open-liberty',
  'openjdk',
  'opensuse',
  'oraclelinux',
  'orientdb',
  'owncloud',
  'percona',
  'perl',
  'photon',
  'php',
  'php-zendserver',
  'phpmyadmin',
  'piwik',
  'plone',
  'postfixadmin',
  'postgres',
  'pypy',
  'python',
  'r-base',
  'rabbitmq',
  'rails',
  'rakudo-star',
  'rapidoid',
  'redis',
  'redmine',
  'registry',
  'rethinkdb',
  'rocket.chat',
  'rockylinux',
  'ros',
  'ruby',
  'rust',
  'sapmachine',
  'satosa',
  'sentry',
  'silverpeas',
  'sl',
  'solr',
  'sonarqube',
  'sourcemage',
  'spark',
  'spiped',
  'storm',
  'swarm',
  'swift',
  'swipl',
  'teamspeak',
  'telegraf',
  'thrift',
  'tomcat',
  'tomee',
  'traefik',
  'ubuntu',
  'ubuntu-debootstrap',
  'ubuntu-upstart',
  'unit',
  'varnish',
  'vault',
  'websphere-liberty',
  'wordpress',
  'xwiki',
  'yourls',
  'znc',
  'zookeeper',
]);

/** Why the project builds this image itself, or undefined when it is one a registry serves. */
export function builtByProject(ref: ImageRef): string | undefined {
  // `localhost/app` (no port) is how podman and buildah name a local build: no registry serves it.
  // A registry on a port of this machine (`localhost:5000/app`) is one, and can be asked for digests.
  if (ref.registry === 'localhost') return `${ref.name} is a local build's name (localhost/…): no registry serves it`;
  if (ref.registry === 'docker.io' && ref.repository.startsWith('library/') && !ref.explicitRegistry) {
    const name = ref.repository.slice('library/'.length);
    if (!OFFICIAL.has(name))
      return `${name} is not one of Docker Hub's official images, so no registry serves it under that name: an image the project builds itself`;
  }
  return undefined;
}

/**
 * A reference whose registry or namespace comes from a build argument (`${NAMESPACE}/node-base:${VERSION}`,
 * `ARG BASE=$REGISTRY/$OWNER/minimal-notebook` then `FROM $BASE`): the pipeline says where its images
 * are pushed, so the image is one it builds itself, and the default is only a stand-in for local
 * builds. Not when the name is an official image's (`${MIRROR}/library/golang`: a mirror of it).
 */
export function namespaceFromPipeline(model: DockerfileModel, raw: string, depth = 0): boolean {
  const text = raw.trim().replace(/^["']|["']$/g, '');
  // The whole reference is one variable: look at the default of the ARG it names.
  const whole = /^\$(?:\{(\w+)(?::?[-+=?][^}]*)?\}|(\w+))$/.exec(text);
  if (whole) {
    if (depth > 2) return false;
    const name = whole[1] ?? whole[2];
    const decl = [...model.declarations].reverse().find((d) => d.keyword === 'ARG' && d.name === name && d.raw !== undefined);
    return !!decl && namespaceFromPipeline(model, decl.raw!, depth + 1);
  }
  const name = text.replace(/@.*$/, '');
  const slash = name.lastIndexOf('/');
  if (slash < 0 || !name.slice(0, slash).includes('$')) return false;
  const last = name.slice(slash + 1).replace(/:.*$/, '');
  return !OFFICIAL.has(last);
}

/**
 * The image's name (not only its tag) comes from a build argument (`FROM $REPO:9.0`): the pipeline
 * passes the image it builds, and the default is a stand-in. (A tag alone from an argument,
 * `golang:\${GO}`, still names a published image: it is pinned through the argument's default.)
 */
export function repositoryFromArgument(raw: string): boolean {
  const text = raw
    .trim()
    .replace(/^["']|["']$/g, '')
    .replace(/@.*$/, '');
  const slash = text.lastIndexOf('/');
  const colon = text.indexOf(':', slash + 1);
  const name = colon >= 0 ? text.slice(0, colon) : text;
  // A reference that is one variable as a whole is read through its default (namespaceFromPipeline);
  // a registry from a variable before an image's path (\${MIRROR}/library/alpine) still names it.
  return name.slice(name.lastIndexOf('/') + 1).includes('$') && !/^\$(\{\w+\}|\w+)$/.test(text);
}
