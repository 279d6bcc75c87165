// A resource that breaks rules of both packs, so the job can prove the packs really ran: a run that reports nothing
// on it means cdk-nag was not wired in, not that the library's stack is clean.
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

export function addCanary(app: App): void {
  new s3.Bucket(new Stack(app, 'Canary'), 'NoAccessLogsNoTls');
}
