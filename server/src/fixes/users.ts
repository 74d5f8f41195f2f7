/**
 * Users created in RUN commands (adduser, useradd, addgroup, groupadd): which stage creates a name,
 * and with which uid, so that fixes can copy /etc/passwd from the right stage or use the number.
 */
import type { DockerfileModel, Stage } from '../model/model';
import { commandName, unwrap } from '../model/shell';

export interface CreatedUser {
  kind: 'user' | 'group';
  stage: Stage;
  name: string;
  uid?: number;
  /** A group of the same name is created with it (useradd --user-group / -U, BusyBox adduser). */
  ownGroup: boolean;
}

const VALUE_OPTIONS = new Set(['-u', '--uid', '-g', '--gid', '-G', '--groups', '--ingroup', '-h', '--home', '-d', '--home-dir', '-s', '--shell', '-k', '-c', '--comment', '--gecos', '-K', '--key', '-e', '-f', '-p', '--password']);

/** Every user and group creation in the file's RUN commands. */
export function createdUsers(model: DockerfileModel): CreatedUser[] {
  return model.cached('fixes.createdUsers', () => {
    const out: CreatedUser[] = [];
    for (const stage of model.stages) {
      for (const run of stage.runs) {
        for (const c of run.commands) {
          const e = unwrap(c);
          const name = commandName(e.argv);
          if (name !== 'adduser' && name !== 'useradd' && name !== 'addgroup' && name !== 'groupadd') continue;
          let uid: number | undefined;
          let ownGroup = name === 'adduser'; // BusyBox and Debian adduser create a group of the same name
          const positional: string[] = [];
          for (let k = 1; k < e.argv.length; k++) {
            const w = e.argv[k];
            if (w.dynamic) {
              positional.push('');
              continue;
            }
            const eq = /^(--uid|-u)=?(\d+)$/.exec(w.value);
            if (eq && (name === 'adduser' || name === 'useradd')) uid = Number(eq[2]);
            else if ((w.value === '-u' || w.value === '--uid') && /^\d+$/.test(e.argv[k + 1]?.value ?? '')) uid = Number(e.argv[k + 1].value);
            if (w.value === '-U' || w.value === '--user-group') ownGroup = true;
            if (w.value === '-N' || w.value === '--no-user-group' || w.value === '-G' || w.value === '--ingroup') ownGroup = name === 'adduser' ? false : ownGroup;
            if (VALUE_OPTIONS.has(w.value)) {
              k++;
              continue;
            }
            if (w.value.startsWith('-')) continue;
            positional.push(w.value);
          }
          // `adduser USER [GROUP]` (BusyBox adds USER to GROUP); useradd/groupadd/addgroup: the last word.
          const who = name === 'adduser' ? positional[0] : positional[positional.length - 1];
          if (!who) continue;
          if (name === 'addgroup' || name === 'groupadd') out.push({ kind: 'group', stage, name: who, ownGroup: true });
          else out.push({ kind: 'user', stage, name: who, uid, ownGroup });
        }
      }
    }
    return out;
  });
}

/**
 * Where `name` is created (a user; with `group`, a group, also one made along with its user), in a
 * stage that can run commands; the one in `preferred`'s chain first, else the last.
 */
export function creatorOf(model: DockerfileModel, name: string, preferred?: Stage, group = false): CreatedUser | undefined {
  const all = createdUsers(model).filter((u) => u.name === name && !u.stage.isScratch && (group ? u.kind === 'group' || u.ownGroup : u.kind === 'user'));
  return all.find((u) => preferred && preferred.chain.includes(u.stage)) ?? all[all.length - 1];
}
