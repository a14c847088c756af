import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { type HomeReader, homeContents } from '../../../approvals';
import { SlackHomePublisher } from '../../home-publisher';

export interface HomeOpenedDeps {
  home: () => Promise<HomeReader>;
}

/** Someone opened the app's Home tab: it is built from the indexes and published for them. */
export function publishHomeOnOpen(deps: HomeOpenedDeps) {
  return async function publishOpenedHome(
    args: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs,
  ): Promise<void> {
    // The Messages tab sends the same event; only the Home tab shows a view.
    if (args.event.tab !== 'home') return;
    const contents = await homeContents(await deps.home(), args.event.user);
    await new SlackHomePublisher(args.client).publish(contents);
  };
}
