import * as http from 'http';
import * as https from 'https';
import { log } from './log';

/** The part of a CloudFormation custom-resource event the response needs. */
export interface ResponseTarget {
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
}

export interface CfnResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly PhysicalResourceId: string;
  readonly Reason?: string;
  readonly Data?: Record<string, string | number>;
}

/** CloudFormation rejects response bodies over 4,096 bytes, and then waits until its ServiceTimeout. */
export const MAX_RESPONSE_BYTES = 4096;
const ATTEMPTS = 5;
const ATTEMPT_TIMEOUT_MS = 10_000;

/** The response body, with the reason shortened until the whole body fits CloudFormation's limit. */
export function responseBody(target: ResponseTarget, response: CfnResponse): string {
  const body = (reason: string | undefined) => JSON.stringify({
    Status: response.Status,
    Reason: reason,
    PhysicalResourceId: response.PhysicalResourceId,
    StackId: target.StackId,
    RequestId: target.RequestId,
    LogicalResourceId: target.LogicalResourceId,
    NoEcho: false,
    Data: response.Data,
  });
  let reason = response.Reason;
  let text = body(reason);
  while (Buffer.byteLength(text) > MAX_RESPONSE_BYTES && reason !== undefined && reason.length > 0) {
    const excess = Buffer.byteLength(text) - MAX_RESPONSE_BYTES;
    reason = `${reason.slice(0, Math.max(0, reason.length - excess - 20))} ...(truncated)`;
    text = body(reason);
  }
  return text;
}

/**
 * PUTs the answer to the presigned ResponseURL. Retries network errors and 5xx answers with backoff: a lost answer
 * would leave the stack waiting for ServiceTimeout. Never logs the URL (anyone holding it can answer for us).
 */
export async function sendResponse(target: ResponseTarget, response: CfnResponse): Promise<void> {
  const body = responseBody(target, response);
  for (let attempt = 1; ; attempt++) {
    try {
      const status = await put(target.ResponseURL, body);
      if (status >= 200 && status < 300) return;
      // A 4xx will not get better (an expired URL, a malformed body): stop and leave it to ServiceTimeout.
      if (status < 500 || attempt === ATTEMPTS) {
        throw new Error(`CloudFormation refused the response with HTTP ${status}`);
      }
      log('WARN', 'response not accepted, retrying', { status, attempt });
    } catch (error) {
      if (attempt === ATTEMPTS || (error instanceof Error && error.message.startsWith('CloudFormation refused'))) {
        throw error;
      }
      log('WARN', 'response not delivered, retrying', { error: (error as Error).message, attempt });
    }
    await new Promise(resolve => setTimeout(resolve, 500 * 2 ** attempt));
  }
}

function put(url: string, body: string): Promise<number> {
  const parsed = new URL(url);
  // Real ResponseURLs are https; tests answer on a loopback http server.
  const transport = parsed.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const request = transport.request(parsed, {
      method: 'PUT',
      // The presigned URL is signed for an empty content type.
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
      timeout: ATTEMPT_TIMEOUT_MS,
    }, response => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${ATTEMPT_TIMEOUT_MS} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}
