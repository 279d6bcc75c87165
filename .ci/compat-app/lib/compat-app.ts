// The app both entry points synthesise; they differ only in how they add cdk-nag's rule packs to it.
import { App } from 'aws-cdk-lib';
import { AccountGuardsStack } from './account-guards-stack';
import { addCanary } from './canary';
import { EveryConstructStack } from './every-construct-stack';

export function compatApp(): App {
  const app = new App();
  // COMPAT_CANARY=1 synthesises only a stack that breaks rules of both packs, to prove they run.
  if (process.env.COMPAT_CANARY === '1') {
    addCanary(app);
  } else {
    new EveryConstructStack(app, 'AmiSharing');
    new EveryConstructStack(app, 'AmiSharingEncryptedLogs', { encryptLogs: true });
    new AccountGuardsStack(app, 'AmiSharingGuards');
  }
  return app;
}
