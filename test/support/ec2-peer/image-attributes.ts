// The image attributes moto does not keep: description (moto ignores writes to it) and imdsSupport (moto has none).
import { MotoBackend } from './moto-backend';
import { Answer, attributeAnswer, Call, ec2Error, modifySucceeded } from './protocol';
import { escapeXml, replaceOrAppend } from './xml';

export class ImageAttributes {
  private readonly descriptions = new Map<string, string>();
  private readonly imdsSupport = new Map<string, string>();

  constructor(private readonly moto: MotoBackend) {}

  public clear(): void {
    this.descriptions.clear();
    this.imdsSupport.clear();
  }

  /** EC2 forgets a deregistered image's attributes with it. */
  public forget(imageId: string): void {
    this.descriptions.delete(imageId);
    this.imdsSupport.delete(imageId);
  }

  /** Images the peer keeps an attribute of. */
  public imageIds(): string[] {
    return [...this.descriptions.keys(), ...this.imdsSupport.keys()];
  }

  /** The answer to a ModifyImageAttribute of description or imdsSupport; undefined for other attributes. */
  public async modify(call: Call, imageId: string, attribute: string | undefined): Promise<Answer | undefined> {
    const p = call.params;
    if (attribute === 'description') {
      const value = p['Description.Value'] ?? p.Value;
      if (value === undefined) {
        return this.moto.forward(call);
      }
      // EMULATES: ModifyImageAttribute Description ("A new description for the AMI", API Reference
      // example 5). moto accepts and ignores it; it still answers InvalidAMIID.NotFound for a
      // missing image, so it is forwarded first and the value kept only when moto accepted it.
      const moto = await this.moto.forward(call);
      if (moto.status !== 200) {
        return moto;
      }
      this.descriptions.set(imageId, value);
      return modifySucceeded();
    }

    if (attribute === 'imdsSupport') {
      const value = p['ImdsSupport.Value'] ?? p.Value;
      // EMULATES: ModifyImageAttribute ImdsSupport: "Set to v2.0 ..."; v2.0 is the only value and,
      // once set, cannot be undone (API Reference, ModifyImageAttribute; EC2 User Guide "Configure
      // the AMI" for IMDSv2). Anything else is an InvalidParameterValue.
      if (value !== 'v2.0') {
        return ec2Error(400, 'InvalidParameterValue',
          `Value (${value ?? ''}) for parameter imdsSupport is invalid. Only v2.0 is supported, and it cannot be undone.`);
      }
      const moto = await this.moto.forward(call);
      if (moto.status !== 200) {
        return moto;
      }
      this.imdsSupport.set(imageId, value);
      return modifySucceeded();
    }
    return undefined;
  }

  /** The DescribeImageAttribute answer when the peer holds the attribute; undefined to ask moto. */
  public async describe(imageId: string, attribute: string, authorization: string): Promise<Answer | undefined> {
    if (attribute === 'description' && this.descriptions.has(imageId)) {
      // EMULATES: DescribeImageAttribute description answers the value set by ModifyImageAttribute.
      return attributeAnswer(imageId, 'description', this.descriptions.get(imageId));
    }
    if (attribute === 'imdsSupport') {
      // EMULATES: DescribeImageAttribute imdsSupport (moto answers 500): { Value: 'v2.0' } once set,
      // and no value for an AMI without it, as EC2 does.
      const missing = await this.moto.checkImageExists(imageId, authorization);
      return missing ?? attributeAnswer(imageId, 'imdsSupport', this.imdsSupport.get(imageId));
    }
    return undefined;
  }

  /** A DescribeImages item with the attributes the peer keeps written in, so both calls agree. */
  public decorate(item: string, imageId: string): string {
    let out = item;
    const description = this.descriptions.get(imageId);
    if (description !== undefined) {
      out = replaceOrAppend(out, 'description', `<description>${escapeXml(description)}</description>`);
    }
    const imds = this.imdsSupport.get(imageId);
    if (imds !== undefined) {
      out = replaceOrAppend(out, 'imdsSupport', `<imdsSupport>${escapeXml(imds)}</imdsSupport>`);
    }
    return out;
  }
}
