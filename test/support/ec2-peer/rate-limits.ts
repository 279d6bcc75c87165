// EMULATES EC2's request rate limiting (EC2 Developer Guide, "Request throttling for the Amazon EC2 API",
// https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html): a request whose API's token bucket is empty
// is answered RequestLimitExceeded (HTTP 503, EC2's error XML) and never reaches moto. The buckets themselves are
// ../token-buckets.ts; without any (the default) nothing is limited.
import { Fault, RequestStage } from './pipeline';
import { Call, ec2Error } from './protocol';
import { TokenBuckets } from '../token-buckets';

export class RateLimits implements RequestStage {
  public buckets?: TokenBuckets;

  public decide(call: Call): Fault | undefined {
    if (!this.buckets || this.buckets.take(call.action)) return undefined;
    return { kind: 'answer', name: 'throttle', answer: ec2Error(503, 'RequestLimitExceeded', 'Request limit exceeded.') };
  }
}
