import { Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { show } from '../validation';

/** The image attributes ModifyImageAttribute changes, as EC2 names them, the AMI's deprecation time and protection. */
export type ManagedAttribute = 'launchPermission' | 'description' | 'imdsSupport' | 'deprecation' | 'deregistrationProtection';

/** What one construct claims on one image attribute. */
export interface ImageClaim {
  readonly imageId: string;
  readonly attribute: ManagedAttribute;
  /** The construct must be the only one managing this attribute of the image (EXCLUSIVE, a description). */
  readonly sole: boolean;
  /** For launch permissions: the keys of the resolved principals declared. */
  readonly principals?: string[];
}

/**
 * The stack's register of who manages what, so that two constructs never fight over one attribute: two descriptions
 * of one image, an EXCLUSIVE launch-permission set next to another one on the same image (it would revoke the
 * other's principals on every deployment), or two sets that share a principal (removing either would revoke it for
 * both). Image ids that are tokens cannot be compared at synth time and are not checked.
 */
export class ImageClaims {
  private readonly claims = new Map<string, Array<{ path: string; sole: boolean; principals: string[] }>>();

  /** Records the claim, or throws naming the construct it conflicts with. */
  public register(construct: Construct, claim: ImageClaim): void {
    const { imageId, attribute, sole } = claim;
    const principals = claim.principals ?? [];
    if (Token.isUnresolved(imageId)) return;
    const key = `${imageId}/${attribute}`;
    const others = this.claims.get(key) ?? [];
    const rival = others.find(o => sole || o.sole);
    if (rival) {
      throw new Error(`${construct.node.path}: ${imageId}'s ${attribute} is already managed by ${rival.path}; `
        + (attribute === 'launchPermission'
          ? 'an EXCLUSIVE AmiLaunchPermissions must be the only one on its image (merge their permissions into one construct)'
          : 'one construct per image may set it'));
    }
    for (const other of others) {
      const shared = principals.find(p => other.principals.includes(p));
      if (shared !== undefined) {
        throw new Error(`${construct.node.path}: ${show(shared.slice(shared.indexOf(':') + 1))} on ${imageId} is already declared by `
          + `${other.path}; AmiLaunchPermissions on one image must not share a principal (revoking it for one would revoke it for both)`);
      }
    }
    this.claims.set(key, [...others, { path: construct.node.path, sole, principals }]);
  }
}
