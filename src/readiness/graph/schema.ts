/**
 * The Cincinnati graph document as the OpenShift Update Service serves it (policy-engine openapiv3,
 * read by the CVO's pkg/cincinnati): nodes, index-pair edges and conditional edges with risks.
 * This is the shape only; cross-references (indices, versions, duplicates) are checked in parse.ts.
 */
import { Type, type Static } from '@sinclair/typebox';

/** The metadata key listing the channels a release belongs to, comma-separated. */
export const channelsMetadataKey = 'io.openshift.upgrades.graph.release.channels';
/** The metadata key with the release's errata URL (ClusterVersion Release.url). */
export const urlMetadataKey = 'url';

export const GraphNodeDocument = Type.Object({
  version: Type.String({ description: 'the release version (semver)' }),
  payload: Type.String({ minLength: 1, description: 'the release image pull spec' }),
  metadata: Type.Optional(
    Type.Record(Type.String(), Type.String(), {
      description: `free-form strings; ${channelsMetadataKey} lists the release's channels`,
    }),
  ),
});
export type GraphNodeDocument = Static<typeof GraphNodeDocument>;

/** `[fromIndex, toIndex]` into `nodes`. */
export const GraphEdgeDocument = Type.Tuple([Type.Integer({ minimum: 0 }), Type.Integer({ minimum: 0 })]);

/**
 * Any `type` string is accepted here: the CVO skips rule types it does not recognize (newer
 * servers may send new ones), so unknown types are pruned with a warning rather than refused.
 */
export const MatchingRuleDocument = Type.Object({
  type: Type.String({ minLength: 1 }),
  promql: Type.Optional(Type.Object({ promql: Type.String() })),
});
export type MatchingRuleDocument = Static<typeof MatchingRuleDocument>;

/** Required as the ClusterVersion API requires them, or the CVO could not publish the update. */
export const RiskDocument = Type.Object({
  url: Type.String({ minLength: 1 }),
  name: Type.String({ minLength: 1 }),
  message: Type.String({ minLength: 1 }),
  matchingRules: Type.Array(MatchingRuleDocument, { minItems: 1 }),
});
export type RiskDocument = Static<typeof RiskDocument>;

export const ConditionalEdgesDocument = Type.Object({
  edges: Type.Array(Type.Object({ from: Type.String(), to: Type.String() }), { minItems: 1 }),
  risks: Type.Array(RiskDocument, { minItems: 1 }),
});
export type ConditionalEdgesDocument = Static<typeof ConditionalEdgesDocument>;

export const GraphDocument = Type.Object({
  version: Type.Optional(Type.Integer({ minimum: 1, description: 'graph API version (1)' })),
  nodes: Type.Array(GraphNodeDocument),
  edges: Type.Array(GraphEdgeDocument),
  conditionalEdges: Type.Optional(Type.Array(ConditionalEdgesDocument)),
});
export type GraphDocument = Static<typeof GraphDocument>;
