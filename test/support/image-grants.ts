// Which AMIs the handler's role may modify, read from a synthesised template's customer-managed policies: for the
// template-level tests of CloudFormation's update and cleanup phases. Tests against moto deploy through the
// CloudFormation emulation and enforce the policies themselves instead (cloudformation/, Ec2Peer.enforceIdentityPolicies).

/** The template's customer-managed policies, by logical id. */
export function managedPolicies(resources: Record<string, any>): Record<string, any> {
  return Object.fromEntries(Object.entries(resources).filter(([, r]) => r.Type === 'AWS::IAM::ManagedPolicy'));
}

/** The AMIs the policies let the handler modify (the image id may stand alone in an Fn::Join part). */
export function imagesGrantedBy(policies: any[]): Set<string> {
  const statements = policies.flatMap(p => p.Properties.PolicyDocument.Statement)
    .filter((s: any) => [s.Action].flat().includes('ec2:ModifyImageAttribute'));
  return new Set([...JSON.stringify(statements).matchAll(/::image\/(?:",")?(ami-[0-9a-f]+)/g)].map(m => m[1]));
}
