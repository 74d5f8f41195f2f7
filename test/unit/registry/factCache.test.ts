import * as assert from 'node:assert/strict';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FactCache, TAG_TTL_MS } from '../../../server/src/registry/factCache';
import { defaultCacheDir } from '../../../server/src/registry/cacheDir';
import { digestOf, single } from '../../support/facts';

describe('the image-facts disk cache', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'dh-factcache-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const name = { registry: 'ghcr.io', repository: 'acme/app', tag: '1' };

  it('lives where the platform keeps caches, unless told', () => {
    const home = '/home/u';
    assert.equal(defaultCacheDir({ DOCKERFILE_HARDENER_CACHE_DIR: '/x' }, 'linux', home), '/x');
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/xdg' }, 'linux', home), path.join('/xdg', 'dockerfile-hardener'));
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: 'relative' }, 'linux', home), path.join(home, '.cache', 'dockerfile-hardener'));
    assert.equal(defaultCacheDir({}, 'darwin', home), path.join(home, 'Library', 'Caches', 'dockerfile-hardener'));
    assert.equal(defaultCacheDir({ LOCALAPPDATA: 'C:\\L' }, 'win32', home), path.join('C:\\L', 'dockerfile-hardener', 'Cache'));
  });

  it('a tag for 24 hours, a digest for good; another process reads the same files', () => {
    let now = 1_000_000;
    const cache = new FactCache(dir, () => now);
    const facts = single({ user: 'app' }, { digest: digestOf('3') });
    cache.putDigest(name, facts);
    cache.putTag(name, facts.digest);
    const other = new FactCache(dir, () => now);
    assert.deepEqual(other.record([name]), { 'ghcr.io/acme/app:1': facts });
    now += TAG_TTL_MS + 1;
    const later = new FactCache(dir, () => now);
    assert.deepEqual(later.record([name]), {});
    assert.deepEqual(later.record([{ ...name, digest: facts.digest }]), { [`ghcr.io/acme/app@${facts.digest}`]: facts });
  });

  it("makes no directory in another user's home (sudo keeping HOME): nothing is written, lookups go on", function () {
    if (process.getuid?.() !== 0) this.skip(); // handing a directory to another user takes root
    const home = path.join(dir, 'someone');
    mkdirSync(home);
    chownSync(home, 65534, 65534);
    const cache = new FactCache(path.join(home, '.cache', 'dockerfile-hardener'));
    const facts = single({}, { digest: digestOf('9') });
    cache.putDigest(name, facts);
    assert.equal(existsSync(path.join(home, '.cache')), false);
    assert.deepEqual(cache.record([{ ...name, digest: facts.digest }]), { [`ghcr.io/acme/app@${facts.digest}`]: facts });
  });

  it('ignores an entry that does not parse, holds another key or is over 1 MiB', () => {
    const cache = new FactCache(dir);
    const facts = single({}, { digest: digestOf('4') });
    cache.putDigest(name, facts);
    const [file] = readdirSync(path.join(dir, 'images-v1'));
    const at = path.join(dir, 'images-v1', file);
    for (const broken of [
      '{"key":',
      JSON.stringify({ key: 'ghcr.io/other@x', facts }),
      JSON.stringify({ key: `ghcr.io/acme/app@${facts.digest}`, facts, pad: 'x'.repeat(1024 * 1024) }),
    ]) {
      writeFileSync(at, broken);
      assert.equal(new FactCache(dir).digest(name, facts.digest), undefined);
    }
  });

  it('a cache it cannot write costs only a later lookup', () => {
    const file = path.join(dir, 'not-a-dir');
    writeFileSync(file, '');
    const cache = new FactCache(file);
    cache.putTag(name, digestOf('5'));
    assert.equal(cache.tag(name), digestOf('5')); // remembered for this process
    assert.equal(new FactCache(file).tag(name), undefined);
  });

  it('keeps its memory bounded while names are typed', () => {
    let now = 0;
    const cache = new FactCache(dir, () => now);
    for (let i = 0; i < 5000; i++) {
      now += 100;
      cache.tag({ registry: 'docker.io', repository: `library/a${i}`, tag: 'x' });
    }
    const memo = (cache as unknown as { memo: Map<string, unknown> }).memo;
    assert.ok(memo.size <= 1600, String(memo.size));
  });
});
