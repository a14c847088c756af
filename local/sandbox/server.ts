import { createServer } from 'node:http';
import { listen } from '../http';
import type { Endpoints } from '../stack';

export interface LocalSandbox {
  url: string;
  port: number;
  close(): Promise<void>;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The page at http://localhost:3000. Until the full Slack sandbox lands (see the open issue), it
 * lists the stack's endpoints and the dev workspace, and serves them as JSON at /endpoints.json.
 */
export async function startSandbox(options: {
  port: number;
  host: string;
  endpoints: Endpoints;
}): Promise<LocalSandbox> {
  const { endpoints } = options;
  const rows = (
    [
      ['Slack request URL', endpoints.slackEvents],
      ['REST API', endpoints.rest],
      ['WebSocket API', endpoints.websocket],
      ['Slack Web API stand-in', endpoints.slackApi],
      ['Step Functions', endpoints.stepfunctions],
      ['DynamoDB', endpoints.dynamodb],
      ['SES', endpoints.ses],
    ] as const
  )
    .map(
      ([name, url]) =>
        `<tr><th scope="row">${escapeHtml(name)}</th><td><code>${escapeHtml(url)}</code></td></tr>`,
    )
    .join('');
  const users = endpoints.users
    .map((user) => `<li>${escapeHtml(user.realName)} <code>${user.id}</code></li>`)
    .join('');
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Greenlight local stack</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d1c1d}th{text-align:left;padding-right:1rem}code{font-size:.9em}</style></head>
<body><main><h1>Greenlight local stack</h1><p>Every service below runs on this machine. Machine-readable: <a href="/endpoints.json">/endpoints.json</a>.</p>
<table>${rows}</table><h2>Workspace users</h2><ul>${users}</ul></main></body></html>`;

  const server = createServer((request, response) => {
    if (request.url === '/endpoints.json') {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(endpoints, null, 2));
      return;
    }
    if (request.url === '/' || request.url === '/index.html') {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end(page);
      return;
    }
    response.writeHead(404, { 'Content-Type': 'text/plain' });
    response.end('Not found');
  });
  const { port } = await listen(server, options.port, options.host);
  return {
    url: `http://${options.host === '127.0.0.1' ? 'localhost' : options.host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
