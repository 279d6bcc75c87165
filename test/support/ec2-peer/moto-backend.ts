// The peer's own conversations with moto: forwarding a client's request unchanged, and the look-ups the emulations
// need (not recorded, no faults).
import * as http from 'http';
import { MotoProcess } from './moto-process';
import { Answer, Call, formBody, IMAGE_ID, imageNotFound, malformedImageId, reissueError } from './protocol';
import { mapTopLevelItems, tagText, topLevelItemTexts } from './xml';

/** Hop-by-hop and framing headers that must not be copied onto the forwarded request. */
const NOT_FORWARDED = ['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'expect'];

export class MotoBackend {
  constructor(private readonly moto: MotoProcess) {}

  /** The client's request, unchanged (method, path, headers, body), to moto. */
  public forward(call: Call): Promise<Answer> {
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(call.headers)) {
      if (!NOT_FORWARDED.includes(name)) {
        headers[name] = value;
      }
    }
    return this.moto.request(call.method, call.url, call.body, headers);
  }

  /** An EC2 query request of the peer's own; `authorization` picks moto's Region backend. */
  public ec2(params: Record<string, string>, authorization: string): Promise<Answer> {
    return this.moto.ec2(formBody({ Version: '2016-11-15', ...params }), authorization);
  }

  /**
   * undefined if the image exists, else the EC2 error to answer (InvalidAMIID.NotFound or
   * .Malformed). moto's DescribeImages with one ImageId gives exactly EC2's answer for those.
   */
  public async checkImageExists(imageId: string, authorization: string): Promise<Answer | undefined> {
    if (!IMAGE_ID.test(imageId)) {
      return malformedImageId(imageId);
    }
    const answer = await this.ec2({ 'Action': 'DescribeImages', 'ImageId.1': imageId }, authorization);
    if (answer.status === 200 && answer.body.includes(`<imageId>${imageId}</imageId>`)) {
      return undefined;
    }
    if (answer.status === 400) {
      return reissueError(answer);
    }
    if (answer.status === 200) {
      return imageNotFound(imageId);
    }
    return answer;
  }

  /** Ids of the caller's public images in the caller's Region. */
  public async publicImageIds(authorization: string): Promise<string[]> {
    const answer = await this.ec2({
      'Action': 'DescribeImages',
      'Owner.1': 'self',
      'Filter.1.Name': 'is-public',
      'Filter.1.Value.1': 'true',
    }, authorization);
    if (answer.status !== 200) {
      throw new Error(`moto DescribeImages answered ${answer.status}: ${answer.body}`);
    }
    return topLevelItemTexts(answer.body, 'imagesSet', 'imageId');
  }

  /** The live tags of an image, snapshot or other EC2 resource, by key. */
  public async resourceTags(resourceId: string, authorization: string): Promise<Record<string, string>> {
    const answer = await this.ec2({ 'Action': 'DescribeTags', 'Filter.1.Name': 'resource-id', 'Filter.1.Value.1': resourceId }, authorization);
    if (answer.status !== 200) {
      throw new Error(`moto DescribeTags answered ${answer.status}: ${answer.body}`);
    }
    const tags: Record<string, string> = {};
    mapTopLevelItems(answer.body, 'tagSet', (item) => {
      const key = tagText(item, 'key');
      if (key !== undefined) {
        tags[key] = tagText(item, 'value') ?? '';
      }
      return item;
    });
    return tags;
  }
}
