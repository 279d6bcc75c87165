// The one set of rules for what the constructs accept. The constructs apply them at synth time to every value that
// is not a token; the handler applies the same functions at deploy time to the resolved values, before its first write.
// These modules must stay free of aws-cdk-lib and the AWS SDK: they are bundled into the handler. One file per concept;
// import from this index, which re-exports them all.
export * from './show';
export * from './principals';
export * from './image';
export * from './encryption';
export * from './account-settings';
export * from './allowed-images';
export * from './deprecation';
export * from './deregistration-protection';
export * from './superseded-images';
