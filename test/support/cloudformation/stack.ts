// A CloudFormation stack as the handler meets it, in the order CloudFormation really works (CloudFormation user guide,
// "Update behaviors of stack resources" and "Stack failure options"): an update creates and updates resources in
// dependency order (a replaced resource gets its new physical resource first); then its cleanup phase deletes the old
// physical resources of replaced resources and the resources that left the template, dependents before what they
// depended on. A failure in the update phase rolls back instead: resources go back to their old properties (custom
// resources get an Update with the old properties), and what the update created is deleted. At every step the
// handler's role holds exactly the managed policies that exist at that moment, each resolved with the parameter values
// it was created or last updated with: `onInvoke` hears them before every custom-resource request.
import type { CfnAnswer, CfnSimulator } from '../cfn-simulator';
import { creationOrder } from './dependencies';
import { resolve, ResolveContext } from './intrinsics';
import { ImageBuilder, isCustomResource, PhysicalResource, requiresReplacement, resourceType } from './resource-types';

export interface RolePolicy { readonly name: string; readonly document: unknown }

export interface EmulatedStackOptions {
  readonly stackName: string;
  /** Sends custom-resource requests to the handler (the simulator's response server collects the answers). */
  readonly cfn: CfnSimulator;
  /** The logical id of the handler's role, whose attached managed policies `onInvoke` is given. */
  readonly roleLogicalId: string;
  readonly onInvoke?: (policies: RolePolicy[], request: { type: string; logicalId: string; imageId?: string }) => void;
  readonly buildImage?: ImageBuilder;
  /**
   * Hears the stack's status as it changes (CloudFormation User Guide, "Stack status codes"): *_IN_PROGRESS while
   * resources are created or updated, UPDATE_ROLLBACK_IN_PROGRESS while a failed update is put back,
   * *_CLEANUP_IN_PROGRESS while old or new resources are deleted afterwards, DELETE_IN_PROGRESS.
   */
  readonly onStatus?: (status: string) => void;
}

export interface StackVersion {
  readonly template: any;
  readonly parameters?: Record<string, string>;
  /** SSM parameter values for parameters of type AWS::SSM::Parameter::Value<String> (resolved at deploy time). */
  readonly ssm?: Record<string, string>;
  readonly exports?: Record<string, string>;
}

export interface DeployResult {
  readonly status: 'COMPLETE' | 'ROLLED_BACK';
  /** Every FAILED answer (an update-phase failure triggers the rollback; cleanup failures do not fail the update). */
  readonly failures: CfnAnswer[];
}

export interface DeployedState {
  readonly stackName: string;
  readonly template: any;
  readonly parameters: ReadonlyArray<{ readonly key: string; readonly value: string; readonly resolvedValue: string }>;
  readonly outputs: ReadonlyArray<{ readonly key: string; readonly value: string; readonly exportName?: string }>;
  readonly resources: ReadonlyArray<{ readonly logicalId: string; readonly type: string; readonly physicalId: string }>;
}

/** A resource the update phase created, updated or replaced (or tried to), with what it was before. */
interface Processed { readonly id: string; readonly before?: PhysicalResource; readonly properties: Record<string, any> }

export class EmulatedStack {
  private current = new Map<string, PhysicalResource>();
  /** Old physical resources that wait for the cleanup phase. */
  private pending: PhysicalResource[] = [];
  private version?: StackVersion;
  private serial = 0;
  /** Physical resources being deleted right now (a removed resource's record is itself until it is gone). */
  private deleting?: PhysicalResource;
  private statusNow = 'REVIEW_IN_PROGRESS';

  constructor(private readonly options: EmulatedStackOptions) {}

