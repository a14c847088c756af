/**
 * In the Slack function's deployment, `receivers/SocketModeReceiver.js` beside the handler: Bolt's
 * App requires its stock SocketModeReceiver by this path as it loads, and uses it only in Socket
 * Mode, which Greenlight does not use (it receives Slack's requests through API Gateway). The bundle
 * leaves Bolt's out (an External in template.yaml) and this file answers the require.
 */
export default class SocketModeReceiver {
  constructor() {
    throw new Error(
      "Bolt's SocketModeReceiver is not in Greenlight's Slack function, which does not use Socket Mode.",
    );
  }
}
