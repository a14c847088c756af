/**
 * In the Slack function's deployment, `receivers/HTTPReceiver.js` beside the handler: Bolt's App
 * requires its stock HTTPReceiver by this path as it loads, and builds one only when it is given no
 * receiver of its own. Greenlight always gives it the LambdaReceiver (app/slack/receiver), so the
 * bundle leaves Bolt's out (an External in template.yaml) and this file answers the require.
 * The name and path are Bolt's: `./receivers/HTTPReceiver`, relative to its App.
 */
export default class HTTPReceiver {
  constructor() {
    throw new Error(
      "Bolt's HTTPReceiver is not in Greenlight's Slack function: give the App the LambdaReceiver.",
    );
  }
}
