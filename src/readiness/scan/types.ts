/** What the offline manifest scan reports (UPD-2 applied to files instead of a live cluster). */

/** The release a scan checks against; `openshift` is set when the target was given as an OpenShift version. */
export interface ScanTarget {
  readonly kubernetes: string;
  readonly openshift?: string;
}

/**
 * `blocker`: the target no longer serves this API. `warning`: still served by the target but removed
 * in a later known release.
 */
export type Severity = 'blocker' | 'warning';

export interface Finding {
  readonly file: string;
  /** 1-based line of the object's `apiVersion` (for rendered charts: in the template, when it can be found). */
  readonly line: number;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
  /** Plural resource, as in APIRequestCount names. */
  readonly resource: string;
  readonly removedInRelease: string;
  readonly deprecatedInRelease?: string;
  readonly replacement?: string;
  readonly notes?: string;
  readonly severity: Severity;
  /** Set when the object came out of `helm template` or `kubectl kustomize`, not straight from the file. */
  readonly renderedBy?: 'helm' | 'kustomize';
}

/** A file, document or directory the scan could not use; the rest of the scan goes on. */
export interface ScanError {
  readonly file: string;
  readonly line?: number;
  readonly message: string;
}

export interface ScanReport {
  readonly target: ScanTarget;
  /** Files read (manifests, plus one per rendered chart or kustomization), YAML documents, Kubernetes objects. */
  readonly scanned: { readonly files: number; readonly documents: number; readonly objects: number };
  /** Sorted by file, then line. */
  readonly findings: readonly Finding[];
  readonly errors: readonly ScanError[];
  readonly summary: { readonly blockers: number; readonly warnings: number };
}

/** What one piece of text yields. */
export interface TextScanResult {
  readonly documents: number;
  readonly objects: number;
  readonly findings: Finding[];
  readonly errors: ScanError[];
}
