import webApi = require('../../node_modules/@slack/web-api');

/**
 * The real `@slack/web-api`, bundled as a file of its own beside the Slack function's handler
 * (template.yaml: a second entry point, and external to the first), so a cold start does not even
 * parse it: app/slack/load-web-api.ts requires it on the first Web API call. It is imported by path
 * because in this function's bundle the package's name is an alias of app/slack/web-api-on-demand.
 */
export = webApi;
