/**
 * The deployment list of an ostree sysroot, read from `ostree admin status` (libostree 2022.7 format):
 *
 *   * rhcos_4.14 3833bc43…9d88.0
 *       Version: 4.14.0
 *       origin refspec: rhcos/4.14
 *     rhcos_4.16 0a228851…b375.0 (rollback)
 *       Pinned: yes
 *
 * Deployments are listed in boot order: index 0 is the default, the one the next boot starts.
 */

/** Names one deployment: ostree's own identity for it (stateroot, commit, serial). */
export interface DeploymentRef {
  readonly stateroot: string;
  readonly checksum: string;
  readonly serial: number;
}

export interface OstreeDeployment extends DeploymentRef {
  /** Position in boot order; 0 is the default deployment. */
  readonly index: number;
  readonly booted: boolean;
  /** The deployment of the booted stateroot that the next boot starts instead of the booted one. */
  readonly pending: boolean;
  /** The deployment of the booted stateroot that a rollback would boot. */
  readonly rollback: boolean;
  readonly staged: boolean;
  readonly pinned: boolean;
  /** The commit's `version` metadata. */
  readonly version?: string;
  /** The origin refspec the deployment tracks. */
  readonly origin?: string;
}

const headerLine = /^([* ]) (\S+) ([0-9a-f]{64})\.(\d+)(?: \((staged|pending|rollback)\))?$/;

export function parseOstreeStatus(text: string): OstreeDeployment[] {
  const deployments: OstreeDeployment[] = [];
  let current: Mutable<OstreeDeployment> | undefined;
  for (const line of text.split('\n')) {
    const header = headerLine.exec(line);
    if (header) {
      const [, mark, stateroot, checksum, serial, state] = header;
      current = {
        index: deployments.length,
        stateroot: stateroot ?? '',
        checksum: checksum ?? '',
        serial: Number(serial),
        booted: mark === '*',
        pending: state === 'pending',
        rollback: state === 'rollback',
        staged: state === 'staged',
        pinned: false,
      };
      deployments.push(current);
      continue;
    }
    if (current === undefined) continue;
    // Detail lines may carry ANSI colour when ostree writes to a terminal (the Unlocked line does).
    const detail = stripAnsi(line).trim();
    if (detail.startsWith('Version: ')) current.version = detail.slice('Version: '.length);
    else if (detail.startsWith('origin refspec: ')) current.origin = detail.slice('origin refspec: '.length);
    else if (detail === 'Pinned: yes') current.pinned = true;
  }
  return deployments;
}

/**
 * Marks `booted` (an index into `deployments`) as booted and derives pending/rollback the way
 * libostree's ostree_sysroot_query_deployments_for does: only deployments of the booted stateroot
 * count; the first one ahead of the booted deployment is pending, the first one after it the rollback.
 */
export function withBooted(deployments: readonly OstreeDeployment[], booted: number): OstreeDeployment[] {
  const bootedStateroot = deployments[booted]?.stateroot;
  let pending = -1;
  let rollback = -1;
  for (const d of deployments) {
    if (d.stateroot !== bootedStateroot || d.index === booted) continue;
    if (d.index < booted && pending < 0) pending = d.index;
    else if (d.index > booted && rollback < 0) rollback = d.index;
  }
  return deployments.map((d) => ({
    ...d,
    booted: d.index === booted,
    pending: d.index === pending,
    rollback: d.index === rollback,
  }));
}

export function sameDeployment(a: DeploymentRef, b: DeploymentRef): boolean {
  return a.stateroot === b.stateroot && a.checksum === b.checksum && a.serial === b.serial;
}

export function deploymentName(d: DeploymentRef): string {
  return `${d.stateroot} ${d.checksum}.${d.serial}`;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching the escape character is the point
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
