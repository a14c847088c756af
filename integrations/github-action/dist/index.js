"use strict";
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// integrations/github-action/src/main.ts
var main_exports = {};
__export(main_exports, {
  idempotencyKey: () => idempotencyKey,
  main: () => main,
  readInputs: () => readInputs,
  run: () => run
});
module.exports = __toCommonJS(main_exports);
var import_node_fs = require("node:fs");
var ActionError = class extends Error {
};
var input = (env, name) => {
  const value = env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`]?.trim();
  return value ? value : void 0;
};
function readInputs(env) {
  const required = (name) => {
    const value = input(env, name);
    if (value === void 0) throw new ActionError(`Input required and not supplied: ${name}`);
    return value;
  };
  const apiUrl = required("api-url").replace(/\/+$/, "").replace(/\/approvals$/, "");
  const digest = input(env, "artifact") ?? env.GITHUB_SHA;
  if (!digest) throw new ActionError("No artifact: set the artifact input (GITHUB_SHA is not set either)");
  const server = env.GITHUB_SERVER_URL ?? "https://github.com";
  const repository = env.GITHUB_REPOSITORY;
  const kind = input(env, "artifact-kind") ?? "git-commit";
  const policy = input(env, "policy");
  const channel = input(env, "channel");
  const details = input(env, "details");
  return {
    apiUrl,
    apiKey: required("api-key"),
    title: required("title"),
    approvers: (input(env, "approvers") ?? "").split(/[\s,]+/).filter(Boolean),
    ...policy ? { policy } : {},
    ...channel ? { channel } : {},
    ...details ? { details } : {},
    timeout: input(env, "timeout") ?? "1h",
    artifact: {
      kind,
      digest,
      ...env.GITHUB_REF ? { ref: env.GITHUB_REF } : {},
      ...kind === "git-commit" && repository && !input(env, "artifact") ? { url: `${server}/${repository}/commit/${digest}` } : {}
    },
    receiptFile: input(env, "receipt-file") ?? "greenlight-receipt.jws"
  };
}
function idempotencyKey(env, title) {
  const parts = [
    env.GITHUB_REPOSITORY ?? "local",
    env.GITHUB_RUN_ID ?? String(process.pid),
    env.GITHUB_RUN_ATTEMPT ?? "1",
    env.GITHUB_JOB ?? "job",
    env.GITHUB_ACTION ?? "greenlight",
    title
  ];
  return parts.join("/").replace(/[^\x21-\x7e]/g, "_").slice(0, 255);
}
async function call(inputs, method, path, options = {}) {
  const response = await fetch(`${inputs.apiUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${inputs.apiKey}`,
      ...options.body === void 0 ? {} : { "Content-Type": "application/json" },
      ...options.headers
    },
    ...options.body === void 0 ? {} : { body: JSON.stringify(options.body) }
  });
  const text = await response.text();
  let body = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = { message: text.slice(0, 200) };
  }
  return { status: response.status, body };
}
var pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function callWithRetries(inputs, method, path, options = {}) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const answer = await call(inputs, method, path, options);
      if (answer.status < 500 && answer.status !== 429) return answer;
      if (attempt >= 6) return answer;
    } catch (error) {
      if (attempt >= 6) throw error;
    }
    await pause(Math.min(3e4, 500 * 2 ** attempt));
  }
}
function problem(answer) {
  const fields = Array.isArray(answer.body.fields) ? ` ${answer.body.fields.map((field) => field.message).join(" ")}` : "";
  return `${answer.status} ${String(answer.body.error ?? "")}: ${String(answer.body.message ?? "")}${fields}`;
}
async function run(env, log) {
  const inputs = readInputs(env);
  log(`::add-mask::${inputs.apiKey}`);
  const request = {
    title: inputs.title,
    ...inputs.approvers.length > 0 ? { approvers: inputs.approvers } : {},
    ...inputs.policy ? { policy: inputs.policy } : {},
    ...inputs.channel ? { channel: inputs.channel } : {},
    ...inputs.details ? { details: inputs.details } : {},
    timeout: inputs.timeout,
    artifact: inputs.artifact
  };
  const created = await callWithRetries(inputs, "POST", "/approvals", {
    body: request,
    headers: { "Idempotency-Key": idempotencyKey(env, inputs.title) }
  });
  if (created.status !== 201) throw new ActionError(`Greenlight refused the request: ${problem(created)}`);
  const id = String(created.body.id);
  log(`Approval ${id} requested: ${String(created.body.slackUrl)}`);
  setOutput(env, "id", id);
  let current;
  for (; ; ) {
    current = await callWithRetries(inputs, "GET", `/approvals/${encodeURIComponent(id)}?wait=25`);
    if (current.status !== 200) throw new ActionError(`Could not read ${id}: ${problem(current)}`);
    if (current.body.status !== "PENDING") break;
  }
  const status = String(current.body.status);
  setOutput(env, "status", status);
  if (typeof current.body.receipt === "string") {
    (0, import_node_fs.writeFileSync)(inputs.receiptFile, `${current.body.receipt}
`);
    setOutput(env, "receipt-file", inputs.receiptFile);
  }
  const decider = current.body.decider ? ` by ${String(current.body.decider)}` : "";
  const comment = current.body.comment ? `: ${String(current.body.comment)}` : "";
  return { id, status, message: `${id} ${status.toLowerCase()}${decider}${comment}` };
}
function setOutput(env, name, value) {
  if (env.GITHUB_OUTPUT) (0, import_node_fs.appendFileSync)(env.GITHUB_OUTPUT, `${name}=${value.replace(/[\r\n]/g, " ")}
`);
}
var escapeData = (text) => text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
async function main(env = process.env) {
  const log = (line) => process.stdout.write(`${line}
`);
  try {
    const outcome = await run(env, log);
    if (outcome.status === "APPROVED") {
      log(`Approved: ${outcome.message}`);
      return 0;
    }
    log(`::error::${escapeData(`Not approved: ${outcome.message}`)}`);
    return 1;
  } catch (error) {
    log(`::error::${escapeData(error instanceof Error ? error.message : String(error))}`);
    return 1;
  }
}
if (require.main === module) {
  main().then((code) => {
    process.exitCode = code;
  });
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  idempotencyKey,
  main,
  readInputs,
  run
});
