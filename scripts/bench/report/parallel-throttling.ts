// Section 5 of the report: parallel deployment under throttling. The table and its summary live beside the
// measurement (../parallel-throttling.ts); this is the section's prose around them.
import { tableMarkdown } from './table';
import { ThrottlingRun, throttlingSummary, throttlingTable } from '../parallel-throttling';

/** Section 5 of BENCHMARKS.md: the deployment, EC2's token buckets, the table, the handler's retry strategy. */
export function throttlingSection(runs: ThrottlingRun[] | undefined): string {
  return `## 5. Parallel deployment under throttling

N \`AmiLaunchPermissions\` of 20 accounts each, one AMI each, are created at once (as CloudFormation creates
independent resources), then all updated at once (10 % of each one's accounts replaced: a revocation and a grant), then
all deleted at once. Each invocation runs in its own simulated Lambda container: a fresh instance of the shipped bundle
with its own EC2 client and retry state. The EC2 peer enforces EC2's request rate limiting as the EC2 Developer Guide's
"Request throttling for the Amazon EC2 API" describes it: a token bucket per API, 100 tokens refilled at 20 a second for
\`DescribeImageAttribute\` (non-mutating), 50 refilled at 5 a second for \`ModifyImageAttribute\` (mutating); an empty
bucket answers \`RequestLimitExceeded\` (HTTP 503). Every phase starts with full buckets. **bound** is the least time
any client could need: for each API, the successful requests beyond the bucket's burst divided by its refill rate,
for the binding bucket (here always \`ModifyImageAttribute\`); "n/a" when everything fits the burst. **Modify requests /
write** counts every \`ModifyImageAttribute\` sent, throttled or not, per write EC2 applied. "buckets" says when the run
scaled the buckets to a smaller N (by N / 400, the contention of 400 constructs) or refilled them faster than EC2 does,
as the CI run does to stay short; at "EC2 size" the run is in EC2's real time. **unthrottled** is the same deployment
without buckets, measured right after: the pace of the harness itself (the containers share a few host processes, one
per 50 containers, with the peer and moto on this machine's two cores), which no retry strategy can beat; in Lambda,
where each container has its own CPU, that floor is lower.

${tableMarkdown(runs && throttlingTable(runs))}
${throttlingSummary(runs)}

The handler retries a throttled or transient failure (HTTP 5xx, timeouts, dropped connections) for as long as its
invocation's time budget allows, never a fixed number of times, with "full jitter": before retry k it waits a random time
in [0, min(10 s, 1 s x 2^(k-1))), so that invocations throttled in the same instant spread out. The rows marked
"adaptive" run the same deployment with \`AWS_RETRY_MODE=adaptive\`, which adds the SDK's client-side rate limiter
(each container's own, as in Lambda) in front of the same strategy.`;
}
