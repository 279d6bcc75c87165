// The demo's encrypted-AMI step: an AMI whose snapshot is encrypted with a customer-managed key of another app
// (imported with Key.fromKeyArn), shared with two accounts that may also copy it; one account dropped, then the stack
// deleted. After each step: the launch permissions, the key grants and the snapshot permissions, and the EC2 and KMS
// calls the handler made. An AMI encrypted with aws/ebs is refused before any write.
import { App, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AmiLaunchPermissions, LaunchPermission } from '../src';
import { synthesize } from '../test/support/cloud-assembly';
import { createEncryptedImage, createKey, kmsClient, liveGrants, liveSnapshotAccounts } from '../test/support/encrypted-images';
import { HandlerEnvironment, livePermissions } from '../test/support/handler-environment';

const ACCOUNTS = ['111122223333', '444455556666'];

function encryptedStack(imageId: string, keyArn: string, accounts: string[]) {
  const app = new App();
  const stack = new Stack(app, 'EncryptedGoldenAmi', { env: { account: '123456789012', region: 'us-east-1' } });
  new AmiLaunchPermissions(stack, 'Share', {
    imageId,
    permissions: accounts.map(a => LaunchPermission.account(a)),
    encryptionKeys: [kms.Key.fromKeyArn(stack, 'GoldenAmiKey', keyArn)],
    allowCopy: true,
  });
  return synthesize(app, stack).customResources;
}

/** Runs the steps; returns false if anything that should succeed failed, or the aws/ebs AMI was not refused. */
export async function encryptedAmiDemo(env: HandlerEnvironment, print: (line: string) => void): Promise<boolean> {
  const keys = kmsClient(env.peer.endpoint);
  let ok = true;
  try {
    const key = await createKey(keys);
    const { imageId, snapshotId } = await createEncryptedImage(env.ec2, key);
    print(`-- encrypted AMI ${imageId}: snapshot ${snapshotId} encrypted with the imported key ${key}\n`);
    const cfn = env.simulator();
    const step = async (title: string, action: () => Promise<unknown>, expectFailure = false) => {
      env.peer.clearLog();
      const failure = await action();
      const calls = env.peer.countByAction();
      print(`== ${title}`);
      if (failure) print(`   ${expectFailure ? 'refused' : 'FAILED'}: ${(failure as { Reason?: string }).Reason ?? JSON.stringify(failure)}`);
      if (Boolean(failure) !== expectFailure) ok = false;
      print(`   EC2 and KMS calls: ${Object.entries(calls).map(([k, v]) => `${k} x${v}`).join(', ') || 'none'}`);
      print(`   launch permissions: ${(await livePermissions(env.ec2, imageId)).join(', ') || '(private)'}`);
      print(`   key grants: ${(await liveGrants(keys, key)).join(', ') || '(none)'}`);
      print(`   snapshot createVolumePermission: ${(await liveSnapshotAccounts(env.ec2, snapshotId)).join(', ') || '(none)'}\n`);
    };

    await step('Create: two accounts may launch and copy it (KMS grants, snapshot permissions, launch permissions)',
      () => cfn.deploy(encryptedStack(imageId, key, ACCOUNTS)));
    await step(`Update: ${ACCOUNTS[1]} dropped (loses all three)`, () => cfn.deploy(encryptedStack(imageId, key, ACCOUNTS.slice(0, 1))));
    await step('Delete the stack (all three revoked)', () => cfn.destroy());

    const awsManaged = await createEncryptedImage(env.ec2, undefined);
    const refused = env.simulator();
    print(`-- AMI ${awsManaged.imageId}: encrypted with the AWS-managed key aws/ebs\n`);
    env.peer.clearLog();
    // The handler logs its FAILED answer as an ERROR line; the demo prints the reason itself.
    const error = console.error;
    console.error = () => undefined;
    const answer = await refused.deploy(encryptedStack(awsManaged.imageId, key, ACCOUNTS)).finally(() => { console.error = error; });
    print('== Create on the aws/ebs AMI');
    print(`   refused: ${answer?.Reason ?? '(not refused!)'}`);
    print(`   writes: ${env.peer.writes().length}\n`);
    if (!answer || env.peer.writes().length > 0) ok = false;
  } finally {
    keys.destroy();
  }
  return ok;
}
