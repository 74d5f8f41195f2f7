/** Process groups of the programs the tests start detached (editors, the VS Code server). */

/** Whether any process of the group led by `pid` is still alive. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Ends the whole group at once, if anything of it is left. */
export function killGroup(pid: number): void {
  if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
}
