import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { listen, readBody } from './http';

/**
 * A CodePipeline stand-in for manual approvals: `waitForApproval` plays a pipeline reaching a manual
 * approval action (it issues the action's token and the notification CodePipeline sends to SNS), and
 * the JSON API answers PutApprovalResult as CodePipeline does: the token must be the waiting action's,
 * once (InvalidApprovalTokenException, ApprovalAlreadyCompletedException). Every call is recorded.
 */
export interface PipelineApprovalCall {
  pipelineName: string;
  stageName: string;
  actionName: string;
  token: string;
  result: { status?: string; summary?: string };
  outcome: 'accepted' | string;
}

export interface LocalCodePipeline {
  url: string;
  waitForApproval(input: {
    pipelineName: string;
    stageName: string;
    actionName: string;
    customData?: string;
    externalEntityLink?: string;
    expiresInSeconds?: number;
  }): { token: string; notification: string };
  approvalResults(): PipelineApprovalCall[];
  close(): Promise<void>;
}

const TARGET = 'CodePipeline_20150709.PutApprovalResult';

export async function startCodePipeline(options: {
  port: number;
  host: string;
  region: string;
}): Promise<LocalCodePipeline> {
  const waiting = new Map<string, { key: string; done: boolean }>();
  const calls: PipelineApprovalCall[] = [];
  const server = createServer(async (request, response) => {
    const raw = await readBody(request, 1024 * 1024);
    const fail = (status: number, type: string, message: string) => {
      response.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify({ __type: type, message }));
    };
    if (raw === 'too_large') return fail(413, 'ValidationException', 'Request too large');
    if (request.headers['x-amz-target'] !== TARGET)
      return fail(
        400,
        'UnknownOperationException',
        `Only PutApprovalResult is served here, not ${String(request.headers['x-amz-target'])}`,
      );
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      return fail(400, 'SerializationException', 'Body is not JSON');
    }
    const call: PipelineApprovalCall = {
      pipelineName: String(body.pipelineName),
      stageName: String(body.stageName),
      actionName: String(body.actionName),
      token: String(body.token),
      result: (body.result ?? {}) as PipelineApprovalCall['result'],
      outcome: 'accepted',
    };
    calls.push(call);
    const entry = waiting.get(call.token);
    if (entry === undefined || entry.key !== `${call.pipelineName}/${call.stageName}/${call.actionName}`) {
      call.outcome = 'InvalidApprovalTokenException';
      return fail(400, 'InvalidApprovalTokenException', 'The approval request token is not valid.');
    }
    if (entry.done) {
      call.outcome = 'ApprovalAlreadyCompletedException';
      return fail(
        400,
        'ApprovalAlreadyCompletedException',
        'The approval action has already been completed.',
      );
    }
    if (call.result.status !== 'Approved' && call.result.status !== 'Rejected') {
      call.outcome = 'ValidationException';
      return fail(400, 'ValidationException', 'result.status must be Approved or Rejected');
    }
    entry.done = true;
    response.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1' });
    response.end(JSON.stringify({ approvedAt: Date.now() / 1000 }));
  });
  const address = await listen(server, options.port, options.host);
  const console = `https://console.aws.amazon.com/codepipeline/home?region=${options.region}`;
  return {
    url: `http://${options.host}:${address.port}`,
    waitForApproval(input) {
      const token = randomUUID();
      const key = `${input.pipelineName}/${input.stageName}/${input.actionName}`;
      waiting.set(token, { key, done: false });
      const expires = new Date(Date.now() + (input.expiresInSeconds ?? 7 * 86_400) * 1000)
        .toISOString()
        .slice(0, 16);
      const notification = JSON.stringify({
        region: options.region,
        consoleLink: `${console}#/view/${input.pipelineName}`,
        approval: {
          pipelineName: input.pipelineName,
          stageName: input.stageName,
          actionName: input.actionName,
          token,
          expires: `${expires}Z`,
          externalEntityLink: input.externalEntityLink ?? null,
          approvalReviewLink: `${console}#/approval/${key}/${token}`,
          customData: input.customData ?? null,
        },
      });
      return { token, notification };
    },
    approvalResults: () => [...calls],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
