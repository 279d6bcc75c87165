import { CfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ACCOUNT_SETTINGS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS } from './nag-reasons';
import { suppressNagFindings } from '../nag-suppressions';

/** What the handler may do to one account-level setting. */
export interface AccountSettingGrant {
  /** The policy's construct id under the handler, fixed per setting (renaming it would replace the policy). */
  readonly id: string;
  /** The setting as people name it, for the policy's description and the cdk-nag reason. */
  readonly setting: string;
  /** The construct that declares it, for the cdk-nag reason. */
  readonly construct: string;
  readonly actions: string[];
}

/**
 * The customer-managed policies for account-level settings (block public access for AMIs, Allowed AMIs). Their actions
 * support no resource-level permissions (Service Authorization Reference, Amazon EC2), so they are granted on `*`: one
 * policy per setting, created only in stacks that declare its construct, with its reason for cdk-nag. A policy is
 * updated in place: its actions only change with the construct's removal behaviour, and the Delete that needs them runs
 * before CloudFormation removes the policy (the custom resource depends on it).
 */
export class AccountSettingPolicies {
  private readonly policies = new Map<string, iam.ManagedPolicy>();

  constructor(private readonly scope: Construct, private readonly role: iam.IRole) {}

  public get count(): number {
    return this.policies.size;
  }

  public allow(grant: AccountSettingGrant): iam.ManagedPolicy {
    const existing = this.policies.get(grant.id);
    if (existing) return existing;
    const policy = new iam.ManagedPolicy(this.scope, grant.id, {
      description: `cdk-ami-sharing handler: read and change ${grant.setting} in this account and Region`,
      statements: [new iam.PolicyStatement({ actions: grant.actions, resources: ['*'] })],
      roles: [this.role],
    });
    suppressNagFindings(policy.node.defaultChild as CfnResource,
      ACCOUNT_SETTINGS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS(grant.actions, grant.construct));
    this.policies.set(grant.id, policy);
    return policy;
  }
}
