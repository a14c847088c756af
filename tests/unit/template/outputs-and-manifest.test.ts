// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these are CloudFormation !Sub strings, not JavaScript templates.

import { loadTemplate, restRoutes } from '@greenlight/local-stack/template';
import { describe, expect, it } from '@jest/globals';
import { DECISION_LINK_PATH } from '../../../app/approvals/email-links';
import {
  generateManifest,
  loadManifestValidator,
  readManifest,
  requestUrlFromOutputs,
  requestUrls,
} from '../../../scripts/manifest-tools';

/**
 * What a deployed stack tells its operator (the Outputs) against what it serves (the routes), and
 * the Slack manifest against both: `npm run manifest -- --stack NAME` must produce a manifest whose
 * every request URL reaches the Slack function.
 */
const template = loadTemplate('template.yaml');
const validate = loadManifestValidator();
const STAGE = String(template.Parameters?.Stage?.Default);

function output(name: string): unknown {
  return (template.Outputs?.[name] as { Value?: unknown } | undefined)?.Value;
}

/** A `!Sub` output as a stack in eu-west-1 would show it, with made-up API ids. */
function deployed(value: unknown): string {
  const ids: Record<string, string> = {
    RestApi: 'a1b2c3d4e5',
    WebSocketApi: 'f6g7h8i9j0',
    'AWS::Region': 'eu-west-1',
    'AWS::URLSuffix': 'amazonaws.com',
    Stage: STAGE,
  };
  const text = (value as { 'Fn::Sub'?: string })['Fn::Sub'];
  if (text === undefined) throw new Error(`not a !Sub: ${JSON.stringify(value)}`);
  return text.replace(/\$\{([\w:]+)\}/g, (_whole, name: string) => {
    const id = ids[name];
    if (id === undefined) throw new Error(`no made-up value for ${name}`);
    return id;
  });
}

function variablesOf(functionId: string): Record<string, unknown> {
  const environment = template.Resources[functionId]?.Properties?.Environment as
    | { Variables?: Record<string, unknown> }
    | undefined;
  return environment?.Variables ?? {};
}

const routes = restRoutes(template);

describe('the stack outputs', () => {
  it('give the Slack request URL, the WebSocket URL, the approval link base and the state machines', () => {
    expect(template.Outputs).toMatchObject({
      SlackRequestUrl: {
        Value: {
          'Fn::Sub': 'https://${RestApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${Stage}/slack/events',
        },
      },
      WebSocketUrl: {
        Value: { 'Fn::Sub': 'wss://${WebSocketApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${Stage}' },
      },
      ApprovalLinkBaseUrl: {
        Value: {
          'Fn::Sub':
            'https://${RestApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${Stage}/approvals/decision',
        },
      },
      CommandStateMachineArn: { Value: { Ref: 'CommandStateMachine' } },
      ApprovalStateMachineArn: { Value: { Ref: 'ApprovalStateMachine' } },
      SecretArn: { Value: { Ref: 'AppSecret' } },
      EventBusName: { Value: { Ref: 'EventBus' } },
    });
  });

  it('describe themselves', () => {
    for (const value of Object.values(template.Outputs ?? {})) {
      expect((value as { Description?: unknown }).Description).toEqual(expect.any(String));
    }
  });

  it('build URLs with AWS::URLSuffix, so they hold in every partition', () => {
    expect(JSON.stringify(template.Outputs)).not.toContain('amazonaws.com');
  });

  it('point the Slack request URL at the Slack function’s POST route', () => {
    const path = new URL(deployed(output('SlackRequestUrl'))).pathname;
    expect(routes).toContainEqual({
      method: 'POST',
      path: path.replace(`/${STAGE}`, ''),
      functionId: 'SlackFunction',
    });
  });

  it('point the approval link base at the e-mail links’ GET and POST routes, the base those links use', () => {
    const path = new URL(deployed(output('ApprovalLinkBaseUrl'))).pathname.replace(`/${STAGE}`, '');
    const linkRoutes = routes.filter((route) => route.path === path);
    expect(linkRoutes.map((route) => `${route.method} ${route.functionId}`).sort()).toEqual([
      'GET EmailLinksFunction',
      'POST EmailLinksFunction',
    ]);
    // The workflow tasks write links as LINK_BASE_URL + DECISION_LINK_PATH.
    expect(`${deployed(variablesOf('WorkflowTasksFunction').LINK_BASE_URL)}${DECISION_LINK_PATH}`).toBe(
      deployed(output('ApprovalLinkBaseUrl')),
    );
  });

  it('give the WebSocket URL of the stage the functions post to', () => {
    const websocket = new URL(deployed(output('WebSocketUrl')));
    const callback = new URL(deployed(variablesOf('SlackFunction').WEBSOCKET_CALLBACK_URL));
    expect(websocket.protocol).toBe('wss:');
    expect(`${websocket.host}${websocket.pathname}`).toBe(`${callback.host}${callback.pathname}`);
  });
});

describe('the Slack manifest and the stack', () => {
  const manifest = readManifest(validate);

  it('sends every request of the manifest to the route the request URL output names', () => {
    const path = new URL(deployed(output('SlackRequestUrl'))).pathname;
    expect(requestUrls(manifest).map(({ url }) => new URL(url).pathname)).toEqual(
      requestUrls(manifest).map(() => path),
    );
  });

  it('generated from a deployed stack’s outputs, validates and points every request URL there', () => {
    const url = deployed(output('SlackRequestUrl'));
    const outputs = [{ OutputKey: 'SlackRequestUrl', OutputValue: url }];

    const generated = generateManifest(manifest, requestUrlFromOutputs(outputs, 'greenlight'), validate);

    expect(validate(generated)).toEqual({ ok: true });
    expect(new Set(requestUrls(generated).map((request) => request.url))).toEqual(new Set([url]));
  });
});
