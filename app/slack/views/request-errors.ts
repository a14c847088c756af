import { type RequestError, requestErrorText } from '../../approvals';

/**
 * The domain's request errors as a slash command's answer: its wording, with Slack's own where the
 * command differs (a duration is typed in whole minutes, and a missing title gets an example).
 */
export function commandErrorText(error: RequestError): string {
  if (error.field === 'title' && error.problem === 'missing')
    return 'Add a title: `/greenlight request Deploy v2 to prod @alice --timeout 4h`.';
  if (error.field === 'timeout' && error.problem === 'too-short')
    return 'The timeout must be at least 1 minute.';
  return requestErrorText(error);
}

/** The same errors under the request form's fields, keyed by field; the form has no requester field. */
export function formErrorText(error: RequestError): string {
  switch (error.field) {
    case 'title':
      return error.problem === 'too-long'
        ? `Keep it to ${error.max} characters.`
        : 'Say what needs approval.';
    case 'timeout':
      return 'Pick how long the request stays open.';
    default:
      return requestErrorText(error);
  }
}
