// Encrypted AMIs as EC2 and KMS describe them, where moto 5.2.1 does not: it invents an AMI's block device mappings
// instead of keeping the ones given to RegisterImage, forgets the KMS key of an encrypted volume and of its snapshots,
// and reports the AWS-managed key aws/ebs as a customer-managed key. Also AMI watermarks, which moto does not know.
// Each request is forwarded to moto first (it keeps the volumes, snapshots, images, createVolumePermission, keys and
// grants); the peer remembers the encryption facts and writes them into the answers.
import { MotoProcess } from './moto-process';
import { Answer, Call, ec2Error, formBody } from './protocol';
import { escapeXml, mapTopLevelItems, replaceOrAppend, tagText } from './xml';

interface Mapping {
  readonly deviceName: string;
  readonly snapshotId: string;
}

export class EncryptedImages {
  /** Volume or snapshot id -> the ARN of the KMS key that encrypts it. */
  private readonly keys = new Map<string, string>();
  private readonly mappings = new Map<string, Mapping[]>();
  private readonly watermarks = new Map<string, string[]>();
  /** Key ids (not ARNs) of the AWS-managed keys the peer has handed out. */
  private readonly awsManaged = new Set<string>();

  constructor(private readonly moto: MotoProcess) {}

  public clear(): void {
    this.keys.clear();
    this.mappings.clear();
    this.watermarks.clear();
    this.awsManaged.clear();
  }

  /** EMULATES a watermark attached to an AMI (EC2 AttachImageWatermark): DescribeImages shows it in imageWatermarkSet. */
  public setWatermark(imageId: string, watermarkKey: string): void {
    this.watermarks.set(imageId, [watermarkKey]);
  }

  /** The ARN of the account's aws/ebs key (the one moto creates for the alias), now known to be AWS-managed. */
  public async awsEbsKeyArn(authorization: string): Promise<string> {
    const answer = await this.kms('DescribeKey', { KeyId: 'alias/aws/ebs' }, authorization);
    const metadata = JSON.parse(answer.body).KeyMetadata;
    if (answer.status !== 200 || !metadata?.Arn) throw new Error(`moto DescribeKey alias/aws/ebs answered ${answer.status}: ${answer.body}`);
    this.awsManaged.add(metadata.KeyId);
    return metadata.Arn;
  }

  /** Answers `call` (through `next`, the rest of the dispatch) and keeps or writes in the encryption facts. */
  public async handle(call: Call, next: (call: Call) => Promise<Answer>): Promise<Answer> {
    const p = call.params;
    switch (call.action) {
      case 'CreateVolume': {
        // EMULATES: a volume created with Encrypted=true is encrypted with KmsKeyId, or without one with the account's
        // default EBS key, the AWS-managed aws/ebs (EBS user guide, "Amazon EBS encryption", default KMS key).
        const answer = await next(call);
        const volumeId = tagText(answer.body, 'volumeId');
        if (answer.status === 200 && volumeId && p.Encrypted === 'true') {
          this.keys.set(volumeId, p.KmsKeyId ?? await this.awsEbsKeyArn(call.authorization));
        }
        return answer;
      }
      case 'CreateSnapshot': {
        // EMULATES: "Snapshots that are taken from encrypted volumes are automatically encrypted" with the volume's key.
        const answer = await next(call);
        const snapshotId = tagText(answer.body, 'snapshotId');
        const key = this.keys.get(p.VolumeId ?? '');
        if (answer.status === 200 && snapshotId && key) this.keys.set(snapshotId, key);
        return answer;
      }
      case 'RegisterImage': {
        // EMULATES: RegisterImage keeps the BlockDeviceMapping.N it was given (EC2 API Reference, RegisterImage);
        // a mapping of an encrypted snapshot is encrypted.
        const answer = await next(call);
        const imageId = tagText(answer.body, 'imageId');
        const mappings: Mapping[] = [];
        for (let n = 1; p[`BlockDeviceMapping.${n}.DeviceName`] !== undefined; n++) {
          const snapshotId = p[`BlockDeviceMapping.${n}.Ebs.SnapshotId`];
          if (snapshotId) mappings.push({ deviceName: p[`BlockDeviceMapping.${n}.DeviceName`], snapshotId });
        }
        if (answer.status === 200 && imageId && mappings.length > 0) this.mappings.set(imageId, mappings);
        return answer;
      }
      case 'ModifySnapshotAttribute': {
        const legacy = structuredToLegacy(call);
        return 'status' in legacy ? legacy : next(legacy);
      }
      case 'DescribeImages':
        return this.rewrite(await next(call), 'imagesSet', 'imageId', (item, id) => this.imageItem(item, id));
      case 'DescribeSnapshots':
        // EMULATES: DescribeSnapshots shows Encrypted and the KmsKeyId (key ARN) of an encrypted snapshot.
        return this.rewrite(await next(call), 'snapshotSet', 'snapshotId', (item, id) => {
          const key = this.keys.get(id);
          return key === undefined ? item
            : replaceOrAppend(replaceOrAppend(item, 'encrypted', '<encrypted>true</encrypted>'), 'kmsKeyId', `<kmsKeyId>${escapeXml(key)}</kmsKeyId>`);
        });
      case 'DescribeKey': {
        // EMULATES: DescribeKey of an AWS-managed key answers KeyManager AWS (KMS API Reference, KeyMetadata).
        const answer = await next(call);
        const body = answer.status === 200 ? JSON.parse(answer.body) : undefined;
        if (body?.KeyMetadata && this.awsManaged.has(body.KeyMetadata.KeyId)) {
          return { ...answer, body: JSON.stringify({ ...body, KeyMetadata: { ...body.KeyMetadata, KeyManager: 'AWS' } }) };
        }
        return answer;
      }
      default:
        return next(call);
    }
  }

