/**
 * Recommended and conditional updates: the controller asks an injected UpdateRecommender (the
 * update-graph client) and reports the answer the way the CVO does (pkg/cvo/availableupdates.go):
 * `RetrievedUpdates` True, or False with NoChannel / NoUpstream / NoCurrentVersion / the failure.
 */
import type { ConditionalUpdate, Release } from '../../api/config/cluster-version.ts';
import type { OperatorConditionUpdate } from './operator-conditions.ts';

export interface UpdateQuery {
  readonly currentVersion: string;
  readonly channel: string | undefined;
  /** spec.upstream; undefined: the recommender's default update service. */
  readonly upstream: string | undefined;
}

export interface Recommendation {
  readonly availableUpdates: Release[];
  readonly conditionalUpdates: ConditionalUpdate[];
}

/** `reason` defaults to RemoteFailed (the update service could not be asked or answered badly). */
export type RecommendationFailure = { readonly error: string; readonly reason?: string };

export type UpdateRecommender = (query: UpdateQuery) => Promise<Recommendation | RecommendationFailure>;

/** What is known about updates this round. */
export type UpdatesObservation =
  | { readonly kind: 'retrieved'; readonly recommendation: Recommendation }
  | { readonly kind: 'not-retrieved'; readonly reason: string; readonly message: string };

/**
 * Without a recommender nothing can be asked. Upstream always has a default update service, so an
 * unset channel is what users see first; a missing recommender plays the missing upstream.
 */
export function withoutRecommender(channel: string | undefined): UpdatesObservation {
  if ((channel ?? '') === '') return notRetrieved('NoChannel', 'The update channel has not been configured.');
  return notRetrieved('NoUpstream', 'No upstream server has been set to retrieve updates.');
}

/** The question to ask the recommender, or why none is asked (in upstream's order of checks). */
export function updateQuery(input: UpdateQuery): UpdateQuery | UpdatesObservation {
  if (input.currentVersion === '') {
    return notRetrieved(
      'NoCurrentVersion',
      'The cluster version does not have a semantic version assigned and cannot calculate valid upgrades.',
    );
  }
  if ((input.channel ?? '') === '')
    return notRetrieved('NoChannel', 'The update channel has not been configured.');
  return { currentVersion: input.currentVersion, channel: input.channel, upstream: input.upstream };
}

export function isQuery(value: UpdateQuery | UpdatesObservation): value is UpdateQuery {
  return !('kind' in value);
}

function notRetrieved(reason: string, message: string): UpdatesObservation {
  return { kind: 'not-retrieved', reason, message };
}

/** The recommender's answer as an observation (a thrown error counts as a failed retrieval). */
export async function askRecommender(
  recommender: UpdateRecommender,
  query: UpdateQuery,
): Promise<UpdatesObservation> {
  let answer: Recommendation | RecommendationFailure;
  try {
    answer = await recommender(query);
  } catch (error) {
    answer = { error: error instanceof Error ? error.message : String(error) };
  }
  if ('error' in answer) {
    return notRetrieved(
      answer.reason ?? 'RemoteFailed',
      `Unable to retrieve available updates: ${answer.error}`,
    );
  }
  return { kind: 'retrieved', recommendation: answer };
}

export function retrievedUpdatesCondition(observation: UpdatesObservation): OperatorConditionUpdate {
  return observation.kind === 'retrieved'
    ? { type: 'RetrievedUpdates', status: 'True' }
    : { type: 'RetrievedUpdates', status: 'False', reason: observation.reason, message: observation.message };
}
