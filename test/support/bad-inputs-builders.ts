// The shape of a bad-input case and the builders the parts of the catalogue (bad-inputs-*.ts, gathered in
// bad-inputs.ts) make their cases with: the construct as a user writes it, and the event CloudFormation would hand the
// handler.
import { Stack } from 'aws-cdk-lib';
import { AmiLaunchPermissions, AmiLaunchPermissionsProps, LaunchPermission } from '../../src';

export const LAUNCH_PERMISSIONS = 'Custom::AmiLaunchPermissions';
export const IMDS_POLICY = 'Custom::AmiImdsPolicy';
export const DESCRIPTION = 'Custom::AmiDescription';
export const BLOCK_PUBLIC_ACCESS = 'Custom::ImageBlockPublicAccess';
export const ALLOWED_IMAGES = 'Custom::AllowedImages';
export const DEPRECATION = 'Custom::AmiDeprecation';
export const DEREGISTRATION_PROTECTION = 'Custom::AmiDeregistrationProtection';
export const RESOURCE_TYPES = [
  LAUNCH_PERMISSIONS, IMDS_POLICY, DESCRIPTION, DEPRECATION, DEREGISTRATION_PROTECTION, BLOCK_PUBLIC_ACCESS, ALLOWED_IMAGES,
] as const;

/** The AMI id used at synth time and shown in docs/bad-inputs.md; the moto test passes a real AMI of its own. */
export const EXAMPLE_IMAGE_ID = 'ami-0123456789abcdef0';

/** A custom-resource event minus what the simulator adds (ResponseURL, StackId, RequestId, LogicalResourceId). */
export interface BadInputEvent {
  /** Absent: the event has none (the catalogue's malformed events). */
  readonly RequestType?: string;
  readonly ResourceType?: string;
  /** As CloudFormation hands them over (scalars are strings), without ServiceToken. Absent: no properties at all. */
  readonly ResourceProperties?: Record<string, unknown>;
  /** Update only. */
  readonly OldResourceProperties?: Record<string, unknown>;
  /** Update only. */
  readonly PhysicalResourceId?: string;
}

export interface SynthCase {
  /** Constructs the construct(s) in a fresh stack; must throw (there or when the app is synthesised). */
  readonly build: (stack: Stack) => void;
  /** The exact message of the error. */
  readonly error: string;
}

export interface HandlerCase {
  /** The event for a real AMI `imageId` (so a validation that lets the input through would reach a real write). */
  readonly event: (imageId: string) => BadInputEvent;
  /** The FAILED answer's Reason. */
  readonly reason: string;
  /** 'exact': Reason === reason. 'prefix': the Reason starts with it (used where `prefixBecause` says why). */
  readonly match: 'exact' | 'prefix';
  readonly prefixBecause?: string;
}

export interface BadInput {
  /** Unique; also the test's name. */
  readonly name: string;
  /** How a construct user would write it, or undefined when the typed API cannot express it (e.g. a mistyped property). */
  readonly synth: SynthCase | undefined;
  readonly handler: HandlerCase;
}

// Principals several parts declare.
export const ACCOUNT = '111122223333';
export const ORG = 'arn:aws:organizations::123456789012:organization/o-abcdefghij';
export const OU = 'arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-cdefghij';

/**
 * An AmiLaunchPermissions in `stack`. The permissions and any other properties are made inside build, so a throwing
 * factory is caught.
 */
export function share(permissions: () => LaunchPermission[], imageId = EXAMPLE_IMAGE_ID,
  props: (stack: Stack) => Partial<AmiLaunchPermissionsProps> = () => ({})): (stack: Stack) => void {
  return stack => { new AmiLaunchPermissions(stack, 'Share', { imageId, permissions: permissions(), ...props(stack) }); };
}

export function create(ResourceType: string, ResourceProperties?: Record<string, unknown>): BadInputEvent {
  return ResourceProperties === undefined ? { RequestType: 'Create', ResourceType } : { RequestType: 'Create', ResourceType, ResourceProperties };
}

/** An Update of the same AMI from a valid declaration to `ResourceProperties`. */
export function update(ResourceType: string, ResourceProperties: Record<string, unknown>,
  OldResourceProperties: Record<string, unknown>, PhysicalResourceId: string): BadInputEvent {
  return { RequestType: 'Update', ResourceType, ResourceProperties, OldResourceProperties, PhysicalResourceId };
}

/** Custom::AmiLaunchPermissions properties as the construct writes them. */
export function lp(imageId: string, permissions: unknown, mode: unknown = 'ADDITIVE'): Record<string, unknown> {
  return { ImageId: imageId, Permissions: permissions, Mode: mode };
}

/** A Create of Custom::AmiLaunchPermissions with these permissions (and `extra` properties after Mode). */
export function shareEvent(permissions: unknown, extra: Record<string, unknown> = {}): (imageId: string) => BadInputEvent {
  return imageId => create(LAUNCH_PERMISSIONS, { ...lp(imageId, permissions), ...extra });
}

export function exact(event: (imageId: string) => BadInputEvent, reason: string): HandlerCase {
  return { event, reason, match: 'exact' };
}
