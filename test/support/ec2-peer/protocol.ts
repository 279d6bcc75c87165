// The EC2 query protocol as the peer speaks it: reading a request's parameters, and the answers EC2 gives (its XML
// namespace, its error document); and KMS's JSON protocol as far as the peer tells its requests apart and refuses
// them. Targeted string handling: this is a test peer.
import { randomUUID } from 'crypto';
import * as http from 'http';
import type { LogEntry } from './request-log';
import { escapeXml, tagText } from './xml';

/** EC2's XML namespace for API version 2016-11-15 (the only EC2 API version). */
const EC2_XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
export const XML_CONTENT_TYPE = 'text/xml;charset=UTF-8';
/** EC2 resource ids are the prefix plus 8 (older) or 17 (current) hex digits. */
export const IMAGE_ID = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;
/** Query-string authentication parameters (SigV4 presigned and legacy SigV2): not the caller's request. */
const AUTH_PARAMS = new Set([
  'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-Signature',
  'X-Amz-SignedHeaders', 'X-Amz-Security-Token', 'AWSAccessKeyId', 'Signature', 'SignatureMethod',
  'SignatureVersion', 'SecurityToken', 'Timestamp',
]);
/**
 * moto routes a request to its EC2 backend and Region from the credential scope of the SigV4
 * Authorization header (it does not verify the signature). Internal look-ups reuse the caller's
 * header so they reach the same Region; this one is for callers that sent none.
 */
export const DEFAULT_AUTHORIZATION = 'AWS4-HMAC-SHA256 Credential=AKIATESTTESTTESTTEST/20240101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0';

/** An HTTP answer as the proxy will send it. */
export interface Answer {
  readonly status: number;
  readonly body: string;
  readonly contentType?: string;
}

/** One request from a client, as the handlers see it. */
export interface Call {
  readonly action: string;
  readonly params: Record<string, string>;
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  readonly authorization: string;
  readonly log: LogEntry;
}

export function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** EC2 query parameters: the query string plus a form-encoded body. */
export function parseParams(url: string, body: Buffer): Record<string, string> {
  const params: Record<string, string> = {};
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  for (const source of [query, body.toString('utf8')]) {
    for (const [key, value] of new URLSearchParams(source)) {
      params[key] = value;
    }
  }
  return params;
}

/** A KMS request (JSON protocol, X-Amz-Target: TrentService.<Operation>): its operation, or undefined for EC2. */
export function kmsOperation(headers: http.IncomingHttpHeaders): string | undefined {
  const target = firstHeader(headers['x-amz-target']);
  return target?.startsWith('TrentService.') ? target.slice('TrentService.'.length) : undefined;
}

/** A KMS request's JSON input as flat string parameters, for the request log. */
export function kmsParams(body: Buffer): Record<string, string> {
  try {
    const input = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
    return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  } catch {
    return {};
  }
}

export function withoutAuth(params: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).filter(([key]) => !AUTH_PARAMS.has(key)));
}

export function formBody(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

export function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Which image attribute a write changes, if it is one of the attribute writes. */
export function writtenAttribute(action: string, p: Record<string, string>): string | undefined {
  if (action === 'ResetImageAttribute' || action === 'CancelImageLaunchPermission') {
    return 'launchPermission'; // the only attribute either can change
  }
  if (action !== 'ModifyImageAttribute') {
    return undefined;
  }
  if (p.Attribute !== undefined) {
    return p.Attribute;
  }
  const keys = Object.keys(p);
  if (keys.some((k) => k.startsWith('Description.'))) {
    return 'description';
  }
  if (keys.some((k) => k.startsWith('ImdsSupport.'))) {
    return 'imdsSupport';
  }
  if (keys.some((k) => /^(LaunchPermission\.|UserId\.|UserGroup\.|OrganizationArn\.|OrganizationalUnitArn\.)/.test(k))) {
    return 'launchPermission';
  }
  return undefined;
}

export function xmlResponse(root: string, inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${EC2_XMLNS}"><requestId>${randomUUID()}</requestId>${inner}</${root}>`;
}

export function modifySucceeded(): Answer {
  return { status: 200, body: xmlResponse('ModifyImageAttributeResponse', '<return>true</return>') };
}

/** DescribeImageAttribute's shape for a single-value attribute; no value gives an empty element. */
export function attributeAnswer(imageId: string, attribute: string, value: string | undefined): Answer {
  const element = value === undefined
    ? `<${attribute}/>`
    : `<${attribute}><value>${escapeXml(value)}</value></${attribute}>`;
  return { status: 200, body: xmlResponse('DescribeImageAttributeResponse', `<imageId>${escapeXml(imageId)}</imageId>${element}`) };
}

/** EC2's XML error document. */
export function ec2Error(status: number, code: string, message: string): Answer {
  return {
    status,
    body: '<?xml version="1.0" encoding="UTF-8"?>\n'
      + `<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error></Errors>`
      + `<RequestID>${randomUUID()}</RequestID></Response>`,
  };
}

/**
 * The answer to a call the caller's IAM policies do not allow, as its service gives it: EC2's UnauthorizedOperation
 * (HTTP 403, XML), or for KMS AccessDeniedException (KMS API Reference, common errors: HTTP 400, JSON).
 */
export function accessDenied(call: Call): Answer {
  if (kmsOperation(call.headers) === undefined) {
    return ec2Error(403, 'UnauthorizedOperation', 'You are not authorized to perform this operation.');
  }
  return {
    status: 400,
    contentType: 'application/x-amz-json-1.1',
    body: JSON.stringify({ __type: 'AccessDeniedException', message: 'User is not authorized to perform this operation on this key' }),
  };
}

export function imageNotFound(imageId: string): Answer {
  return ec2Error(400, 'InvalidAMIID.NotFound', `The image id '[${imageId}]' does not exist`);
}

export function malformedImageId(imageId: string): Answer {
  return ec2Error(400, 'InvalidAMIID.Malformed', `Invalid id: "${imageId}" (expecting "ami-...")`);
}

/** moto's error, re-issued in EC2's exact shape (fresh request id, no namespace on <Response>). */
export function reissueError(answer: Answer): Answer {
  return ec2Error(answer.status, tagText(answer.body, 'Code') ?? 'InternalError', tagText(answer.body, 'Message') ?? '');
}

export function withNewRequestId(answer: Answer): Answer {
  return { ...answer, body: answer.body.replace(/<requestId>[^<]*<\/requestId>/, `<requestId>${randomUUID()}</requestId>`) };
}
