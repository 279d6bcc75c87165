export * from './launch-permission';
export * from './ami-launch-permissions';
