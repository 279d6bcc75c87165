// Kept apart from src/handler/encryption-access.ts (which imports aws-cdk-lib) so the handler bundle stays small; a
// test asserts that both lists are the same.

/** What EBS needs of an imported key to launch or copy an AMI it encrypts, as KMS grant operations. */
export const GRANT_OPERATIONS_FOR_EBS = ['Decrypt', 'DescribeKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo', 'CreateGrant'];
