/**
 * Ec2Peer: the project's EC2 test peer.
 *
 * A real EC2 query-protocol implementation (moto, started as a child process) behind a small HTTP
 * proxy of our own. The proxy records every request, forwards it to moto unchanged, and steps in
 * only where moto 5.2.1 does not behave like EC2 for the calls this library makes. Each such place
 * is marked `EMULATES:` with the EC2 behaviour and the AWS page it comes from. On top of that it can
 * inject faults (throttling, 5xx, dropped connections, latency, stale reads), decided before a
 * request is forwarded, so a faulted write is never applied.
 *
 * Used by jest tests, the demo script and the benchmark script: point the SDK's `endpoint` (or
 * AWS_ENDPOINT_URL_EC2) at `peer.endpoint`.
 *
 * One concern per file: server.ts (the proxy and its request pipeline), protocol.ts and xml.ts (EC2's wire format),
 * moto-process.ts and moto-backend.ts (moto), request-log.ts, pipeline.ts (the steps before dispatch), rate-limits.ts
 * (EC2's per-API token buckets, ../token-buckets.ts), faults.ts and stale-reads.ts, iam.ts and iam-requests.ts (identity policies, evaluated by @cloud-copilot/iam-simulate), dispatch.ts (which action goes where), image-attributes.ts, public-sharing.ts, account-settings.ts,
 * image-block-public-access.ts, allowed-images.ts, deprecation.ts, deregistration-protection.ts and usage-reports.ts
 * with usage-report-requests.ts (emulations; clock.ts is the time of the last three).
 */
export { Ec2Peer } from './server';
export type { Ec2PeerStartOptions } from './server';
export type { FaultPlan } from './faults';
export { HANDLER_PRINCIPAL, PEER_ACCOUNT } from './iam';
export type { IamResult, IamVerdict, IdentityPolicy } from './iam';
export type { ManagedBy } from './account-settings';
export type { AllowedImagesState, AllowedImagesValue, PeerImageCriterion } from './allowed-images';
export type { ImageBlockPublicAccessState } from './image-block-public-access';
export type { RecordedRequest } from './request-log';
export type { ImageUsageReports, UsageResourceType } from './usage-reports';
