/**
 * APIRequestCount (apiserver.openshift.io/v1, cluster-scoped, named `<resource>.<version>.<group>`):
 * who requested an API, by node, user and verb, in the current hour and the last 24 hours.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Conditions, kindSchema, type KindDefinition } from '../kind.ts';
import { requireSpec, type KindObject } from '../kube-types.ts';
import { defaultNumberOfUsersToReport, group, maxNumberOfUsersToReport, version } from './constants.ts';

const RequestCount = (description: string) => Type.Integer({ format: 'int64', minimum: 0, description });

export const PerVerbAPIRequestCount = Type.Object({
  verb: Type.String({ maxLength: 20, description: 'verb of API request (get, list, create, etc...)' }),
  requestCount: RequestCount('requestCount of requests for verb.'),
});

export const PerUserAPIRequestCount = Type.Object({
  username: Type.Optional(Type.String({ maxLength: 512, description: 'username that made the request.' })),
  userAgent: Type.Optional(Type.String({ maxLength: 1024, description: 'userAgent that made the request.' })),
  requestCount: RequestCount('requestCount of requests by the user across all verbs.'),
  byVerb: Type.Optional(
    Type.Array(PerVerbAPIRequestCount, { maxItems: 10, description: 'byVerb details by verb.' }),
  ),
});
export type PerUserAPIRequestCount = Static<typeof PerUserAPIRequestCount>;

export const PerNodeAPIRequestLog = Type.Object({
  nodeName: Type.String({
    minLength: 1,
    maxLength: 512,
    description: 'nodeName where the request are being handled.',
  }),
  requestCount: RequestCount(
    'requestCount is a sum of all requestCounts across all users, even those outside of the top 10 users.',
  ),
  byUser: Type.Optional(
    Type.Array(PerUserAPIRequestCount, {
      maxItems: 500,
      description: 'byUser contains request details by top .spec.numberOfUsersToReport users.',
    }),
  ),
});
export type PerNodeAPIRequestLog = Static<typeof PerNodeAPIRequestLog>;

export const PerResourceAPIRequestLog = Type.Object(
  {
    byNode: Type.Optional(
      Type.Array(PerNodeAPIRequestLog, {
        maxItems: 512,
        description: 'byNode contains logs of requests per node.',
      }),
    ),
    requestCount: RequestCount('requestCount is a sum of all requestCounts across nodes.'),
  },
  { description: 'PerResourceAPIRequestLog logs request for various nodes.' },
);
export type PerResourceAPIRequestLog = Static<typeof PerResourceAPIRequestLog>;

export const APIRequestCountSpec = Type.Object(
  {
    numberOfUsersToReport: Type.Optional(
      Type.Integer({
        format: 'int64',
        minimum: 0,
        maximum: maxNumberOfUsersToReport,
        default: defaultNumberOfUsersToReport,
        description: 'numberOfUsersToReport is the number of users to include in the report.',
      }),
    ),
  },
  { description: 'spec defines the characteristics of the resource.' },
);
export type APIRequestCountSpec = Static<typeof APIRequestCountSpec>;

export const APIRequestCountStatus = Type.Object(
  {
    conditions: Type.Optional(
      Conditions({ description: 'conditions contains details of the current status of this API Resource.' }),
    ),
    removedInRelease: Type.Optional(
      Type.String({
        minLength: 0,
        maxLength: 64,
        pattern: '^[0-9][0-9]*\\.[0-9][0-9]*$',
        description: 'removedInRelease is when the API will be removed.',
      }),
    ),
    requestCount: RequestCount(
      'requestCount is a sum of all requestCounts across all current hours, nodes, and users.',
    ),
    currentHour: Type.Optional({
      ...PerResourceAPIRequestLog,
      description: 'currentHour contains request history for the current hour.',
    }),
    last24h: Type.Optional(
      Type.Array(PerResourceAPIRequestLog, {
        maxItems: 24,
        description: 'last24h contains request history for the last 24 hours, indexed by the hour.',
      }),
    ),
  },
  { description: 'status contains the observed state of the resource.' },
);
export type APIRequestCountStatus = Static<typeof APIRequestCountStatus>;

export const APIRequestCount = requireSpec(
  kindSchema(APIRequestCountSpec, APIRequestCountStatus, {
    description:
      'APIRequestCount tracks requests made to an API. The instance name must be of the form `resource.version.group`, matching the resource.',
  }),
);
export type APIRequestCount = KindObject<APIRequestCountSpec, APIRequestCountStatus>;

export const apiRequestCountKind: KindDefinition = {
  group,
  kind: 'APIRequestCount',
  plural: 'apirequestcounts',
  singular: 'apirequestcount',
  scope: 'Cluster',
  versions: [
    {
      name: version,
      schema: APIRequestCount,
      printerColumns: [
        {
          name: 'RemovedInRelease',
          type: 'string',
          jsonPath: '.status.removedInRelease',
          description: 'Release in which an API will be removed.',
        },
        {
          name: 'RequestsInCurrentHour',
          type: 'integer',
          jsonPath: '.status.currentHour.requestCount',
          description: 'Number of requests in the current hour.',
        },
        {
          name: 'RequestsInLast24h',
          type: 'integer',
          jsonPath: '.status.requestCount',
          description: 'Number of requests in the last 24h.',
        },
      ],
    },
  ],
};
