export * from './launch-permission';
export * from './ami-launch-permissions';
export * from './ami-imds-policy';
export * from './ami-description';
export * from './ami-sharing-handler';
export * from './ami-deprecation';
export * from './ami-deregistration-protection';
