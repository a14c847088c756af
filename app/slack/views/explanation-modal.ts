/** A modal submission's answer that replaces the form with a note saying why nothing was done. */
export function explanationModal(text: string) {
  return {
    response_action: 'update' as const,
    view: {
      type: 'modal' as const,
      title: { type: 'plain_text' as const, text: 'Nothing changed' },
      close: { type: 'plain_text' as const, text: 'Close' },
      blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text } }],
    },
  };
}
