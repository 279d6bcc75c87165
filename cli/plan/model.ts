// What `cdk-ami-sharing plan` reports, as data: the JSON output is this model, the human output a rendering of it.
import type { LaunchPermissionEntry } from '../../src/validation';

/** What CloudFormation would do with one construct's custom resource on deploy. */
export type ConstructAction = 'create' | 'update' | 'replace' | 'delete' | 'none';

/** Where a construct's AMI id comes from. */
export type ImageSource =
  /** A literal AMI id in the template. */
  | 'literal'
  /** A token CloudFormation resolved at the last deployment (the custom resource's physical id, a parameter, an output). */
  | 'deployed'
  /** A token CloudFormation only resolves during the deploy: the plan cannot read that AMI. */
  | 'unresolved'
  /** No AMI: the construct manages a setting of the account and Region (ImageBlockPublicAccess, AllowedImages). */
  | 'account';

export interface ImageRef {
  /** The AMI id, or undefined when it is only resolved at deploy. */
  readonly id?: string;
  readonly source: ImageSource;
  /** The template expression of a token image id. */
  readonly expression?: unknown;
}

/** One launch permission principal, as EC2 spells it: exactly one field set. */
export type Principal = LaunchPermissionEntry;

export type Change =
  | { readonly kind: 'grant'; readonly imageId?: string; readonly principal: Principal }
  | { readonly kind: 'revoke'; readonly imageId: string; readonly principal: Principal; readonly reason: RevokeReason }
  | { readonly kind: 'set-description'; readonly imageId?: string; readonly from?: string; readonly to: string }
  | { readonly kind: 'restore-description'; readonly imageId: string; readonly from?: string; readonly to: string }
  | { readonly kind: 'require-imdsv2'; readonly imageId?: string; readonly from?: string }
  /** EnableImageDeprecation (`to` set) or DisableImageDeprecation (`to` absent); times in ISO 8601. */
  | {
    readonly kind: 'set-deprecation';
    readonly imageId?: string;
    readonly from?: string;
    readonly to?: string;
    /** The declared time had passed: the AMI is deprecated at the earliest time EC2 is sure to accept instead (`to` is that time). */
    readonly declaredTimePassed?: boolean;
  }
  | { readonly kind: 'restore-deprecation'; readonly imageId: string; readonly from?: string; readonly to?: string }
  /** States as EC2 reports them: disabled, enabled-without-cooldown, enabled-with-cooldown. */
  | { readonly kind: 'set-deregistration-protection'; readonly imageId?: string; readonly from?: string; readonly to: string }
  | {
    readonly kind: 'restore-deregistration-protection';
    readonly imageId: string;
    readonly from: string;
    readonly to: string;
    /** Disabling protection that has the cooldown: EC2 keeps refusing DeregisterImage until about then. */
    readonly protectedUntil?: string;
  }
  /** A KMS grant on an imported key (encryptionKeys, SharedBy GRANTS), named after the AMI: the account may launch it. */
  | { readonly kind: 'grant-key'; readonly imageId?: string; readonly keyArn: string; readonly account: string }
  | { readonly kind: 'revoke-key'; readonly imageId: string; readonly keyArn: string; readonly account: string; readonly reason: RevokeReason }
  /**
   * createVolumePermission on one of the AMI's snapshots (allowCopy): the account may copy the AMI. No snapshot id when
   * the AMI is only resolved at deploy.
   */
  | { readonly kind: 'grant-snapshot'; readonly imageId?: string; readonly snapshotId?: string; readonly account: string }
  | { readonly kind: 'revoke-snapshot'; readonly imageId: string; readonly snapshotId: string; readonly account: string; readonly reason: RevokeReason }
  /**
   * An account-level setting (block public access for AMIs, Allowed AMIs) set to what the construct declares, or, when
   * `restore`, back to what its first deployment found. `from` and `to` summarise it.
   */
  | { readonly kind: 'account-setting'; readonly setting: string; readonly from: string; readonly to: string; readonly restore: boolean };

/** Whether a change gives someone access (a launch permission, a key grant, a snapshot permission). */
export function isGrant(change: Change): boolean {
  return change.kind === 'grant' || change.kind === 'grant-key' || change.kind === 'grant-snapshot';
}

/** Whether a change takes access away. */
export function isRevocation(change: Change): boolean {
  return change.kind === 'revoke' || change.kind === 'revoke-key' || change.kind === 'revoke-snapshot';
}

export type RevokeReason =
  /** ADDITIVE: the deployed declaration had it and this one drops it. */
  | 'dropped'
  /** EXCLUSIVE: live but not declared (added outside the stack, or dropped). */
  | 'not-declared'
  /** Snapshot permissions only: the deployed declaration had allowCopy and this one turns it off. */
  | 'copy-disallowed'
  /** The construct leaves the stack, or its resource is replaced (new AMI): CloudFormation's Delete revokes it. */
  | 'removed'
  /** SupersededImages.keep(n): a rollover pushes the AMI out of the window of kept AMIs. */
  | 'pushed-out';

