// Partitions as they appear in ARNs. Anything else (a typo such as `arn:aws-us:`) is not an ARN EC2 will accept.
export const PARTITION = '(?:aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc)';
