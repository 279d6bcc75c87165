// Shared by the construct (superseded-access.ts) and the handler bundle (lambda/deployed-stack/library-resources.ts):
// free of aws-cdk-lib, as enforcement-contract.ts is.

/** The resource type of the guard an AmiLaunchPermissions with SupersededImages.keep() adds (lambda/superseded/guard.ts). */
export const SUPERSEDED_IMAGES_GUARD_TYPE = 'Custom::AmiSupersededImages';
