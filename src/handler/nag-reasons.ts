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
