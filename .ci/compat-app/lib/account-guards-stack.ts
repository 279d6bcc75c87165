// A user's stack with the account-wide guards of cdk-ami-sharing (block public access for AMIs in a producer account,
// Allowed AMIs in a recipient account), written against the packed library as a user would. Its own stack: a stack
// that declares LaunchPermission.publicAccess() cannot also block public access.
import { RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import { AllowedImages, AllowedImagesState, ImageBlockPublicAccess, ImageCriterion } from 'cdk-ami-sharing';
import { Construct } from 'constructs';

export class AccountGuardsStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    new ImageBlockPublicAccess(this, 'BlockPublicAccess');
    new AllowedImages(this, 'AllowedImages', {
      state: AllowedImagesState.ENABLED,
      criteria: [ImageCriterion.providers('amazon', '123456789012'), ImageCriterion.of({ imageNames: ['golden-*'], maximumDaysSinceCreated: 90 })],
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }
}
