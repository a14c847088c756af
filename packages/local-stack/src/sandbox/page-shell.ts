/**
 * The page's static frame: landmarks, headings and the containers the script fills. Everything that
 * comes from the stack (messages, e-mails, executions) is added by the script as DOM nodes.
 */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>Greenlight sandbox</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/app.css">
<script type="module" src="/app.js"></script>
</head>
<body>
<a class="skip-link" href="#conversation">Skip to the conversation</a>
<header class="topbar">
  <h1 class="brand">Greenlight <span class="brand-sub">sandbox</span></h1>
  <p class="team" id="team-name"></p>
  <div class="acting">
    <label for="acting-user">Acting as</label>
    <select id="acting-user"></select>
  </div>
  <p class="connection" id="connection" role="status">Connecting…</p>
  <a class="endpoints-link" href="/endpoints.json">Stack endpoints</a>
</header>
<div class="layout">
  <nav class="sidebar" id="sidebar" aria-label="Conversations">
    <h2 class="sidebar-heading" id="channels-heading">Channels</h2>
    <ul class="sidebar-list" id="channel-list" aria-labelledby="channels-heading"></ul>
    <h2 class="sidebar-heading" id="dms-heading">Direct messages</h2>
    <ul class="sidebar-list" id="dm-list" aria-labelledby="dms-heading"></ul>
  </nav>
  <main class="conversation" id="conversation" tabindex="-1" aria-labelledby="conversation-title">
    <div class="conversation-header">
      <h2 id="conversation-title">Loading…</h2>
      <p class="conversation-topic" id="conversation-topic"></p>
    </div>
    <div class="messages" id="messages" role="log" tabindex="0" aria-labelledby="conversation-title"></div>
    <form class="composer" id="composer" novalidate>
      <label class="visually-hidden" for="composer-input">Message or slash command</label>
      <textarea id="composer-input" rows="2" autocomplete="off" aria-describedby="composer-hint composer-error"></textarea>
      <button type="submit" class="send">Send</button>
      <div class="composer-tools" id="composer-tools"></div>
      <p class="hint" id="composer-hint">Enter sends, Shift+Enter starts a new line. Start with <kbd>/</kbd> to run a slash command, e.g. <code>/greenlight help</code>; <kbd>@</kbd> suggests people.</p>
      <p class="composer-error" id="composer-error" role="alert"></p>
    </form>
  </main>
  <aside class="tools" id="tools" aria-label="Tools">
    <div class="tabs" role="tablist" aria-label="Tools" id="tool-tabs">
      <button type="button" role="tab" id="tab-thread" aria-controls="panel-thread" aria-selected="true">Thread</button>
      <button type="button" role="tab" id="tab-websocket" aria-controls="panel-websocket" aria-selected="false" tabindex="-1">WebSocket</button>
      <button type="button" role="tab" id="tab-email" aria-controls="panel-email" aria-selected="false" tabindex="-1">E-mail <span class="count" id="email-count"></span></button>
      <button type="button" role="tab" id="tab-workflows" aria-controls="panel-workflows" aria-selected="false" tabindex="-1">Workflows <span class="count" id="workflow-count"></span></button>
      <button type="button" role="tab" id="tab-builder" aria-controls="panel-builder" aria-selected="false" tabindex="-1">Workflow Builder</button>
    </div>
    <section class="panel" role="tabpanel" id="panel-thread" aria-labelledby="tab-thread" tabindex="0"></section>
    <section class="panel" role="tabpanel" id="panel-websocket" aria-labelledby="tab-websocket" tabindex="0" hidden></section>
    <section class="panel" role="tabpanel" id="panel-email" aria-labelledby="tab-email" tabindex="0" hidden></section>
    <section class="panel" role="tabpanel" id="panel-workflows" aria-labelledby="tab-workflows" tabindex="0" hidden></section>
    <section class="panel" role="tabpanel" id="panel-builder" aria-labelledby="tab-builder" tabindex="0" hidden></section>
  </aside>
</div>
<dialog class="modal" id="modal" aria-labelledby="modal-title"></dialog>
<dialog class="confirm" id="confirm" aria-labelledby="confirm-title" aria-describedby="confirm-text"></dialog>
<div class="visually-hidden" id="announcer" aria-live="polite"></div>
<noscript><p class="noscript">The sandbox page needs JavaScript.</p></noscript>
</body>
</html>
`;
