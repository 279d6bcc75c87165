// How CloudFormation treats each resource type the test stacks hold: which property changes replace the resource
// (the "Update requires: Replacement" lines of each type's page in the CloudFormation template reference), what its
// physical id looks like and which attributes Fn::GetAtt returns. Custom resources are the handler's business and are
// driven through the custom-resource protocol instead (see stack.ts).
import { ACCOUNT_ID, REGION } from './intrinsics';

/** A physical resource as a stack holds it. */
export interface PhysicalResource {
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId: string;
  /** Properties as CloudFormation resolved them when it created or last updated this physical resource. */
  readonly properties: Record<string, any>;
  readonly attributes: Readonly<Record<string, string>>;
  readonly deletionPolicy?: string;
}

/** Builds what an AWS::ImageBuilder::Image yields: the id of the AMI it built. */
export type ImageBuilder = (logicalId: string, properties: Record<string, any>) => Promise<string>;

interface ResourceType {
  /** Properties whose change replaces the resource; 'all' when every change does. */
  readonly immutable: readonly string[] | 'all';
  create(logicalId: string, serial: number, properties: Record<string, any>, options: { stackName: string; buildImage?: ImageBuilder }):
  Promise<{ physicalId: string; attributes: Record<string, string> }>;
}

const named = (arnOf: (name: string) => string): ResourceType => ({
  immutable: [],
  create: async (logicalId, serial, _properties, { stackName }) => {
    const name = `${stackName}-${logicalId}-${serial}`;
    return { physicalId: name, attributes: { Arn: arnOf(name) } };
  },
});

const TYPES: Record<string, ResourceType> = {
  // Description, ManagedPolicyName and Path: "Update requires: Replacement" (IAM keeps a policy's description immutable).
  'AWS::IAM::ManagedPolicy': {
    immutable: ['Description', 'ManagedPolicyName', 'Path'],
    create: async (logicalId, serial, _properties, { stackName }) => {
      const arn = `arn:aws:iam::${ACCOUNT_ID}:policy/${stackName}-${logicalId}-${serial}`;
      return { physicalId: arn, attributes: { PolicyArn: arn } };
    },
  },
  'AWS::IAM::Role': named(name => `arn:aws:iam::${ACCOUNT_ID}:role/${name}`),
  'AWS::Lambda::Function': named(name => `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${name}`),
  'AWS::Logs::LogGroup': named(name => `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:${name}:*`),
  // An image's properties all require replacement; deleting it does not deregister its AMI unless the image has
  // DeletionSettings (Image Builder user guide), so the AMI a replaced image built stays behind.
  'AWS::ImageBuilder::Image': {
    immutable: 'all',
    create: async (logicalId, serial, properties, { buildImage }) => {
      if (!buildImage) throw new Error(`${logicalId}: the emulated stack was given no image builder`);
      const imageId = await buildImage(logicalId, properties);
      const arn = `arn:aws:imagebuilder:${REGION}:${ACCOUNT_ID}:image/${logicalId.toLowerCase()}/1.0.${serial}/1`;
      return { physicalId: arn, attributes: { Arn: arn, ImageId: imageId, Name: logicalId } };
    },
  },
};

const OTHER: ResourceType = named(name => `arn:aws:emulated:${REGION}:${ACCOUNT_ID}:${name}`);

export function resourceType(type: string): ResourceType {
  return TYPES[type] ?? OTHER;
}

export function isCustomResource(type: string): boolean {
  return type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';
}

/** Whether moving from `before` to `after` properties replaces a resource of this type. */
export function requiresReplacement(type: string, before: Record<string, any>, after: Record<string, any>): boolean {
  const { immutable } = resourceType(type);
  const keys = immutable === 'all' ? new Set([...Object.keys(before), ...Object.keys(after)]) : immutable;
  return [...keys].some(k => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}
