// Custom::AmiDeregistrationProtection: what a deploy does to the AMI's protection (the handler's planProtection), what
// CloudFormation's Delete restores (and until when EC2's cooldown then keeps the AMI protected), and drift.
import { declarationProblem, DeployedSide, Findings, PlannerInput, PlannerOutput, ResourcePlanner, withImageId } from './planner';
import { parseProtectionPhysicalId } from '../../lambda/deregistration-protection/original';
import { planProtection, ProtectionState } from '../../lambda/deregistration-protection/plan';
import { parseProtectionProperties } from '../../lambda/deregistration-protection/resource';

/** EC2's cooldown after protection with WithCooldown is disabled. */
const COOLDOWN_MS = 24 * 60 * 60 * 1000;

export const deregistrationProtectionPlanner: ResourcePlanner = {
  async plan(input: PlannerInput): Promise<PlannerOutput> {
    const findings = new Findings(input.where);
    const { desired, deployed, action } = input;

    const declared = deployed?.image.id ? declaredState(deployed) : undefined;
    if (deployed?.image.id && declared) {
      const live = findings.value(await input.live.deregistrationProtection(deployed.image.id), deployed.image.id, 'deployed');
      if (live && planProtection(declared, live.value).action !== 'none') {
        findings.drift.push({ kind: 'deregistration-protection', imageId: deployed.image.id, live: live.value.state, declared });
      }
    }

    if ((action === 'create' || action === 'update' || action === 'replace') && desired) {
      const properties = withImageId(desired.properties, desired.image);
      const problem = declarationProblem(() => parseProtectionProperties(properties));
      if (problem) {
        findings.addError(problem);
      } else {
        const { target } = parseProtectionProperties(properties);
        const live = desired.image.id
          ? findings.value(await input.live.deregistrationProtection(desired.image.id), desired.image.id, 'target') : undefined;
        if (!desired.image.id) {
          findings.changes.push({ kind: 'set-deregistration-protection', to: target });
        } else if (live && planProtection(target, live.value).action !== 'none') {
          findings.changes.push({ kind: 'set-deregistration-protection', imageId: desired.image.id, from: live.value.state, to: target });
        }
      }
    }
    if (action === 'replace' && deployed) await restore(input, findings, deployed, deployed.updateReplacePolicy);
    if (action === 'delete' && deployed) await restore(input, findings, deployed, deployed.deletionPolicy);
    return findings;
  },
};

function declaredState(deployed: DeployedSide): ProtectionState | undefined {
  try {
    return parseProtectionProperties(withImageId(deployed.properties, deployed.image)).target;
  } catch {
    return undefined;
  }
}

async function restore(input: PlannerInput, findings: Findings, deployed: DeployedSide, policy?: string) {
  const remembered = deployed.physicalId ? parseProtectionPhysicalId(deployed.physicalId) : undefined;
  if (!remembered) return;
  if (policy === 'Retain') {
    findings.notes.push(`RemovalPolicy RETAIN: the deregistration protection of ${remembered.imageId} stays`);
    return;
  }
  const live = findings.value(await input.live.deregistrationProtection(remembered.imageId), remembered.imageId, 'deployed');
  if (live && planProtection(remembered.original, live.value).action !== 'none') {
    const cooldown = remembered.original === 'disabled' && live.value.state === 'enabled-with-cooldown';
    findings.changes.push({
      kind: 'restore-deregistration-protection',
      imageId: remembered.imageId,
      from: live.value.state,
      to: remembered.original,
      ...(cooldown ? { protectedUntil: new Date(Date.now() + COOLDOWN_MS).toISOString() } : {}),
    });
  }
}