  /** Creates or updates the stack; `failAfter` makes CloudFormation fail right after it has processed that resource. */
  public async deploy(version: StackVersion, failAfter?: string): Promise<DeployResult> {
    const failures: CfnAnswer[] = [];
    const processed: Processed[] = [];
    const context = this.context(version);
    const creating = this.version === undefined;
    this.setStatus(creating ? 'CREATE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS');
    let failed = false;
    for (const id of creationOrder(version.template)) {
      const declared = version.template.Resources[id];
      const before = this.current.get(id);
      const properties = resolve(declared.Properties ?? {}, context);
      const answer = await this.apply(id, declared, properties, before);
      if (answer !== 'unchanged') processed.push({ id, before, properties });
      const refused = answer !== undefined && answer !== 'unchanged' && answer.Status === 'FAILED';
      if (refused) failures.push(answer);
      if (refused || id === failAfter) { failed = true; break; }
    }
    if (failed) {
      this.setStatus(creating ? 'ROLLBACK_IN_PROGRESS' : 'UPDATE_ROLLBACK_IN_PROGRESS');
      failures.push(...await this.rollBack(processed, version));
      this.setStatus(creating ? 'ROLLBACK_COMPLETE' : 'UPDATE_ROLLBACK_COMPLETE');
      return { status: 'ROLLED_BACK', failures };
    }
    const old = this.version;
    for (const [id, resource] of this.current) {
      if (!(id in version.template.Resources)) { this.pending.push(resource); this.current.delete(id); }
    }
    this.version = version;
    if (!creating) this.setStatus('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    failures.push(...await this.deleteInOrder(this.pending, old?.template ?? version.template));
    this.pending = [];
    this.setStatus(creating ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE');
    return { status: 'COMPLETE', failures };
  }

  /** Deletes the stack: every resource, dependents first. */
  public async destroy(): Promise<CfnAnswer[]> {
    // Each resource exists (and a policy stays attached) until its own turn comes.
    const all = [...this.current.values()];
    this.setStatus('DELETE_IN_PROGRESS');
    this.pending.push(...all);
    this.current.clear();
    const failures = await this.deleteInOrder(all, this.version?.template ?? { Resources: {} });
    this.pending = [];
    this.setStatus('DELETE_COMPLETE');
    return failures;
  }

  public physicalId(logicalId: string): string | undefined {
    return this.current.get(logicalId)?.physicalId;
  }

  /** The stack's status now. */
  public get status(): string {
    return this.statusNow;
  }

  /**
   * What DescribeStackResource reports for a logical id right now: the current physical id; for a resource that left
   * the template (or a deleted stack's), the one being deleted itself.
   */
  public recordedPhysicalId(logicalId: string): string | undefined {
    return this.current.get(logicalId)?.physicalId
      ?? (this.deleting?.logicalId === logicalId ? this.deleting.physicalId : undefined);
  }

  public attribute(logicalId: string, name: string): string | undefined {
    return this.current.get(logicalId)?.attributes[name];
  }

  /**
   * What CloudFormation's read calls would show of the stack after its last successful deployment (undefined before
   * the first): the template, parameter values (as given, and as resolved for SSM-typed ones), each resource's
   * physical id, and the outputs' values. The CloudFormation read peer serves these (read-peer.ts).
   */
  public deployedState(): DeployedState | undefined {
    const version = this.version;
    if (!version) return undefined;
    const context = this.context(version);
    const parameters = Object.entries<any>(version.template.Parameters ?? {}).map(([key, declared]) => ({
      key, value: String(version.parameters?.[key] ?? declared.Default), resolvedValue: context.parameters[key],
    }));
    const outputs = Object.entries<any>(version.template.Outputs ?? {}).map(([key, output]) => ({
      key, value: String(resolve(output.Value, context)), exportName: output.Export ? String(resolve(output.Export.Name, context)) : undefined,
    }));
    const resources = [...this.current.values()].map(r => ({ logicalId: r.logicalId, type: r.type, physicalId: r.physicalId }));
    return { stackName: this.options.stackName, template: version.template, parameters, outputs, resources };
  }

  /** The managed policies attached to the handler's role right now, as IAM evaluates them. */
  public rolePolicies(): RolePolicy[] {
    const existing = [...this.current.values(), ...this.pending];
    const role = existing.find(r => r.logicalId === this.options.roleLogicalId)?.physicalId;
    return existing
      .filter(r => r.type === 'AWS::IAM::ManagedPolicy' && (r.properties.Roles ?? []).includes(role))
      .map(r => ({ name: r.physicalId, document: r.properties.PolicyDocument }));
  }

  /** One resource of the update phase; undefined when a non-custom resource was created, updated or replaced. */
  private async apply(id: string, declared: any, properties: Record<string, any>, before?: PhysicalResource) {
    const deletionPolicy = declared.DeletionPolicy;
    if (before && JSON.stringify(before.properties) === JSON.stringify(properties)) {
      this.current.set(id, { ...before, deletionPolicy });
      return 'unchanged' as const;
    }
    if (isCustomResource(declared.Type)) {
      const answer = await this.invoke(before
        ? { RequestType: 'Update', PhysicalResourceId: before.physicalId, OldResourceProperties: before.properties }
        : { RequestType: 'Create' }, id, declared.Type, properties);
      if (answer.Status === 'FAILED') {
        // A failed Create still has the physical id it answered with; the rollback deletes it.
        if (!before) this.current.set(id, this.customResource(id, declared.Type, answer, properties, deletionPolicy));
        return answer;
      }
      if (before && answer.PhysicalResourceId !== before.physicalId) this.pending.push(before);
      this.current.set(id, this.customResource(id, declared.Type, answer, properties, deletionPolicy));
      return answer;
    }
    if (before && !requiresReplacement(declared.Type, before.properties, properties)) {
      this.current.set(id, { ...before, properties, deletionPolicy });
      return undefined;
    }
    const created = await resourceType(declared.Type).create(id, ++this.serial, properties,
      { stackName: this.options.stackName, buildImage: this.options.buildImage });
    if (before) this.pending.push(before);
    this.current.set(id, { logicalId: id, type: declared.Type, properties, deletionPolicy, ...created });
    return undefined;
  }

  /**
   * Puts every processed resource back as it was, newest first, then deletes what the failed update created (which
   * exists, and a policy stays attached, until then); answers of failed Deletes.
   */
  private async rollBack(processed: Processed[], failedVersion: StackVersion): Promise<CfnAnswer[]> {
    const created: PhysicalResource[] = [];
    for (const { id, before, properties } of [...processed].reverse()) {
      const attempted = this.current.get(id);
      if (!before) {
        if (attempted) created.push(attempted);
        this.current.delete(id);
        continue;
      }
      if (isCustomResource(before.type)) {
        const physicalId = attempted?.physicalId ?? before.physicalId;
        const answer = await this.invoke({
          RequestType: 'Update', PhysicalResourceId: physicalId, OldResourceProperties: properties,
        }, id, before.type, before.properties);
        if (answer.PhysicalResourceId !== physicalId && attempted && attempted.physicalId !== before.physicalId) created.push(attempted);
        this.current.set(id, { ...before, physicalId: answer.PhysicalResourceId });
      } else {
        if (attempted && attempted.physicalId !== before.physicalId) created.push(attempted);
        this.current.set(id, before);
      }
      this.pending = this.pending.filter(p => p !== before);
    }
    this.pending.push(...created);
    if (created.length > 0 && this.version) this.setStatus('UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
    const failures = await this.deleteInOrder(created, failedVersion.template);
    this.pending = [];
    return failures;
  }

  /** Deletes physical resources dependents first, as ordered in `template`; answers of failed Deletes. */
  private async deleteInOrder(resources: PhysicalResource[], template: any): Promise<CfnAnswer[]> {
    const rank = new Map(creationOrder(template).map((id, i) => [id, i]));
    const ordered = [...resources].sort((a, b) => (rank.get(b.logicalId) ?? -1) - (rank.get(a.logicalId) ?? -1));
    const failures: CfnAnswer[] = [];
    for (const resource of ordered) {
      if (isCustomResource(resource.type) && resource.deletionPolicy !== 'Retain') {
        this.deleting = resource;
        const answer = await this.invoke({ RequestType: 'Delete', PhysicalResourceId: resource.physicalId },
          resource.logicalId, resource.type, resource.properties).finally(() => { this.deleting = undefined; });
        if (answer.Status === 'FAILED') failures.push(answer);
      }
      // Gone from the role from here on (a policy) or from the stack (anything else).
      this.pending = this.pending.filter(p => p !== resource);
      if (this.current.get(resource.logicalId) === resource) this.current.delete(resource.logicalId);
    }
    return failures;
  }

  private setStatus(status: string): void {
    this.statusNow = status;
    this.options.onStatus?.(status);
  }

  private async invoke(request: Record<string, unknown>, logicalId: string, type: string, properties: Record<string, any>): Promise<CfnAnswer> {
    const { ServiceToken: _, ...withoutToken } = properties;
    this.options.onInvoke?.(this.rolePolicies(), { type: String(request.RequestType), logicalId, imageId: withoutToken.ImageId });
    return this.options.cfn.send({ ...request, LogicalResourceId: logicalId, ResourceType: type, ResourceProperties: withoutToken } as any);
  }

  private customResource(id: string, type: string, answer: CfnAnswer, properties: Record<string, any>, deletionPolicy?: string): PhysicalResource {
    const attributes = Object.fromEntries(Object.entries(answer.Data ?? {}).map(([k, v]) => [k, String(v)]));
    return { logicalId: id, type, physicalId: answer.PhysicalResourceId, properties, attributes, deletionPolicy };
  }

  private context(version: StackVersion): ResolveContext {
    const parameters: Record<string, string> = {};
    for (const [name, declared] of Object.entries<any>(version.template.Parameters ?? {})) {
      const value = version.parameters?.[name] ?? declared.Default;
      // CloudFormation reads SSM-typed parameters from Parameter Store at every deployment.
      parameters[name] = String(declared.Type).startsWith('AWS::SSM::Parameter::Value') ? version.ssm?.[value] ?? '0' : value;
    }
    return {
      stackName: this.options.stackName,
      parameters,
      exports: version.exports ?? {},
      ref: id => this.mustExist(id).physicalId,
      getAtt: (id, name) => {
        const value = this.mustExist(id).attributes[name];
        if (value === undefined) throw new Error(`Fn::GetAtt ${id}.${name}: no such attribute`);
        return value;
      },
    };
  }

  private mustExist(id: string): PhysicalResource {
    const resource = this.current.get(id);
    if (!resource) throw new Error(`${id} is referenced before CloudFormation created it`);
    return resource;
  }
}
