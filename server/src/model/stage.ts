/**
 * A stage of the model: its base, what it inherits through the stages it is built on (USER, ENV,
 * SHELL, WORKDIR), what it runs and copies, and the facts rules ask of it (its chain, the user it
 * runs as, whether it runs at all, which files it has).
 */
import type { Span } from './text';
import type { Base, CommandArgs, CopyInfo, EnvEntry, FlagInfo, Instr, Presence, RunInfo, UserInfo } from './types';
import type { DockerfileModel } from './model';
import type { ImageRef } from './imageRef';
import { defaultUser, lacksShellImage } from './knownImages';
import { configUser, factsFor, platformFacts, registryLabel } from './imageFacts';
import { copyProvides, presenceIn } from './files';

/** How many stages an inheritance chain follows (real Dockerfiles: at most 6 in the corpus). */
const MAX_CHAIN = 64;

/** Instructions that only matter to a running container. */
const RUNTIME_KEYWORDS = new Set(['CMD', 'ENTRYPOINT', 'USER', 'EXPOSE', 'HEALTHCHECK', 'STOPSIGNAL']);

export class Stage {
  index = 0;
  /** The model the stage belongs to. */
  model!: DockerfileModel;
  /**
   * A stage the model made up for instructions written before any FROM (a file being typed, or a
   * fragment): its base is unknown, so rules that depend on the base stay silent.
   */
  implicit = false;
  name?: string;
  nameSpan?: Span;
  from!: Instr;
  /** The image argument of FROM as written. */
  imageRaw = '';
  imageSpan?: Span;
  platform?: FlagInfo;
  base: Base = { kind: 'unknown', raw: '' };
  instructions: Instr[] = [];
  /** Stages built `FROM` this one. */
  children: Stage[] = [];
  users: UserInfo[] = [];
  /** ENV after this stage's instructions (inherited entries included). */
  env = new Map<string, EnvEntry>();
  runs: RunInfo[] = [];
  copies: CopyInfo[] = [];
  /** CMD, ENTRYPOINT and HEALTHCHECK instructions of this stage with their command. */
  commands: { instr: Instr; command?: CommandArgs }[] = [];
  /** The last SHELL instruction of this stage or one it inherits from. */
  shellInstr?: Instr;
  /** The working directory at the end of the stage. */
  workdir?: string;
  private cachedUser?: UserInfo;
  private cachedChain?: { base: Base; stages: readonly Stage[] };

  get parent(): Stage | undefined {
    return this.base.kind === 'stage' ? this.base.stage : undefined;
  }

  /**
   * This stage and the stages it inherits from, nearest first. Made once per base (a base is set
   * when its FROM is read, before anything asks): rules ask for it, and for what it decides (root,
   * user, isScratch), many times per stage.
   */
  get chain(): readonly Stage[] {
    if (this.cachedChain?.base === this.base) return this.cachedChain.stages;
    // A Set, not out.includes: thousands of stages each built FROM the one before made this cubic.
    // Past MAX_CHAIN stages the rest is not followed: the base at the bottom is then unknown.
    const out: Stage[] = [];
    const seen = new Set<Stage>();
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- a walk up the chain starts here
    for (let s: Stage | undefined = this; s && !seen.has(s) && out.length < MAX_CHAIN; s = s.parent) {
      seen.add(s);
      out.push(s);
    }
    this.cachedChain = { base: this.base, stages: out };
    return out;
  }

  /** The base at the bottom of the inheritance chain. */
  get root(): Base {
    const chain = this.chain;
    return chain[chain.length - 1].base;
  }

  get rootImage(): ImageRef | undefined {
    const r = this.root;
    return r.kind === 'image' ? r.ref : undefined;
  }

  get isScratch(): boolean {
    return this.root.kind === 'scratch';
  }

  /** The effective user at the end of the stage (own last USER, else inherited, else the base's). */
  get user(): UserInfo {
    if (this.cachedUser) return this.cachedUser;
    let u: UserInfo | undefined;
    for (const s of this.chain) {
      if (s.users.length) {
        u = s.users[s.users.length - 1];
        break;
      }
    }
    this.cachedUser = u ?? this.baseUser;
    return this.cachedUser;
  }

  /** Who the base at the bottom of the chain runs as when no USER says otherwise. */
  get baseUser(): UserInfo {
    const r = this.root;
    if (r.kind === 'scratch') return { root: true };
    if (r.kind === 'image') {
      // What the registry said wins: the image's config names its user.
      const facts = factsFor(this.model.imageFacts, r.ref);
      const from = this.chain.find((st) => st.base === r);
      const wanted = from?.platform?.value && !from.platform.value.includes('$') ? from.platform.value : undefined;
      const pf = facts && platformFacts(facts, wanted);
      const config = pf?.config;
      if (facts && pf && config) {
        const u = configUser(config, pf.platform);
        const source = `its config on ${registryLabel(r.ref.registry)}, read ${facts.fetchedAt.slice(0, 10)}`;
        return u.root
          ? { root: true, ...(u.admin ? { baseUser: u.admin } : {}), source }
          : { root: false, text: u.user, user: u.user.split(':')[0], group: u.user.split(':')[1], source };
      }
      // Offline, the tool's list of well-known images; an image it does not know has an unknown default user: root: undefined.
      const d = defaultUser(r.ref);
      const source = "the tool's offline list of well-known images";
      return d
        ? d.root
          ? { root: true, baseUser: d.user, source }
          : { root: false, text: d.user, user: d.user, source }
        : { root: undefined };
    }
    // `gcr.io/distroless/static-debian12:nonroot-${ARCH}` with ARCH unknown is still a nonroot tag.
    if (r.kind === 'unknown' && /^(?:gcr\.io\/)?distroless\/[^:@]+:(?:debug-)?nonroot(?:-[^@]*)?(?:@|$)/.test(r.raw))
      return { root: false, text: 'nonroot', user: 'nonroot' };
    return { root: undefined };
  }

  /**
   * Whether the stage is an image meant to run: any image-based stage, and a scratch stage that (or a
   * stage it inherits from) sets what only a running container uses: CMD, ENTRYPOINT, USER, EXPOSE,
   * HEALTHCHECK, STOPSIGNAL. A scratch stage without any is an export stage: files for `--output` or
   * for other stages to copy.
   */
  get isRunnable(): boolean {
    if (!this.isScratch) return true;
    return this.chain.some((s) => s.instructions.some((i) => RUNTIME_KEYWORDS.has(i.keyword)));
  }

  /**
   * A stage with no shell: scratch, or an image that has none (distroless, Chainguard static), with
   * no SHELL and no /bin/sh copied in. Shell-form commands cannot run there.
   */
  get lacksShell(): boolean {
    if (this.shellInstr) return false;
    if (this.isScratch) return this.presence('/bin/sh') === 'no';
    const img = this.rootImage;
    if (!img || !lacksShellImage(img)) return false;
    return this.chain.every((s) => s.copies.every((c) => copyProvides(this.model, c, '/bin/sh') === 'no'));
  }

  /** What a stage without a shell is, for messages: `a scratch stage`, `a stage on gcr.io/distroless/static-debian12, which has no shell`. */
  get shellLessWhat(): string {
    return this.isScratch ? 'a scratch stage' : `a stage on ${this.rootImage?.name ?? 'its base'}, which has no shell`;
  }

  /** Whether a file exists at `path` in this stage's file system, as far as the text tells (files.ts). */
  presence(path: string): Presence {
    return presenceIn(this, path);
  }
}
