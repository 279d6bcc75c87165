import { NagSuppression } from '../nag-suppressions';

// The cdk-nag rules the handler's own resources knowingly do not follow, and why.

export const LOG_GROUP_WITHOUT_KMS: NagSuppression[] = [{
  id: 'NIST.800.53.R5-CloudWatchLogGroupEncrypted',
  reason: 'The handler logs image ids, principal counts and outcomes, never secrets (the presigned ResponseURL is never logged); '
    + 'CloudWatch Logs encrypts them at rest with its own keys. AmiSharingHandler.configure({ logEncryptionKey }) uses a KMS key.',
}];

export const FUNCTION_ONLY_CLOUDFORMATION_INVOKES: NagSuppression[] = [
  {
    id: 'NIST.800.53.R5-LambdaInsideVPC',
    reason: 'The handler only calls the regional EC2 API and the CloudFormation response URL; it reaches no VPC resource, '
      + 'and placing it in a VPC would require NAT or endpoints the stack may not have.',
  },
  {
    id: 'NIST.800.53.R5-LambdaDLQ',
    reason: 'CloudFormation invokes the handler and receives every outcome through the response URL; an invocation that cannot '
      + 'answer fails the stack at the custom resource ServiceTimeout. A dead-letter queue would have no consumer.',
  },
  {
    id: 'NIST.800.53.R5-LambdaConcurrency',
    reason: 'The handler runs only while CloudFormation deploys this stack; reserving concurrency would take capacity from the '
      + 'account pool shared by all other functions.',
  },
];

export const READS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS: NagSuppression[] = [{
  id: 'AwsSolutions-IAM5',
  appliesTo: ['Resource::*'],
  reason: 'ec2:GetImageBlockPublicAccessState and ec2:DescribeImages are read-only and support no resource-level permissions '
    + '(Service Authorization Reference, Amazon EC2); granted only to stacks that declare LaunchPermission.publicAccess().',
}];

export const IMAGE_READS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS: NagSuppression[] = [{
  id: 'AwsSolutions-IAM5',
  appliesTo: ['Resource::*'],
  reason: 'ec2:DescribeImages is read-only and supports no resource-level permissions (Service Authorization Reference, Amazon EC2); '
    + 'it is the only call that reports an AMI\'s deprecation time and deregistration protection. Granted only to stacks that '
    + 'declare AmiDeprecation or AmiDeregistrationProtection.',
}];

/** How cdk-nag names a resource ARN of the stack's account and Region (tokens as <AWS::...>). */
export type ArnAsNagSees = (service: string, resource: string) => string;

export const ENCRYPTION_CHECKS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS = (arn: ArnAsNagSees): NagSuppression[] => [{
  id: 'AwsSolutions-IAM5',
  appliesTo: ['Resource::*', `Resource::${arn('kms', 'key/*')}`],
  reason: 'ec2:DescribeImages and ec2:DescribeSnapshots are read-only and support no resource-level permissions (Service Authorization '
    + 'Reference, Amazon EC2); the handler reads the AMI\'s snapshots and their KMS keys before sharing it. kms:DescribeKey is read-only '
    + 'metadata of the keys of this account and Region, used to recognise the AWS-managed key aws/ebs, which cannot be shared.',
}];

export const SNAPSHOTS_OF_THE_ACCOUNT = (arn: ArnAsNagSees): NagSuppression[] => [{
  id: 'AwsSolutions-IAM5',
  appliesTo: [`Resource::${arn('ec2', 'snapshot/*').replace(/:[^:]*:snapshot/, '::snapshot')}`],
  reason: 'The ids of an AMI\'s snapshots are only known at deploy time. ec2:ModifySnapshotAttribute may only add the accounts declared '
    + 'with allowCopy (ec2:Add/userId) and never the all group (ec2:Add/group); granted only to stacks that use allowCopy.',
}];

export const ACCOUNT_SETTINGS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS = (actions: string[], construct: string): NagSuppression[] => [{
  id: 'AwsSolutions-IAM5',
  appliesTo: ['Resource::*'],
  reason: `${actions.join(', ')} act on a setting of the whole account and Region and support no resource-level permissions `
    + `(Service Authorization Reference, Amazon EC2); granted only to stacks that declare ${construct}, in a policy of their own.`,
}];
