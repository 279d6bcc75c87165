// KMS grants on imported keys (SharedBy GRANTS) for the declared accounts: one grant per key and account, named after
// the AMI so that the handler finds its own grants (and only those) and a retried CreateGrant returns the same grant.
import { GRANT_OPERATIONS_FOR_EBS } from './operations';
import { readPatiently } from '../converge';
import { messageOf } from '../errors';
import { createGrant, listGrantsNamed, revokeGrant } from '../kms';
import { LaunchPermissionsDeclaration } from '../launch-permissions/properties';
import { log } from '../log';
import { RequestContext } from '../resource';
import { GrantSet, groupByTarget, pairKey } from '../set-converge';

/** Grant names allow letters, digits and `:/_-`; an AMI id fits. */
export function grantName(imageId: string): string {
  return `cdk-ami-sharing-${imageId}`;
}

/** The imported keys of a declaration. */
export function grantedKeys(declaration: LaunchPermissionsDeclaration): string[] {
  return declaration.encryptionKeys.filter(k => k.SharedBy === 'GRANTS').map(k => k.KeyArn);
}

/** The grants a declaration asks for, as "<account> on <key ARN>" keys. */
export function declaredGrants(declaration: LaunchPermissionsDeclaration): Set<string> {
  const accounts = [...declaration.permissions].filter(p => p.startsWith('UserId:')).map(p => p.slice('UserId:'.length));
  return new Set(grantedKeys(declaration).flatMap(key => accounts.map(account => pairKey(key, account))));
}

/** The live grants named for `imageId` on `keyArns`, and a way to write them. */
export function keyGrantSet(context: RequestContext, imageId: string, keyArns: readonly string[]): GrantSet {
  const name = grantName(imageId);
  let grantIds = new Map<string, string[]>();
  return {
    what: `KMS grants for ${imageId}`,
    read: async () => {
      grantIds = new Map();
      for (const keyArn of keyArns) {
        // The KeyGrants policy may be as new as this deployment.
        const grants = await readPatiently(context, `ListGrants on ${keyArn}`, () => listGrantsNamed(context.kms, keyArn, name));
        for (const grant of grants) {
          const key = pairKey(keyArn, grant.account);
          grantIds.set(key, [...(grantIds.get(key) ?? []), grant.grantId]);
        }
      }
      return new Set(grantIds.keys());
    },
    write: async (operation, keys, undo) => {
      let calls = 0;
      for (const [keyArn, accounts] of groupByTarget(keys)) {
        for (const account of accounts) {
          if (operation === 'add') {
            const id = await call('CreateGrant', keyArn, account, () => createGrant(context.kms, keyArn, account, name, GRANT_OPERATIONS_FOR_EBS));
            undo.push(() => revokeGrant(context.kms, keyArn, id));
            calls++;
          } else {
            for (const id of grantIds.get(pairKey(keyArn, account)) ?? []) {
              await call('RevokeGrant', keyArn, account, () => revokeGrant(context.kms, keyArn, id));
              undo.push(() => createGrant(context.kms, keyArn, account, name, GRANT_OPERATIONS_FOR_EBS));
              calls++;
            }
          }
        }
      }
      log('INFO', `key grants: ${operation}`, { imageId, count: keys.length });
      return calls;
    },
  };
}

async function call<T>(action: string, keyArn: string, account: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new Error(`${action} for account ${account} on ${keyArn} failed: ${messageOf(error)}`);
  }
}
