#!/usr/bin/env node
// cdk-nag 3: rule packs are aws-cdk-lib validation plugins; any finding fails the synthesis.
import { App, Validations } from 'aws-cdk-lib';
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
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), new NIST80053R5Checks(app, { verbose: true }));