  private imageItem(item: string, imageId: string): string {
    const mappings = this.mappings.get(imageId);
    let out = item;
    if (mappings) {
      const items = mappings.map(m => `<item><deviceName>${escapeXml(m.deviceName)}</deviceName><ebs><snapshotId>${escapeXml(m.snapshotId)}</snapshotId>`
        + `<encrypted>${this.keys.has(m.snapshotId)}</encrypted><deleteOnTermination>true</deleteOnTermination><volumeType>gp3</volumeType></ebs></item>`);
      out = replaceOrAppend(out, 'blockDeviceMapping', `<blockDeviceMapping>${items.join('')}</blockDeviceMapping>`);
    }
    const watermarks = this.watermarks.get(imageId);
    if (watermarks) {
      const items = watermarks.map(w => `<item><watermarkKey>${escapeXml(w)}</watermarkKey></item>`);
      out = replaceOrAppend(out, 'imageWatermarkSet', `<imageWatermarkSet>${items.join('')}</imageWatermarkSet>`);
    }
    return out;
  }

  private rewrite(answer: Answer, setTag: string, idTag: string, fn: (item: string, id: string) => string): Answer {
    if (answer.status !== 200) return answer;
    return {
      ...answer,
      body: mapTopLevelItems(answer.body, setTag, item => {
        const id = tagText(item, idTag);
        return id === undefined ? item : fn(item, id);
      }),
    };
  }

  /** A KMS request of the peer's own (JSON protocol); moto picks KMS and the Region from the credential scope. */
  private kms(operation: string, input: object, authorization: string): Promise<Answer> {
    return this.moto.request('POST', '/', JSON.stringify(input), {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `TrentService.${operation}`,
      'Authorization': authorization.replace(/\/ec2\/aws4_request/, '/kms/aws4_request'),
    });
  }
}

/**
 * EMULATES ModifySnapshotAttribute's structured form, CreateVolumePermission.Add.N / .Remove.N with UserId or Group
 * (EC2 API Reference, ModifySnapshotAttribute and CreateVolumePermissionModifications): moto 5.2.1 reads only the flat
 * form (OperationType with UserId.N / UserGroup.N) and silently ignores the structured one, so the peer rewrites it. As
 * EC2 documents, one call may add or remove, not both.
 */
function structuredToLegacy(call: Call): Call | Answer {
  const p = call.params;
  const entries = (side: 'Add' | 'Remove') => Object.entries(p).filter(([k]) => k.startsWith(`CreateVolumePermission.${side}.`));
  const [add, remove] = [entries('Add'), entries('Remove')];
  if (add.length === 0 && remove.length === 0) return call;
  if (add.length > 0 && remove.length > 0) {
    return ec2Error(400, 'InvalidParameterCombination', 'You cannot add and remove create volume permissions in the same request.');
  }
  const legacy: Record<string, string> = Object.fromEntries(Object.entries(p).filter(([k]) => !k.startsWith('CreateVolumePermission.')));
  legacy.OperationType = add.length > 0 ? 'add' : 'remove';
  let users = 0;
  let groups = 0;
  for (const [key, value] of add.length > 0 ? add : remove) {
    if (key.endsWith('.UserId')) legacy[`UserId.${++users}`] = value;
    if (key.endsWith('.Group')) legacy[`UserGroup.${++groups}`] = value;
  }
  return { ...call, params: legacy, body: Buffer.from(formBody(legacy)) };
}