export type Drift =
  /** On the live AMI but not in the deployed declaration (shared by hand, or by something else). */
  | { readonly kind: 'principal-added'; readonly imageId: string; readonly principal: Principal; readonly revokedByThisDeploy: boolean }
  /** Declared and deployed, but no longer on the live AMI (revoked by hand, or the consumer left). */
  | { readonly kind: 'principal-removed'; readonly imageId: string; readonly principal: Principal; readonly restoredByThisDeploy: boolean }
  | { readonly kind: 'description'; readonly imageId: string; readonly live?: string; readonly declared: string }
  | { readonly kind: 'imds-support'; readonly imageId: string; readonly live?: string }
  /** The live deprecation time is not what the deployed declaration gave the AMI (changed or cancelled by hand). */
  | { readonly kind: 'deprecation'; readonly imageId: string; readonly live?: string; readonly declared: string }
  | { readonly kind: 'deregistration-protection'; readonly imageId: string; readonly live: string; readonly declared: string }
  | { readonly kind: 'image-gone'; readonly imageId: string }
  /** A grant named for the AMI on a declared key, for an account the deployed declaration does not share with. */
  | { readonly kind: 'key-grant-added'; readonly imageId: string; readonly keyArn: string; readonly account: string; readonly revokedByThisDeploy: boolean }
  /** A grant the deployed declaration asks for that is no longer on the key (revoked or retired by hand). */
  | { readonly kind: 'key-grant-removed'; readonly imageId: string; readonly keyArn: string; readonly account: string; readonly restoredByThisDeploy: boolean }
  /** With allowCopy: an account with createVolumePermission on the AMI's snapshot that the deployed declaration does not share with. */
  | {
    readonly kind: 'snapshot-permission-added';
    readonly imageId: string;
    readonly snapshotId: string;
    readonly account: string;
    readonly revokedByThisDeploy: boolean;
  }
  /** An account-level setting differs from what the construct deployed (changed by hand, or by an organization). */
  | { readonly kind: 'account-setting'; readonly setting: string; readonly live: string; readonly declared: string }
  /** With allowCopy: a declared account's createVolumePermission on the AMI's snapshot that is no longer live. */
  | {
    readonly kind: 'snapshot-permission-removed';
    readonly imageId: string;
    readonly snapshotId: string;
    readonly account: string;
    readonly restoredByThisDeploy: boolean;
  };

/** A superseded AMI the window keeps shared, and its deprecation time (ISO 8601; undefined: none). */
export interface KeptImage {
  readonly imageId: string;
  readonly deprecationTime?: string;
}

/**
 * The superseded-images window of an AmiLaunchPermissions (SupersededImages.keep, docs/superseded-images.md) after the
 * deploy, as the handler's planWindow decides it. The revocations of the AMIs pushed out are in `changes` (reason
 * 'pushed-out'), the deprecation of the superseded AMI too (set-deprecation).
 */
export interface SupersededWindowReport {
  /** How many superseded AMIs the declaration keeps (0: back to revoke(), the window's AMIs are revoked). */
  readonly keep: number;
  readonly deprecateAfterMinutes: number;
  /** The current AMI after the deploy. */
  readonly imageId: string;
  /** The superseded AMIs shared after the deploy, newest first. */
  readonly kept: KeptImage[];
  /** The superseded AMIs shared before the deploy (the deployed physical id's window). */
  readonly keptBefore: string[];
  /**
   * The AMI this deploy supersedes, and the deprecation time it gets (about now + deprecateAfter; an earlier time it
   * already has stays).
   */
  readonly supersedes?: KeptImage;
  /** The AMIs this deploy pushes out of the window and revokes. */
  readonly pushedOut: string[];
  /** Kept AMIs that no longer exist (deregistered out of band): they drop out of the window. */
  readonly dropped: string[];
}

export interface ConstructPlan {
  /** The construct's path in the app (from the template's aws:cdk:path metadata), else its logical id. */
  readonly path: string;
  readonly logicalId: string;
  readonly resourceType: string;
  /** ADDITIVE or EXCLUSIVE, for launch permissions. */
  readonly mode?: string;
  readonly action: ConstructAction;
  /** The AMI this construct declares now (for a removed construct: the AMI it was deployed on). */
  readonly image: ImageRef;
  /** The AMI it was deployed on, when that differs from `image` (a replacement). */
  readonly previousImageId?: string;
  readonly changes: Change[];
  readonly drift: Drift[];
  /** Why the deploy would fail, or what the plan could not read. Any error makes the exit code 1. */
  readonly errors: string[];
  /** Facts worth knowing that change nothing (e.g. a retained resource, an irreversible attribute). */
  readonly notes: string[];
  /** AmiLaunchPermissions with SupersededImages.keep (deployed or declared): the window after the deploy. */
  readonly supersededImages?: SupersededWindowReport;
}

export interface StackPlan {
  readonly stackName: string;
  /** The stack's display name in the app (Stage/Stack). */
  readonly displayName: string;
  readonly region?: string;
  /** The deployed stack's status, or undefined when it is not deployed. */
  readonly deployedStatus?: string;
  /**
   * The deployed stack's enforcement schedule (AmiSharingHandler.configure({ enforceEvery })), as its rate expression:
   * drift that a deploy leaves alone is put back by it. Undefined when the deployed stack has none.
   */
  readonly enforcement?: string;
  readonly constructs: ConstructPlan[];
  readonly errors: string[];
}

export interface PlanReport {
  readonly stacks: StackPlan[];
}

/** 0 nothing to change, 2 changes or drift, 1 an error (as `terraform plan -detailed-exitcode`). */
export function exitCodeOf(report: PlanReport): 0 | 1 | 2 {
  const constructs = report.stacks.flatMap(s => s.constructs);
  if (report.stacks.some(s => s.errors.length > 0) || constructs.some(c => c.errors.length > 0)) return 1;
  return constructs.some(c => c.changes.length > 0 || c.drift.length > 0 || c.action !== 'none') ? 2 : 0;
}
