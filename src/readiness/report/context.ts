/**
 * What a readiness check is given: the cluster to read, the update asked about, a clock, and the
 * optional outside sources (Prometheus alerts, the update graph, the last etcd backup). A source that
 * is absent was not configured; checks that need it say so as an info finding.
 */
import type { RiskEvaluator } from '../graph/risks.ts';
import type { ClusterReader } from './cluster-reader.ts';
import type { Finding } from './types.ts';

/** An alert as Prometheus' /api/v1/alerts lists it (the name is `labels.alertname`). */
export interface Alert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** `firing` or `pending`. */
  readonly state: string;
  readonly activeAt?: string;
}

/** A conditional-update risk as the report shows it, with how it was judged for this cluster. */
export interface RiskSummary {
  readonly name: string;
  readonly url: string;
  readonly message: string;
  /** e.g. `Applies`, `EvaluationFailed: no Prometheus…`; absent when not evaluated. */
  readonly verdict?: string;
}

/** What an update graph (Cincinnati / OSUS, or a graph file) says about current → target. */
export type Recommendation =
  | { readonly kind: 'recommended' }
  | { readonly kind: 'conditional'; readonly risks: readonly RiskSummary[] }
  | { readonly kind: 'not-recommended'; readonly reason: string };

export interface Recommender {
  /** Where the graph came from (a URL or a file), for the report. */
  readonly source: string;
  recommend(from: string, to: string): Promise<Recommendation>;
}

export interface EtcdBackupInfo {
  readonly takenAt: Date;
  readonly path: string;
}

export interface ReadinessClock {
  now(): Date;
}

export interface ReadinessContext {
  readonly client: ClusterReader;
  /** The version the cluster runs (ClusterVersion), or `unknown` when the cluster does not say. */
  readonly currentVersion: string;
  /** `4.14` or `4.14.3`. */
  readonly targetVersion: string;
  /** Kubernetes minor of the target release (`1.27`). */
  readonly targetKube: string;
  readonly clock: ReadinessClock;
  readonly alerts?: () => Promise<readonly Alert[]>;
  /** Runs a conditional-update risk's PromQL (the update graph's evaluator). */
  readonly riskEvaluator?: RiskEvaluator;
  readonly recommender?: Recommender;
  readonly lastEtcdBackup?: () => Promise<EtcdBackupInfo | undefined>;
  /** Where those backups are kept, for the fix command. */
  readonly etcdBackupDir?: string;
  /**
   * Why a source the user asked for could not be set up (`--prometheus` given but unusable), keyed
   * by option name without dashes; checks report it instead of "not configured".
   */
  readonly unavailableSources?: Readonly<Record<string, string>>;
}

export interface Check {
  /** `<requirement>/<name>`, e.g. `UPD-5/admin-acks`. */
  readonly id: string;
  readonly title: string;
  run(ctx: ReadinessContext): Promise<Finding[]>;
}
