#!/usr/bin/env node
// cdk-nag 2: rule packs are Aspects; findings are error and warning annotations, which fail `cdk synth --strict`.
import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { addCanary } from '../lib/canary';
import { EveryConstructStack } from '../lib/every-construct-stack';

const app = new App();
// COMPAT_CANARY=1 synthesises only a stack that breaks rules of both packs, to prove they run.
if (process.env.COMPAT_CANARY === '1') {
  addCanary(app);
} else {
  new EveryConstructStack(app, 'AmiSharing');
  new EveryConstructStack(app, 'AmiSharingEncryptedLogs', { encryptLogs: true });
}
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
Aspects.of(app).add(new NIST80053R5Checks({ verbose: true }));
