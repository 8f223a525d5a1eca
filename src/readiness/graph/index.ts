/** The update graph (UPD-6): Cincinnati documents, channels, conditional updates and update paths. */
export {
  channelKinds,
  channelView,
  graphChannels,
  parseChannel,
  type Channel,
  type ChannelKind,
} from './channels.ts';
export {
  indexOfVersion,
  nodeOf,
  outgoingUpdates,
  releaseOf,
  type ConditionalEdgeGroup,
  type GraphNode,
  type UpdateEdge,
  type UpdateGraph,
  type VersionPair,
} from './graph.ts';
export { graphRequestUrl, loadGraph, type GraphQuery, type LoadGraphOptions } from './load.ts';
export { GraphError, parseGraph, type GraphProblem } from './parse.ts';
export {
  recommendedPath,
  type BlockedEdge,
  type PathHop,
  type PathOptions,
  type PathResult,
  type UnreachableTarget,
} from './path.ts';
export {
  assessRisk,
  assessRisks,
  memoizeEvaluator,
  noPrometheusError,
  recommendedCondition,
  recommendedMessage,
  recommendedReasons,
  unknownExposureMessage,
  type RiskAssessment,
  type RiskEvaluator,
  type RiskResult,
} from './risks.ts';
export { channelsMetadataKey, GraphDocument, urlMetadataKey } from './schema.ts';
export {
  availableUpdates,
  conditionalUpdates,
  updateRecommendations,
  type EvaluationOptions,
  type UpdateRecommendations,
} from './updates.ts';
export {
  compareVersions,
  isEusMinor,
  minorOf,
  parseVersion,
  updateKind,
  versionProblem,
  type Semver,
  type UpdateKind,
} from './version.ts';
